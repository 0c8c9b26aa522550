#pragma once
// Reads and mutations of the collections of SPEC §2 for one caller. An
// update is prepared on the calling worker from one read of the record
// (check its version, apply the edit, validate through the collection's
// codec); the store's writer then only checks that the record is still at
// that version and writes it with its change-log entry. One that lost the
// race is prepared again (docs/architecture.md "How a change travels").
//
// Thread-safe; every call blocks on the store, so call from worker threads.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "auth/read_rules.hpp"
#include "auth/tokens.hpp"
#include "catalog/idempotency.hpp"
#include "domain/collection.hpp"
#include "domain/problem.hpp"
#include "store/store.hpp"

namespace shelfsync {

struct ListRequest {
  IndexKeys filters;
  std::string q;
  std::string after_id;
  std::size_t limit = 50;
};

struct ListPage {
  std::vector<boost::json::object> data;
  std::optional<std::string> next_after_id;  // last id, when more may follow
};

struct MutationMeta {
  std::optional<std::int64_t> if_match;      // expected version
  std::string origin;                        // X-Client-Id
  IdempotentRequest* idempotency = nullptr;  // a POST's Idempotency-Key, if any
};

// An edit of the stored document (system fields included); a Problem aborts.
using DocumentEdit = std::function<std::optional<Problem>(boost::json::object& doc)>;

// An update's optimistic attempt, prepared on the calling thread from the
// version it read: the answer it will give and the write that makes that
// answer true. The write commits only if the record is still at that
// version; if it moved on meanwhile the write fails with a Problem for
// which lost_race() holds, and the update must be run again (update()).
struct UpdateAttempt {
  boost::json::object answer;
  WriteFn write;  // empty: the edit changes nothing, answer at once
};
bool lost_race(const std::optional<Problem>& write_result);

// Records a write of one collection brings along in its transaction (the
// stock ledger for products). `before` is null on create; `after` is the new
// canonical document. Runs on the thread that prepares the write (possibly
// the store's writer): pure computation, no store access.
using SideWrites = std::function<Result<std::vector<RecordWrite>>(const Principal& who, const RecordWrite& written,
                                                                  const boost::json::object* before,
                                                                  const boost::json::object& after, Millis now)>;

class RecordService {
 public:
  explicit RecordService(Store& store) : store_(store) {}

  // Registers side writes for `entity`; call before the service is shared.
  void add_side_writes(std::string entity, SideWrites fn);

  Result<boost::json::object> get(const Principal& who, const Collection& c, const std::string& id);
  Result<ListPage> list(const Principal& who, const Collection& c, ListRequest request);
  Result<boost::json::object> create(const Principal& who, const Collection& c, boost::json::object body,
                                     const MutationMeta& meta);
  Result<boost::json::object> patch(const Principal& who, const Collection& c, const std::string& id,
                                    const boost::json::value& patch, const MutationMeta& meta);
  // patch()'s first attempt, for a caller that does not wait on the writer
  // (it hands attempt.write to Store::write_async and answers from there).
  Result<UpdateAttempt> try_patch(const Principal& who, const Collection& c, const std::string& id,
                                  const boost::json::value& patch, const MutationMeta& meta);
  Result<boost::json::object> update(const Principal& who, const Collection& c, const std::string& id,
                                     const MutationMeta& meta, DocumentEdit edit);
  std::optional<Problem> remove(const Principal& who, const Collection& c, const std::string& id,
                                const MutationMeta& meta);

 private:
  struct PreparedUpdate;
  Result<UpdateAttempt> try_update(const Principal& who, const Collection& c, const std::string& id,
                                   const MutationMeta& meta, const DocumentEdit& edit);
  Result<PreparedUpdate> prepare_update(const Principal& who, const Collection& c, const StoredRecord& current,
                                        const MutationMeta& meta, const DocumentEdit& edit);
  ListPage own_customer_page(const Principal& who, const Collection& c, const ListQuery& q);
  Result<std::vector<RecordWrite>> side_writes(const Principal& who, const Collection& c, const RecordWrite& written,
                                               const boost::json::object* before, const boost::json::object& after,
                                               Millis now) const;

  Store& store_;
  std::vector<std::pair<std::string, SideWrites>> side_writes_;
};

}  // namespace shelfsync

#pragma once
// The webhooks API without HTTP (SPEC §8): admins create, read, change,
// delete and replay their shop's hooks and read their last attempts. Every
// change reaches the dispatcher. Blocks on the store.

#include <functional>
#include <optional>
#include <string>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include "auth/tokens.hpp"
#include "catalog/idempotency.hpp"
#include "domain/problem.hpp"
#include "integrations/dispatcher.hpp"
#include "integrations/target_policy.hpp"
#include "store/store.hpp"

namespace shelfsync {

inline constexpr std::size_t kMaxWebhooksPerShop = 200;

class WebhookService {
 public:
  WebhookService(Store& store, TargetPolicy policy, WebhookDispatcher* dispatcher)
      : store_(store), policy_(std::move(policy)), dispatcher_(dispatcher) {}

  // The hook with its secret: the only answer that shows it. `key`: the
  // request's Idempotency-Key (null or keyless: none).
  Result<boost::json::object> create(const Principal& who, const boost::json::object& body, IdempotentRequest* key);
  Result<boost::json::array> list(const Principal& who);
  Result<WebhookRow> get(const Principal& who, const std::string& id);
  Result<boost::json::object> patch(const Principal& who, const std::string& id, const boost::json::object& body,
                                    std::optional<std::int64_t> if_match);
  std::optional<Problem> remove(const Principal& who, const std::string& id, std::optional<std::int64_t> if_match);
  // {since: cursor}: delivery starts again after it (and a paused hook resumes).
  Result<boost::json::object> replay(const Principal& who, const std::string& id, const boost::json::object& body,
                                     IdempotentRequest* key);
  Result<boost::json::array> attempts(const Principal& who, const std::string& id, std::size_t limit);

 private:
  void changed(const std::string& tenant, const std::string& id);
  // One API change of a hook: read, If-Match, `change`, a new version, stored, told to the dispatcher.
  Result<boost::json::object> update(const Principal& who, const std::string& id, std::optional<std::int64_t> if_match,
                                     IdempotentRequest* key,
                                     const std::function<std::optional<Problem>(WebhookRow&)>& change);

  Store& store_;
  TargetPolicy policy_;
  WebhookDispatcher* dispatcher_;
};

}  // namespace shelfsync

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
#include "domain/problem.hpp"
#include "hooks/dispatcher.hpp"
#include "hooks/target_policy.hpp"
#include "store/store.hpp"

namespace shelfsync {

inline constexpr std::size_t kMaxWebhooksPerShop = 200;

class WebhookService {
 public:
  WebhookService(Store& store, TargetPolicy policy, WebhookDispatcher* dispatcher)
      : store_(store), policy_(std::move(policy)), dispatcher_(dispatcher) {}

  // The hook with its secret: the only answer that shows it.
  Result<boost::json::object> create(const Principal& who, const boost::json::object& body);
  Result<boost::json::array> list(const Principal& who);
  Result<WebhookRow> get(const Principal& who, const std::string& id);
  Result<WebhookRow> patch(const Principal& who, const std::string& id, const boost::json::object& body,
                           std::optional<std::int64_t> if_match);
  std::optional<Problem> remove(const Principal& who, const std::string& id, std::optional<std::int64_t> if_match);
  // {since: cursor}: delivery starts again after it (and a paused hook resumes).
  Result<WebhookRow> replay(const Principal& who, const std::string& id, const boost::json::object& body);
  Result<boost::json::array> attempts(const Principal& who, const std::string& id, std::size_t limit);

 private:
  void changed(const std::string& tenant, const std::string& id);
  // One API change of a hook: read, If-Match, `change`, a new version, stored, told to the dispatcher.
  Result<WebhookRow> update(const Principal& who, const std::string& id, std::optional<std::int64_t> if_match,
                            const std::function<std::optional<Problem>(WebhookRow&)>& change);

  Store& store_;
  TargetPolicy policy_;
  WebhookDispatcher* dispatcher_;
};

}  // namespace shelfsync

#pragma once
// A webhook's settings as the API takes and shows them (SPEC §8):
//   {url, topics: [collection, ...], filter?: {...}, batch_ms?: 0–60000,
//    active?: bool, secret?: "whsec_…"}
// Topics are collections the admin reads; a filter is a live subscription's
// (SPEC §7) and must fit every topic. The secret is generated when not
// given and shown once, in the answer that created it.

#include <optional>
#include <string>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "auth/tokens.hpp"
#include "domain/collection.hpp"
#include "domain/problem.hpp"
#include "feed/view.hpp"
#include "integrations/target_policy.hpp"
#include "store/store.hpp"

namespace shelfsync {

inline constexpr std::int64_t kMaxWebhookBatchMs = 60000;
inline constexpr std::size_t kMaxWebhookTopics = 20;

struct WebhookSettings {
  std::string url;
  std::vector<std::string> topics;
  boost::json::value filter;  // null, or a filter object
  std::int64_t batch_ms = 0;  // a batch waits this long after its first change for more
  bool active = true;
};

struct ParsedWebhook {
  WebhookSettings settings;
  std::optional<std::string> secret;  // given in the body
};

// A create body (`previous` null: url and topics required) or a merge
// patch over `previous`. 422 with the fields, 400 for a refused URL.
Result<ParsedWebhook> parse_webhook(const boost::json::object& body, const WebhookSettings* previous,
                                    const Principal& who, const TargetPolicy& policy);

std::string settings_json(const WebhookSettings& s);
WebhookSettings settings_of(const WebhookRow& row);

// What a hook reads: its topics' collections and its filter, parsed.
struct WebhookView {
  std::vector<const Collection*> topics;
  RecordFilter filter;
};
Result<WebhookView> webhook_view(const WebhookSettings& s, const Principal& who);

// The hook as GET shows it (never the secret): settings, `status` (active,
// paused, inactive), `cursor`, `failures`, `paused_at`, version and times.
boost::json::object render_webhook(const WebhookRow& row);

}  // namespace shelfsync

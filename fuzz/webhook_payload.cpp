// Webhook and publish payloads (SPEC §8): a JSON body read as a webhook's
// create body and as a merge patch over an existing hook
// (integrations/webhook_settings.hpp), as a publish `{topic, key, data}`
// and as a topic declaration `{read: [...]}` (integrations/
// publish_service.hpp); the same text read as a hook's URL against the
// target policy and as an IP address or network (domain/net_address.hpp).
// The first byte picks the caller. Checks: accepted settings are within
// bounds, survive the round trip through their stored form and are
// accepted again; a publish names a topic and a valid key; an
// accepted URL is http(s) with a host and never an IP the policy refuses;
// an address prints and parses back to itself.

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/json/parse.hpp>

#include "domain/json_util.hpp"
#include "domain/net_address.hpp"
#include "domain/topic_collection.hpp"
#include "filter_check.hpp"
#include "fuzz_check.hpp"
#include "integrations/publish_service.hpp"
#include "integrations/target_policy.hpp"
#include "integrations/webhook_settings.hpp"
#include "principal.hpp"

using namespace shelfsync;
namespace json = boost::json;

namespace {

void check_settings(const WebhookSettings& s, const Principal& who, const TargetPolicy& policy) {
  FUZZ_CHECK(!s.topics.empty() && s.topics.size() <= kMaxWebhookTopics);
  FUZZ_CHECK(s.batch_ms >= 0 && s.batch_ms <= kMaxWebhookBatchMs);
  FUZZ_CHECK(!check_target_url(s.url, policy));
  const auto view = webhook_view(s, who);
  FUZZ_CHECK(view && view->topics.size() == s.topics.size());
  fuzz::check_filter(view->filter, *view->topics.front(), who);

  // Stored as settings_json, read back by settings_of: the same hook.
  WebhookRow row;
  row.settings = settings_json(s);
  const auto back = settings_of(row);
  FUZZ_CHECK(back.url == s.url && back.topics == s.topics && back.filter == s.filter && back.batch_ms == s.batch_ms &&
             back.active == s.active);
  // And what GET shows is a body that creates the same hook.
  const auto again = parse_webhook(json::parse(row.settings).as_object(), nullptr, who, policy);
  FUZZ_CHECK(again && again->settings.url == s.url && again->settings.topics == s.topics);
}

void check_bodies(const json::object& body, const Principal& who, const TargetPolicy& policy) {
  if (const auto created = parse_webhook(body, nullptr, who, policy)) check_settings(created->settings, who, policy);

  WebhookSettings previous;
  previous.url = "https://hooks.example.com/shelfsync";
  previous.topics = {"products"};
  if (const auto patched = parse_webhook(body, &previous, who, policy)) check_settings(patched->settings, who, policy);

  if (const auto publish = decode_publish(body)) {
    FUZZ_CHECK(!publish->topic.empty() && publish->topic.size() <= 64);
    FUZZ_CHECK(is_valid_topic_key(publish->key) && publish->key.size() <= kMaxTopicKey);
    FUZZ_CHECK(body.at("data") == publish->data);
  }

  if (const auto readers = decode_topic_readers(body)) {
    FUZZ_CHECK(*readers & role_bit(Role::admin));
    FUZZ_CHECK((*readers & ~kEveryRole) == 0);
  }
}

void check_text(std::string_view text, const TargetPolicy& policy) {
  if (!check_target_url(text, policy)) {
    FUZZ_CHECK(text.size() <= 2000);
    FUZZ_CHECK(text.starts_with("http://") || text.starts_with("https://"));
  }
  if (const auto ip = parse_ip(text)) {
    (void)policy.refusal(*ip);
    FUZZ_CHECK(parse_ip(format_ip(*ip)) == *ip);
  }
  if (const auto cidr = Cidr::parse(text)) {
    FUZZ_CHECK(cidr->prefix >= 0 && cidr->prefix <= 128);
    FUZZ_CHECK(cidr->contains(cidr->bytes));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const auto who = fuzz::principal_of(data[0]);
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  static const TargetPolicy policy({*Cidr::parse("10.20.0.0/16")});  // as `serve --webhook-allow 10.20.0.0/16`

  check_text(text, policy);
  if (const auto body = parse_json_object(text)) check_bodies(*body, who, policy);
  return 0;
}

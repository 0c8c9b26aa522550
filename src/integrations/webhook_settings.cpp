#include "integrations/webhook_settings.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "auth/access.hpp"
#include "domain/json_read.hpp"
#include "domain/time.hpp"
#include "domain/topic_collection.hpp"
#include "feed/cursor.hpp"
#include "integrations/signature.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

}  // namespace

Result<ParsedWebhook> parse_webhook(const json::object& body, const WebhookSettings* previous, const Principal& who,
                                    const TargetPolicy& policy) {
  ParsedWebhook out;
  if (previous) out.settings = *previous;
  auto& s = out.settings;
  Errors errors;
  MemberReader r(body, "", errors);
  if (!previous) {
    r.require("url");
    r.require("topics");
  }
  const bool url_given = r.string("url", 1, 2000, s.url);
  if (const auto* topics = r.array("topics", kMaxWebhookTopics)) {
    s.topics.clear();
    for (std::size_t i = 0; i < topics->size(); ++i) {
      const auto& t = (*topics)[i];
      const auto path = "topics[" + std::to_string(i) + "]";
      const auto* c = t.is_string() ? find_topic(who.tenant, t.as_string()) : nullptr;
      if (!c) {
        errors.add(path, "must name a collection or a declared topic");
        continue;
      }
      if (!may_read(who.role, *c)) {
        errors.add(path, "is not a collection this token reads");
        continue;
      }
      if (std::find(s.topics.begin(), s.topics.end(), c->name()) != s.topics.end()) {
        errors.add(path, "is named twice");
        continue;
      }
      s.topics.emplace_back(c->name());
    }
    if (topics->empty()) errors.add("topics", "must name at least one collection");
  }
  if (const auto* f = body.if_contains("filter")) {
    if (!f->is_null() && !f->is_object())
      errors.add("filter", "must be an object or null");
    else
      s.filter = *f;
  }
  r.integer("batch_ms", 0, kMaxWebhookBatchMs, s.batch_ms);
  r.boolean("active", s.active);
  std::string secret;
  if (r.string("secret", 1, 200, secret)) {
    if (webhook_key(secret))
      out.secret = secret;
    else
      errors.add("secret", "must be whsec_ and the base64 of 16 to 64 bytes (leave it out to have one made)");
  }
  r.reject_unknown(
      {"url", "topics", "filter", "batch_ms", "active", "secret"},
      {"id", "status", "cursor", "failures", "paused_at", "paused_reason", "version", "created_at", "updated_at"});
  if (!errors.empty()) return errors.problem();
  if (url_given)
    if (auto p = check_target_url(s.url, policy)) return *p;
  // The filter must be one a live subscription of each topic could use.
  if (auto view = webhook_view(s, who); !view) return view.problem();
  return out;
}

Result<WebhookView> webhook_view(const WebhookSettings& s, const Principal& who) {
  WebhookView view;
  for (const auto& name : s.topics) {
    const auto* c = find_topic(who.tenant, name);
    if (!c) return Problem::of(ErrorCode::bad_webhook, "topic " + name + " no longer exists");
    auto filter = parse_filter(s.filter, *c, who);
    if (!filter) {
      auto p = filter.problem();
      p.detail = "filter, for topic " + name + ": " + p.detail;
      return p;
    }
    if (view.topics.empty()) view.filter = std::move(*filter);
    view.topics.push_back(c);
  }
  return view;
}

std::string settings_json(const WebhookSettings& s) {
  json::array topics;
  for (const auto& t : s.topics) topics.emplace_back(t);
  return json::serialize(json::object{{"url", s.url},
                                      {"topics", std::move(topics)},
                                      {"filter", s.filter},
                                      {"batch_ms", s.batch_ms},
                                      {"active", s.active}});
}

WebhookSettings settings_of(const WebhookRow& row) {
  WebhookSettings s;
  boost::system::error_code ec;
  const auto v = json::parse(row.settings, ec);
  if (ec || !v.is_object()) return s;
  const auto& o = v.as_object();
  if (const auto* u = o.if_contains("url"); u && u->is_string()) s.url = u->as_string();
  if (const auto* t = o.if_contains("topics"); t && t->is_array())
    for (const auto& x : t->as_array())
      if (x.is_string()) s.topics.emplace_back(x.as_string());
  if (const auto* f = o.if_contains("filter")) s.filter = *f;
  if (const auto* b = o.if_contains("batch_ms"); b && b->is_int64()) s.batch_ms = b->as_int64();
  if (const auto* a = o.if_contains("active"); a && a->is_bool()) s.active = a->as_bool();
  return s;
}

json::object render_webhook(const WebhookRow& row) {
  const auto s = settings_of(row);
  boost::system::error_code ec;
  json::object o = json::parse(settings_json(s), ec).as_object();
  o["id"] = row.id;
  o["status"] = row.paused_at ? "paused" : s.active ? "active" : "inactive";
  o["cursor"] = encode_cursor(row.cursor);
  o["failures"] = row.failures;
  if (row.paused_at) {
    o["paused_at"] = format_rfc3339(row.paused_at);
    o["paused_reason"] = row.paused_reason;
  } else {
    o["paused_at"] = nullptr;
  }
  o["version"] = row.version;
  o["created_at"] = format_rfc3339(row.created_at);
  o["updated_at"] = format_rfc3339(row.updated_at);
  return o;
}

}  // namespace shelfsync

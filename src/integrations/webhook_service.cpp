#include "integrations/webhook_service.hpp"

#include "domain/ids.hpp"
#include "domain/json_read.hpp"
#include "domain/time.hpp"
#include "feed/cursor.hpp"
#include "feed/sync.hpp"
#include "integrations/signature.hpp"
#include "integrations/webhook_settings.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

std::optional<Problem> admin_only(const Principal& who) {
  if (who.role == Role::admin) return std::nullopt;
  return Problem::forbidden("only the shop's admin manages webhooks");
}

Problem no_hook(const std::string& id) { return Problem::not_found("no webhook " + id); }

// Delivery starts again: a paused hook is no longer, its failures forgotten.
void resume(WebhookRow& row) {
  row.paused_at = 0;
  row.paused_reason.clear();
  row.failures = 0;
}

Problem stale(const WebhookRow& current) {
  Problem p =
      Problem::of(ErrorCode::version_mismatch, "the webhook is at version " + std::to_string(current.version) + " now");
  p.extensions["current"] = render_webhook(current);
  return p;
}

}  // namespace

void WebhookService::changed(const std::string& tenant, const std::string& id) {
  if (dispatcher_) dispatcher_->reload(tenant, id);
}

Result<json::object> WebhookService::create(const Principal& who, const json::object& body, IdempotentRequest* key) {
  if (auto p = admin_only(who)) return *p;
  auto parsed = parse_webhook(body, nullptr, who, policy_);
  if (!parsed) return parsed.problem();
  const auto now = now_ms();
  WebhookRow row{who.tenant,
                 new_id("wh"),
                 settings_json(parsed->settings),
                 parsed->secret.value_or(new_webhook_secret()),
                 1,
                 now,
                 now,
                 0,
                 0,
                 0,
                 ""};
  if (store_.webhooks(who.tenant).size() >= kMaxWebhooksPerShop)
    return Problem::of(ErrorCode::too_many_webhooks,
                       "a shop has at most " + std::to_string(kMaxWebhooksPerShop) + " webhooks: delete one first");
  // A hook hears of what is written after it: the log's head now.
  row.cursor = store_.head(who.tenant);
  auto out =
      write_answer(store_, key, [&](WriteTxn& txn, std::optional<json::object>& answer) -> std::optional<Problem> {
        txn.put_webhook(row);
        answer = render_webhook(row);
        (*answer)["secret"] = row.secret;
        return std::nullopt;
      });
  if (out && !(key && key->replayed)) changed(who.tenant, row.id);
  return out;
}

Result<json::array> WebhookService::list(const Principal& who) {
  if (auto p = admin_only(who)) return *p;
  json::array out;
  for (const auto& row : store_.webhooks(who.tenant)) out.push_back(render_webhook(row));
  return out;
}

Result<WebhookRow> WebhookService::get(const Principal& who, const std::string& id) {
  if (auto p = admin_only(who)) return *p;
  for (auto& row : store_.webhooks(who.tenant))
    if (row.id == id) return row;
  return no_hook(id);
}

Result<json::object> WebhookService::update(const Principal& who, const std::string& id,
                                            std::optional<std::int64_t> if_match, IdempotentRequest* key,
                                            const std::function<std::optional<Problem>(WebhookRow&)>& change) {
  if (auto p = admin_only(who)) return *p;
  auto out =
      write_answer(store_, key, [&](WriteTxn& txn, std::optional<json::object>& answer) -> std::optional<Problem> {
        auto row = txn.webhook(who.tenant, id);
        if (!row) return no_hook(id);
        if (if_match && *if_match != row->version) return stale(*row);
        if (auto p = change(*row)) return p;
        row->version += 1;
        row->updated_at = now_ms();
        txn.put_webhook(*row);
        answer = render_webhook(*row);
        return std::nullopt;
      });
  if (out && !(key && key->replayed)) changed(who.tenant, id);
  return out;
}

Result<json::object> WebhookService::patch(const Principal& who, const std::string& id, const json::object& body,
                                           std::optional<std::int64_t> if_match) {
  return update(who, id, if_match, nullptr, [&](WebhookRow& row) -> std::optional<Problem> {
    const auto previous = settings_of(row);
    auto parsed = parse_webhook(body, &previous, who, policy_);
    if (!parsed) return parsed.problem();
    row.settings = settings_json(parsed->settings);
    if (parsed->secret) row.secret = *parsed->secret;
    // Switching a hook on again resumes a paused one.
    if (const auto* a = body.if_contains("active"); a && a->is_bool() && a->as_bool()) resume(row);
    return std::nullopt;
  });
}

std::optional<Problem> WebhookService::remove(const Principal& who, const std::string& id,
                                              std::optional<std::int64_t> if_match) {
  if (auto p = admin_only(who)) return p;
  auto problem = store_.write([&](WriteTxn& txn) -> std::optional<Problem> {
    auto row = txn.webhook(who.tenant, id);
    if (!row) return no_hook(id);
    if (if_match && *if_match != row->version) return stale(*row);
    txn.delete_webhook(who.tenant, id);
    return std::nullopt;
  });
  if (problem) return problem;
  changed(who.tenant, id);
  return std::nullopt;
}

Result<json::object> WebhookService::replay(const Principal& who, const std::string& id, const json::object& body,
                                            IdempotentRequest* key) {
  if (auto p = admin_only(who)) return *p;
  Errors errors;
  MemberReader r(body, "", errors);
  std::string since_text;
  r.require("since");
  r.string("since", 1, 100, since_text);
  r.reject_unknown({"since"});
  if (!errors.empty()) return errors.problem();
  const auto since = decode_cursor(since_text);
  if (!since) return Problem::of(ErrorCode::bad_cursor, "since must be a cursor the API gave");
  if (auto p = check_resume_cursor(store_, who.tenant, *since)) return *p;
  return update(who, id, std::nullopt, key, [&](WebhookRow& row) -> std::optional<Problem> {
    row.cursor = *since;
    resume(row);
    return std::nullopt;
  });
}

Result<json::array> WebhookService::attempts(const Principal& who, const std::string& id, std::size_t limit) {
  auto hook = get(who, id);
  if (!hook) return hook.problem();
  json::array out;
  for (const auto& a : store_.webhook_attempts(who.tenant, id, limit)) {
    json::object o{{"at", format_rfc3339(a.at)},
                   {"webhook_id", a.message_id},
                   {"cursor", encode_cursor(a.cursor)},
                   {"changes", a.changes},
                   {"attempt", a.attempt},
                   {"status", a.status},
                   {"ok", a.status >= 200 && a.status < 300},
                   {"answer", a.answer},
                   {"duration_ms", a.duration_ms}};
    if (!a.error.empty()) o["error"] = a.error;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace shelfsync

#include "feed/view.hpp"

#include <algorithm>

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "auth/read_rules.hpp"
#include "domain/ids.hpp"
#include "domain/utf8.hpp"

namespace shelfsync {

namespace json = boost::json;

bool ReaderView::sees(const std::string& id, const json::object& doc) const { return follows(id) && matches(id, doc); }

bool ReaderView::matches(const std::string& id, const json::object& doc) const {
  if (!may_see(who, *collection, id, doc)) return false;
  if (filter.equals.empty()) return true;
  const auto keys = collection->index_keys(doc);
  return std::all_of(filter.equals.begin(), filter.equals.end(),
                     [&](const auto& kv) { return std::find(keys.begin(), keys.end(), kv) != keys.end(); });
}

Delivery judge(const ReaderView& view, const ChangeFacts& f) {
  if (!view.follows(f.id)) return Delivery::skip;
  if (!f.deleted && f.now && view.matches(f.id, *f.now)) return Delivery::upsert;
  if (f.born_after_cursor) return Delivery::skip;  // nothing before it to remove
  const auto& c = *view.collection;
  if (f.now && !owned_by_reader(view.who, c, f.id, *f.now)) return Delivery::skip;
  if (f.before) return view.matches(f.id, *f.before) ? Delivery::remove : Delivery::skip;
  return f.seen_by & role_bit(view.who.role) ? Delivery::remove : Delivery::skip;
}

Result<RecordFilter> parse_filter(const json::value& filter, const Collection& c, const Principal& who) {
  const Role role = who.role;
  RecordFilter out;
  if (filter.is_null()) return out;
  const auto bad = [](std::string detail) { return Problem::of(ErrorCode::bad_filter, std::move(detail)); };
  if (!filter.is_object()) return bad("filter must be a JSON object");
  const auto fields = c.filter_fields();
  for (const auto& [key, value] : filter.as_object()) {
    if (key == "ids") {
      if (!value.is_array()) return bad("filter.ids must be an array of ids");
      if (value.as_array().size() > kMaxFilterIds)
        return bad("filter.ids holds at most " + std::to_string(kMaxFilterIds) + " ids");
      std::set<std::string> ids;
      for (const auto& id : value.as_array()) {
        if (!id.is_string() || !is_valid_id(id.as_string())) return bad("filter.ids must hold valid ids");
        ids.emplace(id.as_string());
      }
      out.ids = std::move(ids);
      continue;
    }
    if (std::find(fields.begin(), fields.end(), key) == fields.end())
      return bad("cannot filter " + std::string(c.name()) + " by '" + std::string(key) + "'");
    if (is_shopper(role) && key == "status")
      return Problem::of(
          ErrorCode::forbidden_filter,
          "a " + std::string(to_string(role)) + " token sees active records only and may not filter by status");
    if (!value.is_string() || value.as_string().empty() || value.as_string().size() > 200)
      return bad("filter." + std::string(key) + " must be a string of 1–200 characters");
    if (role == Role::customer && key == "customer_id" && value.as_string() != who.customer_id)
      return Problem::of(ErrorCode::forbidden_filter, "a customer token may filter by its own customer_id only");
    std::string v(value.as_string());
    if (key == "email")
      for (auto& ch : v) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    out.equals.emplace_back(std::string(key), std::move(v));
  }
  return out;
}

std::string change_json(const ChangeEntry& change, const StoredRecord* record, const Collection& c,
                        Projection projection, ChangeMode mode) {
  json::object o;
  o["entity"] = change.entity;
  o["op"] = change.deleted ? "delete" : "upsert";
  o["id"] = change.id;
  o["version"] = change.version;
  // The log may hold an origin that was stored unchecked: a frame must stay
  // valid UTF-8 (else the client's WebSocket fails), so such an origin goes
  // out empty.
  o["origin"] = printable_text(change.origin, kMaxOriginBytes) ? change.origin : "";
  if (!change.deleted && mode == ChangeMode::data && record) o["data"] = render_record(*record, c, projection);
  return json::serialize(o);
}

}  // namespace shelfsync

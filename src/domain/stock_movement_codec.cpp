// decode_stock_movement and encode_stock_movement: the movement document
// (domain/stock_movement.hpp).

#include <utility>

#include <boost/json.hpp>

#include "domain/commerce_codec_internal.hpp"
#include "domain/commerce_fields.hpp"
#include "domain/json_read.hpp"
#include "domain/stock_movement.hpp"

namespace shelfsync {

namespace json = boost::json;
using commerce_codec::enum_named;
using commerce_codec::read_enum;

std::string_view to_string(MovementReason reason) { return kMovementReasons[static_cast<std::size_t>(reason)]; }

std::optional<MovementReason> parse_movement_reason(std::string_view text) {
  return enum_named<MovementReason>(kMovementReasons, text);
}

Result<StockMovement> decode_stock_movement(const json::object& doc, const NormalizeContext& ctx) {
  Errors errors;
  MemberReader r(doc, "", errors);
  StockMovement m;
  std::optional<std::string> product_id;
  if (r.require("product_id")) r.id("product_id", product_id);
  std::optional<std::string> variant_id;
  if (r.require("variant_id")) r.id("variant_id", variant_id);
  if (r.require("delta") && r.integer("delta", -kMaxLedgerUnits, kMaxLedgerUnits, m.delta) && m.delta == 0)
    errors.add("delta", "must not be 0");
  if (r.require("reason")) read_enum(r, "reason", kMovementReasons, m.reason);
  r.id("order_id", m.order_id);
  std::string note;
  if (r.string("note", 0, kMaxNoteLength, note)) m.note = std::move(note);
  if (r.require("stock_after")) r.integer("stock_after", -kMaxLedgerUnits, kMaxLedgerUnits, m.stock_after);
  std::optional<Millis> at;
  r.time("at", at);
  m.at = at.value_or(ctx.now);
  m.actor = std::string(kSystemActor);
  r.string("actor", 1, kMaxActorLength, m.actor);
  r.reject_unknown({"product_id", "variant_id", "delta", "reason", "order_id", "note", "stock_after", "at", "actor"},
                   {"id", "version", "created_at", "updated_at"});
  if (!errors.empty()) return errors.problem();
  m.product_id = std::move(*product_id);
  m.variant_id = std::move(*variant_id);
  return m;
}

json::object encode_stock_movement(const StockMovement& m) {
  json::object o;
  o["product_id"] = m.product_id;
  o["variant_id"] = m.variant_id;
  o["delta"] = m.delta;
  o["reason"] = to_string(m.reason);
  if (m.order_id) o["order_id"] = *m.order_id;
  if (m.note) o["note"] = *m.note;
  o["stock_after"] = m.stock_after;
  o["at"] = format_rfc3339(m.at);
  o["actor"] = m.actor;
  return o;
}

}  // namespace shelfsync

#pragma once
// The stock movement of SPEC §2 (one entry of the stock ledger) as a typed
// value, and its JSON codec. decode_stock_movement is the one place a
// movement document is validated (StockMovementCollection::normalize is
// encode_stock_movement of it); the stock ledger builds movements as this
// type.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "domain/collection.hpp"
#include "domain/problem.hpp"
#include "domain/time.hpp"

namespace shelfsync {

inline constexpr std::array<std::string_view, 6> kMovementReasons = {"sale",       "cancel", "purchase",
                                                                     "adjustment", "return", "sync"};

// Indexed like kMovementReasons.
enum class MovementReason { sale, cancel, purchase, adjustment, return_, sync };

std::string_view to_string(MovementReason reason);
std::optional<MovementReason> parse_movement_reason(std::string_view text);

struct StockMovement {
  std::string product_id;
  std::string variant_id;
  std::int64_t delta = 0;  // never 0
  MovementReason reason = MovementReason::adjustment;
  std::optional<std::string> order_id;  // the order that sold or cancelled
  std::optional<std::string> note;      // an empty note given is kept
  std::int64_t stock_after = 0;         // the variant's stock once moved
  Millis at = 0;
  std::string actor;  // a Principal's actor, or "system"
  friend bool operator==(const StockMovement&, const StockMovement&) = default;
};

// Reads a movement document (a stored one, or one the server built) and
// returns the movement, or a 422 naming every bad member. Members are those
// of StockMovementCollection; system fields are ignored. Defaults: at
// ctx.now, actor "system".
Result<StockMovement> decode_stock_movement(const boost::json::object& doc, const NormalizeContext& ctx);

// The canonical stored form: fixed member order, optional members only when
// set, at in RFC 3339 UTC ms.
boost::json::object encode_stock_movement(const StockMovement& movement);

}  // namespace shelfsync

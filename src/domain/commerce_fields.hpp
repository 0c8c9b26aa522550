#pragma once
// What the commerce documents (orders, bills, stock movements, alerts) share:
// the bounds of their members and the actor of the server's own changes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace shelfsync {

inline constexpr std::size_t kMaxNoteLength = 500;                      // movement notes, alert messages
inline constexpr std::size_t kMaxActorLength = 200;                     // who made a change ("system", a token id)
inline constexpr std::size_t kMaxStatusHistory = 50;                    // entries per order
inline constexpr std::size_t kMaxPayments = 100;                        // per bill
inline constexpr std::size_t kMaxReferenceLength = 200;                 // a payment's reference
inline constexpr std::int64_t kMaxOrderNumber = 1'000'000'000'000'000;  // 10^15
// Ledger quantities (delta, stock_after): a sanity bound, not a business rule.
inline constexpr std::int64_t kMaxLedgerUnits = 1'000'000'000'000;  // 10^12

// Who a change is by when the caller names no actor.
inline constexpr std::string_view kSystemActor = "system";

// A Principal's actor, or "system" for a caller without one.
inline std::string actor_or_system(std::string_view actor) { return std::string(actor.empty() ? kSystemActor : actor); }

}  // namespace shelfsync

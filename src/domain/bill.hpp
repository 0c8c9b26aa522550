#pragma once
// The bill of SPEC §5 and its payments as typed values, and their JSON
// codec. decode_bill is the one place a bill document is validated
// (BillCollection::normalize is encode_bill of it); the commerce code pays
// and voids bills through these types instead of picking the stored JSON
// apart.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/collection.hpp"
#include "domain/problem.hpp"
#include "domain/time.hpp"

namespace shelfsync {

inline constexpr std::array<std::string_view, 4> kBillStatuses = {"unpaid", "partially_paid", "paid", "void"};
inline constexpr std::array<std::string_view, 4> kPaymentMethods = {"cash", "card", "transfer", "other"};

// Indexed like the names above.
enum class BillStatus { unpaid, partially_paid, paid, void_ };
enum class PaymentMethod { cash, card, transfer, other };

std::string_view to_string(BillStatus status);
std::string_view to_string(PaymentMethod method);

struct BillPayment {
  std::int64_t amount = 0;  // ≥ 1
  PaymentMethod method = PaymentMethod::cash;
  std::string reference;  // "" when none was given
  Millis at = 0;
  std::string actor;  // who took it: a Principal's actor, or "system"
  friend bool operator==(const BillPayment&, const BillPayment&) = default;
};

struct Bill {
  std::optional<std::int64_t> number;  // 1, 2, 3, ... per tenant
  std::string customer_id;
  std::optional<std::string> order_id;  // the order it bills, if any
  std::int64_t amount = 0;
  std::string currency;
  bool voided = false;  // void keeps the payments: what was paid is refund_due
  std::optional<Millis> due_at;
  std::vector<BillPayment> payments;
  std::string note;  // "" when none

  // Stored as paid_amount: the sum of the payments.
  std::int64_t paid_amount() const;
  // What a payment may still take (never below 0 unless void).
  std::int64_t open_amount() const { return amount - paid_amount(); }
  // Stored as status: void, else what the payments leave open (a bill of 0 is paid).
  BillStatus status() const;
  friend bool operator==(const Bill&, const Bill&) = default;
};

// Reads a bill document (a stored one, or one the server built) and returns
// the bill, or a 422 naming every bad member ("payments[0].method"). Members
// are those of BillCollection; system fields and the derived paid_amount
// and refund_due are ignored, and so is a given status other than void (the
// payments decide it). Defaults: currency the tenant's (`ctx`), no payments,
// a payment's at ctx.now and actor "system". Unless void, the payments may
// not add up to more than the amount.
Result<Bill> decode_bill(const boost::json::object& doc, const NormalizeContext& ctx);

// The canonical stored form: fixed member order, paid_amount and status
// derived, optional members only when set, times in RFC 3339 UTC ms.
boost::json::object encode_bill(const Bill& bill);

}  // namespace shelfsync

// decode_bill and encode_bill: the bill document (domain/bill.hpp).

#include <utility>

#include <boost/json.hpp>

#include "domain/bill.hpp"
#include "domain/checkout.hpp"
#include "domain/commerce_codec_internal.hpp"
#include "domain/commerce_fields.hpp"
#include "domain/json_read.hpp"

namespace shelfsync {

namespace json = boost::json;
using commerce_codec::read_currency;
using commerce_codec::read_enum;

namespace {

// The payments as given (none when absent).
std::vector<BillPayment> read_payments(MemberReader& r, const NormalizeContext& ctx) {
  std::vector<BillPayment> out;
  const json::array* list = r.array("payments", kMaxPayments);
  if (!list) return out;
  Errors& errors = r.errors();
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = element_path("payments", i);
    if (!(*list)[i].is_object()) {
      errors.add(path, "must be an object");
      continue;
    }
    MemberReader e((*list)[i].get_object(), path, errors);
    BillPayment payment;
    if (e.require("amount")) e.integer("amount", 1, kMaxOrderTotal, payment.amount);
    if (e.require("method")) read_enum(e, "method", kPaymentMethods, payment.method);
    e.string("reference", 1, kMaxReferenceLength, payment.reference);
    std::optional<Millis> at;
    e.time("at", at);
    payment.at = at.value_or(ctx.now);
    payment.actor = std::string(kSystemActor);
    e.string("actor", 1, kMaxActorLength, payment.actor);
    e.reject_unknown({"amount", "method", "reference", "at", "actor"});
    out.push_back(std::move(payment));
  }
  return out;
}

json::object encode_payment(const BillPayment& payment) {
  json::object o;
  o["amount"] = payment.amount;
  o["method"] = to_string(payment.method);
  if (!payment.reference.empty()) o["reference"] = payment.reference;
  o["at"] = format_rfc3339(payment.at);
  o["actor"] = payment.actor;
  return o;
}

}  // namespace

std::string_view to_string(BillStatus status) { return kBillStatuses[static_cast<std::size_t>(status)]; }
std::string_view to_string(PaymentMethod method) { return kPaymentMethods[static_cast<std::size_t>(method)]; }

std::int64_t Bill::paid_amount() const {
  std::int64_t paid = 0;
  for (const BillPayment& payment : payments) paid += payment.amount;
  return paid;
}

BillStatus Bill::status() const {
  if (voided) return BillStatus::void_;
  const std::int64_t paid = paid_amount();
  if (paid >= amount) return BillStatus::paid;  // also a bill of 0
  return paid == 0 ? BillStatus::unpaid : BillStatus::partially_paid;
}

Result<Bill> decode_bill(const json::object& doc, const NormalizeContext& ctx) {
  Errors errors;
  MemberReader r(doc, "", errors);
  Bill bill;
  r.integer("number", 1, kMaxOrderNumber, bill.number);
  std::optional<std::string> customer_id;
  if (r.require("customer_id")) r.id("customer_id", customer_id);
  r.id("order_id", bill.order_id);
  if (r.require("amount")) r.integer("amount", 0, kMaxOrderTotal, bill.amount);
  bill.currency = read_currency(r, ctx);
  BillStatus given_status = BillStatus::unpaid;
  read_enum(r, "status", kBillStatuses, given_status);
  bill.voided = given_status == BillStatus::void_;
  r.time("due_at", bill.due_at);
  bill.payments = read_payments(r, ctx);
  r.string("note", 0, kMaxNoteLength, bill.note);
  r.reject_unknown({"number", "customer_id", "order_id", "amount", "currency", "status", "due_at", "payments", "note"},
                   // derived: paid_amount from the payments; refund_due when read
                   {"id", "version", "created_at", "updated_at", "paid_amount", "refund_due"});
  const std::int64_t paid = bill.paid_amount();
  if (paid > bill.amount && !bill.voided)
    errors.add("payments",
               "pay " + std::to_string(paid) + " in all, more than the amount " + std::to_string(bill.amount));
  if (!errors.empty()) return errors.problem();
  bill.customer_id = std::move(*customer_id);
  return bill;
}

json::object encode_bill(const Bill& bill) {
  json::object o;
  if (bill.number) o["number"] = *bill.number;
  o["customer_id"] = bill.customer_id;
  if (bill.order_id) o["order_id"] = *bill.order_id;
  o["amount"] = bill.amount;
  if (!bill.currency.empty()) o["currency"] = bill.currency;
  o["paid_amount"] = bill.paid_amount();
  o["status"] = to_string(bill.status());
  if (bill.due_at) o["due_at"] = format_rfc3339(*bill.due_at);
  json::array payments;
  for (const BillPayment& payment : bill.payments) payments.push_back(encode_payment(payment));
  o["payments"] = std::move(payments);
  if (!bill.note.empty()) o["note"] = bill.note;
  return o;
}

}  // namespace shelfsync

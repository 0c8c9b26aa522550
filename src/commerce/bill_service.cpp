#include "commerce/bill_service.hpp"

#include "auth/read_rules.hpp"
#include "catalog/record_writes.hpp"
#include "commerce/stored_document.hpp"
#include "domain/checkout.hpp"
#include "domain/commerce_collections.hpp"
#include "domain/ids.hpp"
#include "domain/json_read.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

const BillCollection kBills;

// A bill that can still change: stored, at the version If-Match names, not
// void.
Result<StoredDocument<Bill>> open_bill(WriteTxn& txn, const Principal& who, const std::string& id, const BillCall& call,
                                       const NormalizeContext& ctx) {
  auto record = txn.get(who.tenant, "bills", id);
  if (!record || record->deleted) return Problem::not_found("bills '" + id + "' does not exist");
  if (call.if_match && *call.if_match != record->version)
    return version_mismatch(*record, kBills, who.projection(), *call.if_match);
  auto bill = decode_stored(std::move(*record), decode_bill, ctx);
  if (bill && bill->value.voided) return Problem::of(ErrorCode::bill_void, "bill '" + id + "' is void");
  return bill;
}

// Writes the changed bill as the stored one's next version and sets `out`
// to the answer.
std::optional<Problem> write_next(WriteTxn& txn, const Principal& who, const StoredDocument<Bill>& bill,
                                  const NormalizeContext& ctx, const BillCall& call, std::optional<json::object>& out) {
  auto canonical = kBills.normalize(encode_bill(bill.value), &bill.json, ctx);
  if (!canonical) return canonical.problem();
  auto write = next_version_write(kBills, bill.record, bill.json, *canonical, ctx.now, call.origin);
  txn.put(write);
  out = render_document(std::move(*canonical), write.record, kBills, who.projection());
  return std::nullopt;
}

}  // namespace

Result<ManualBill> decode_manual_bill(const json::object& body) {
  Errors errors;
  MemberReader r(body, "", errors);
  ManualBill out;
  std::optional<std::string> customer_id;
  if (r.require("customer_id")) r.id("customer_id", customer_id);
  if (r.require("amount")) r.integer("amount", 1, kMaxOrderTotal, out.amount);
  r.time("due_at", out.due_at);
  r.string("note", 0, kMaxNoteLength, out.note);
  r.reject_unknown({"customer_id", "amount", "due_at", "note"});
  if (!errors.empty()) return errors.problem();
  out.customer_id = std::move(*customer_id);
  return out;
}

Result<Payment> decode_payment(const json::object& body) {
  Errors errors;
  MemberReader r(body, "", errors);
  Payment out;
  if (r.require("amount")) r.integer("amount", 1, kMaxOrderTotal, out.amount);
  std::size_t method = 0;
  if (r.require("method") && r.one_of("method", kPaymentMethods, method))
    out.method = static_cast<PaymentMethod>(method);  // indexed like the names
  r.string("reference", 1, kMaxReferenceLength, out.reference);
  r.reject_unknown({"amount", "method", "reference"});
  if (!errors.empty()) return errors.problem();
  return out;
}

Result<json::object> BillService::create(const Principal& who, const ManualBill& bill, const BillCall& call) {
  return write_answer(
      store_, call.idempotency, [&](WriteTxn& txn, std::optional<json::object>& out) -> std::optional<Problem> {
        const auto customer = txn.head(who.tenant, "customers", bill.customer_id);
        if (!customer || customer->deleted)
          return Problem::validation({{"customer_id", "customer '" + bill.customer_id + "' does not exist"}});
        Bill numbered;
        numbered.number = txn.next_counter(who.tenant, "bill_number");
        numbered.customer_id = bill.customer_id;
        numbered.amount = bill.amount;
        numbered.currency = who.currency;
        numbered.due_at = bill.due_at;
        numbered.note = bill.note;
        auto write = new_internal_record(kBills, who.tenant, new_id(kBills.id_prefix()), encode_bill(numbered),
                                         {now_ms(), who.currency}, call.origin);
        if (!write) return write.problem();
        txn.put(*write);
        out = render_record(write->record, kBills, who.projection());
        return std::nullopt;
      });
}

Result<json::object> BillService::pay(const Principal& who, const std::string& bill_id, const Payment& payment,
                                      const BillCall& call) {
  return write_answer(
      store_, call.idempotency, [&](WriteTxn& txn, std::optional<json::object>& out) -> std::optional<Problem> {
        const NormalizeContext ctx{now_ms(), who.currency};
        auto bill = open_bill(txn, who, bill_id, call, ctx);
        if (!bill) return bill.problem();
        const std::int64_t open = bill->value.open_amount();
        if (payment.amount > open) {
          Problem p = Problem::of(ErrorCode::overpayment, "the payment of " + std::to_string(payment.amount) +
                                                              " is more than the " + std::to_string(open) +
                                                              " open on the bill");
          p.extensions["open_amount"] = open;
          return p;
        }
        bill->value.payments.push_back({payment.amount, payment.method, payment.reference, ctx.now, who.actor});
        return write_next(txn, who, *bill, ctx, call, out);
      });
}

Result<json::object> BillService::void_bill(const Principal& who, const std::string& bill_id, const BillCall& call) {
  return write_answer(store_, call.idempotency,
                      [&](WriteTxn& txn, std::optional<json::object>& out) -> std::optional<Problem> {
                        const NormalizeContext ctx{now_ms(), who.currency};
                        auto bill = open_bill(txn, who, bill_id, call, ctx);
                        if (!bill) return bill.problem();
                        bill->value.voided = true;
                        return write_next(txn, who, *bill, ctx, call, out);
                      });
}

}  // namespace shelfsync

#include "commerce/bill_service.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include "auth/read_rules.hpp"
#include "catalog/record_writes.hpp"
#include "domain/checkout.hpp"
#include "domain/commerce_collections.hpp"
#include "domain/ids.hpp"
#include "domain/json_read.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

const BillCollection kBills;

// What was paid so far (a bill written before payments existed has none).
std::int64_t paid_of(const json::object& bill) {
  const auto* paid = bill.if_contains("paid_amount");
  return paid && paid->is_int64() ? paid->as_int64() : 0;
}

// A bill that can still change: stored, at the version If-Match names, not
// void. Its document is parsed.
struct OpenBill {
  StoredRecord record;
  json::object doc;
};

Result<OpenBill> open_bill(WriteTxn& txn, const Principal& who, const std::string& id,
                           const BillCall& call) {
  auto bill = txn.get(who.tenant, "bills", id);
  if (!bill || bill->deleted) return Problem::not_found("bills '" + id + "' does not exist");
  if (call.if_match && *call.if_match != bill->version)
    return version_mismatch(*bill, kBills, who.projection(), *call.if_match);
  auto doc = json::parse(bill->data).as_object();
  if (doc.at("status") == "void")
    return Problem::of(ErrorCode::bill_void, "bill '" + id + "' is void");
  return OpenBill{std::move(*bill), std::move(doc)};
}

// Writes `doc` as the bill's next version and sets `out` to the answer.
std::optional<Problem> write_next(WriteTxn& txn, const Principal& who, const StoredRecord& bill,
                                  const json::object& previous, const json::object& doc,
                                  Millis now, const BillCall& call,
                                  std::optional<json::object>& out) {
  auto canonical = kBills.normalize(doc, &previous, {now, who.currency});
  if (!canonical) return canonical.problem();
  auto write = next_version_write(kBills, bill, previous, *canonical, now, call.origin);
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
    out.method = kPaymentMethods[method];
  r.string("reference", 1, kMaxReferenceLength, out.reference);
  r.reject_unknown({"amount", "method", "reference"});
  if (!errors.empty()) return errors.problem();
  return out;
}

Result<json::object> BillService::create(const Principal& who, const ManualBill& bill,
                                         const BillCall& call) {
  return write_answer(store_, call.idempotency,
                      [&](WriteTxn& txn, std::optional<json::object>& out) -> std::optional<Problem> {
    const auto customer = txn.head(who.tenant, "customers", bill.customer_id);
    if (!customer || customer->deleted)
      return Problem::validation(
          {{"customer_id", "customer '" + bill.customer_id + "' does not exist"}});
    const Millis now = now_ms();
    json::object doc{{"number", txn.next_counter(who.tenant, "bill_number")},
                     {"customer_id", bill.customer_id},
                     {"amount", bill.amount}};
    if (bill.due_at) doc["due_at"] = format_rfc3339(*bill.due_at);
    if (!bill.note.empty()) doc["note"] = bill.note;
    auto write = new_internal_record(kBills, who.tenant, new_id(kBills.id_prefix()), doc,
                                     {now, who.currency}, call.origin);
    if (!write) return write.problem();
    txn.put(*write);
    out = render_record(write->record, kBills, who.projection());
    return std::nullopt;
  });
}

Result<json::object> BillService::pay(const Principal& who, const std::string& bill_id,
                                      const Payment& payment, const BillCall& call) {
  return write_answer(store_, call.idempotency,
                      [&](WriteTxn& txn, std::optional<json::object>& out) -> std::optional<Problem> {
    auto bill = open_bill(txn, who, bill_id, call);
    if (!bill) return bill.problem();
    const json::object& previous = bill->doc;
    const std::int64_t open = previous.at("amount").as_int64() - paid_of(previous);
    if (payment.amount > open) {
      Problem p = Problem::of(ErrorCode::overpayment, "the payment of " + std::to_string(payment.amount) +
                                                          " is more than the " + std::to_string(open) +
                                                          " open on the bill");
      p.extensions["open_amount"] = open;
      return p;
    }
    const Millis now = now_ms();
    json::object doc = previous;
    auto& payments = doc["payments"];
    if (!payments.is_array()) payments = json::array();
    payments.as_array().push_back(
        bill_payment(payment.amount, payment.method, payment.reference, now, who.actor));
    return write_next(txn, who, bill->record, previous, doc, now, call, out);
  });
}

Result<json::object> BillService::void_bill(const Principal& who, const std::string& bill_id,
                                            const BillCall& call) {
  return write_answer(store_, call.idempotency,
                      [&](WriteTxn& txn, std::optional<json::object>& out) -> std::optional<Problem> {
    auto bill = open_bill(txn, who, bill_id, call);
    if (!bill) return bill.problem();
    json::object doc = bill->doc;
    doc["status"] = "void";
    return write_next(txn, who, bill->record, bill->doc, doc, now_ms(), call, out);
  });
}

}  // namespace shelfsync

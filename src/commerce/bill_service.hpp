#pragma once
// Bills (SPEC §5): manual bills, payments, voiding. A customer order's bill
// is written by the order itself (order_placing.cpp) and voided by its
// cancel (order_service.cpp). Each call is one WriteFn that reads the bill,
// checks it and writes its next version, so two payments racing for the
// last open amount cannot both be taken; every call honours the request's
// Idempotency-Key (write_answer).
//
// Thread-safe; every call blocks on the store: call from worker threads.

#include <cstdint>
#include <optional>
#include <string>

#include <boost/json/object.hpp>

#include "auth/tokens.hpp"
#include "catalog/idempotency.hpp"
#include "domain/bill.hpp"
#include "domain/problem.hpp"
#include "store/store.hpp"

namespace shelfsync {

struct ManualBill {
  std::string customer_id;
  std::int64_t amount = 0;
  std::optional<Millis> due_at;
  std::string note;
};

// Decodes {customer_id, amount (≥ 1), due_at?, note?}; 422 naming each bad member.
Result<ManualBill> decode_manual_bill(const boost::json::object& body);

struct Payment {
  std::int64_t amount = 0;
  PaymentMethod method = PaymentMethod::cash;
  std::string reference;
};

// Decodes {amount (≥ 1), method, reference?}; 422 naming each bad member.
Result<Payment> decode_payment(const boost::json::object& body);

// What every bill call carries besides its own input.
struct BillCall {
  std::optional<std::int64_t> if_match;      // expected version of the bill
  std::string origin;                        // X-Client-Id
  IdempotentRequest* idempotency = nullptr;  // the POST's key, if any
};

class BillService {
 public:
  explicit BillService(Store& store) : store_(store) {}

  // The new bill, numbered; 422 unknown customer.
  Result<boost::json::object> create(const Principal& who, const ManualBill& bill, const BillCall& call);
  // The bill with the payment appended; 409 overpayment (more than is open),
  // 409 bill_void.
  Result<boost::json::object> pay(const Principal& who, const std::string& bill_id, const Payment& payment,
                                  const BillCall& call);
  // The bill, void, keeping its payments; 409 bill_void if it already is.
  Result<boost::json::object> void_bill(const Principal& who, const std::string& bill_id, const BillCall& call);

 private:
  Store& store_;
};

}  // namespace shelfsync

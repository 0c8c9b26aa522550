#include "domain/bill.hpp"

#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "domain/codec_test_support.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

using namespace codec_test;  // kNow, kCtx, obj, errors_of

// A stored bill as the server writes it today: the wire format.
constexpr std::string_view kStored =
    R"({"number":3,"customer_id":"cust_1","order_id":"ord_1","amount":1000,"currency":"USD",)"
    R"("paid_amount":600,"status":"partially_paid","due_at":"2026-02-01T00:00:00.000Z","payments":[)"
    R"({"amount":400,"method":"card","at":"2026-01-31T09:00:00.000Z","actor":"service:00aa11bb"},)"
    R"({"amount":200,"method":"transfer","reference":"TRF-123456","at":"2026-01-31T10:00:00.000Z",)"
    R"("actor":"admin:22cc33dd"}],"note":"Monthly fees"})";

Bill decode_ok(const json::object& doc) {
  auto r = decode_bill(doc, kCtx);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : errors_of(r.problem()));
  return r.ok() ? *r : Bill{};
}

TEST(BillCodec, AStoredBillDecodesAndEncodesBackUnchanged) {
  const Bill bill = decode_ok(obj(kStored));
  EXPECT_EQ(bill.number, 3);
  EXPECT_EQ(bill.customer_id, "cust_1");
  EXPECT_EQ(bill.order_id, "ord_1");
  EXPECT_EQ(bill.amount, 1000);
  EXPECT_EQ(bill.currency, "USD");
  EXPECT_FALSE(bill.voided);
  EXPECT_EQ(bill.due_at, parse_rfc3339("2026-02-01T00:00:00Z"));
  ASSERT_EQ(bill.payments.size(), 2u);
  EXPECT_EQ(bill.payments[0],
            (BillPayment{400, PaymentMethod::card, "", *parse_rfc3339("2026-01-31T09:00:00Z"), "service:00aa11bb"}));
  EXPECT_EQ(bill.payments[1].method, PaymentMethod::transfer);
  EXPECT_EQ(bill.payments[1].reference, "TRF-123456");
  EXPECT_EQ(bill.note, "Monthly fees");
  EXPECT_EQ(bill.paid_amount(), 600);
  EXPECT_EQ(bill.open_amount(), 400);
  EXPECT_EQ(bill.status(), BillStatus::partially_paid);

  EXPECT_EQ(json::serialize(encode_bill(bill)), kStored);
}

TEST(BillCodec, ATypedBillRoundTrips) {
  Bill bill;
  bill.number = 1;
  bill.customer_id = "cust_2";
  bill.amount = 500;
  bill.currency = "EUR";
  const json::object doc = encode_bill(bill);
  EXPECT_EQ(json::serialize(doc), R"({"number":1,"customer_id":"cust_2","amount":500,"currency":"EUR",)"
                                  R"("paid_amount":0,"status":"unpaid","payments":[]})");
  EXPECT_EQ(decode_ok(doc), bill);

  bill.payments.push_back({500, PaymentMethod::cash, "", kNow, "staff:0123abcd"});
  bill.voided = true;
  EXPECT_EQ(json::serialize(encode_bill(bill)),
            R"({"number":1,"customer_id":"cust_2","amount":500,"currency":"EUR","paid_amount":500,)"
            R"("status":"void","payments":[{"amount":500,"method":"cash","at":"2023-11-14T22:13:20.000Z",)"
            R"("actor":"staff:0123abcd"}]})");
  EXPECT_EQ(decode_ok(encode_bill(bill)), bill);
}

TEST(BillCodec, ThePaymentsDecideTheStatusUnlessVoid) {
  Bill bill;
  bill.amount = 100;
  EXPECT_EQ(bill.status(), BillStatus::unpaid);
  bill.payments.push_back({40, PaymentMethod::card, "", kNow, "system"});
  EXPECT_EQ(bill.status(), BillStatus::partially_paid);
  EXPECT_EQ(bill.open_amount(), 60);
  bill.payments.push_back({60, PaymentMethod::cash, "", kNow, "system"});
  EXPECT_EQ(bill.status(), BillStatus::paid);
  EXPECT_EQ(bill.open_amount(), 0);
  bill.voided = true;
  EXPECT_EQ(bill.status(), BillStatus::void_);
  EXPECT_EQ(Bill{}.status(), BillStatus::paid);  // a bill of 0 asks nothing

  // A given status other than void is derived over; the given paid_amount is ignored.
  const Bill given = decode_ok(obj(R"({"customer_id":"c","amount":100,"status":"paid","paid_amount":99})"));
  EXPECT_EQ(given.status(), BillStatus::unpaid);
  EXPECT_FALSE(given.voided);
}

TEST(BillCodec, DefaultsComeFromTheContext) {
  const Bill bill = decode_ok(obj(R"({"customer_id":"c","amount":100,"payments":[{"amount":5,"method":"other"}]})"));
  EXPECT_EQ(bill.currency, "EUR");
  EXPECT_FALSE(bill.number);
  EXPECT_FALSE(bill.order_id);
  EXPECT_FALSE(bill.due_at);
  EXPECT_EQ(bill.payments, (std::vector<BillPayment>{{5, PaymentMethod::other, "", kNow, "system"}}));
}

TEST(BillCodec, AMalformedBillIsRefusedNamingEveryBadMember) {
  const auto refused = [](std::string_view text) {
    auto r = decode_bill(obj(text), kCtx);
    EXPECT_FALSE(r.ok()) << text;
    if (r.ok()) return std::string();
    EXPECT_EQ(r.problem().status, 422);
    EXPECT_EQ(r.problem().code, ErrorCode::validation_failed);
    return errors_of(r.problem());
  };
  EXPECT_EQ(refused(R"({"amount":-1,"tax":1})"),
            "customer_id: required; amount: must be at least 0; tax: unknown field");
  EXPECT_EQ(refused(R"({"customer_id":"c","amount":5,"payments":[{"amount":1,"method":"iou"},7]})"),
            "payments[0].method: must be one of: cash, card, transfer, other; payments[1]: must be an object");
  EXPECT_EQ(refused(R"({"customer_id":"c","amount":5,"payments":[{"amount":3,"method":"cash"},
                        {"amount":3,"method":"card"}]})"),
            "payments: pay 6 in all, more than the amount 5");
  // A void bill keeps what was paid, even more than its amount.
  EXPECT_TRUE(decode_bill(obj(R"({"customer_id":"c","amount":5,"status":"void",
                                  "payments":[{"amount":6,"method":"cash"}]})"),
                          kCtx)
                  .ok());
}

}  // namespace
}  // namespace shelfsync

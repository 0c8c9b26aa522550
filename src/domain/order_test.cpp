#include "domain/order.hpp"

#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "domain/codec_test_support.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

using namespace codec_test;  // kNow, kCtx, obj, errors_of

// A stored order as the server writes it today: the wire format.
constexpr std::string_view kStored =
    R"({"number":42,"customer_id":"cust_1","channel":"pos","items":[)"
    R"x({"product_id":"prod_1","variant_id":"var_1","title":"Tee (L / Blue)","qty":3,"unit_price":100,)x"
    R"("line_total":300},)"
    R"({"product_id":"prod_2","variant_id":"var_2","title":"Hat","qty":1,"unit_price":0,"line_total":0}],)"
    R"("total":300,"currency":"USD","status":"confirmed","status_history":[)"
    R"({"status":"placed","at":"2026-01-31T09:00:00.000Z","actor":"customer:cust_1"},)"
    R"({"status":"confirmed","at":"2026-01-31T10:00:00.000Z","actor":"staff:0123abcd"}]})";

Order decode_ok(const json::object& doc) {
  auto r = decode_order(doc, kCtx);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : errors_of(r.problem()));
  return r.ok() ? *r : Order{};
}

TEST(OrderCodec, AStoredOrderDecodesAndEncodesBackUnchanged) {
  const Order order = decode_ok(obj(kStored));
  EXPECT_EQ(order.number, 42);
  EXPECT_EQ(order.customer_id, "cust_1");
  EXPECT_EQ(order.channel, OrderChannel::pos);
  ASSERT_EQ(order.items.size(), 2u);
  EXPECT_EQ(order.items[0].product_id, "prod_1");
  EXPECT_EQ(order.items[0].variant_id, "var_1");
  EXPECT_EQ(order.items[0].title, "Tee (L / Blue)");
  EXPECT_EQ(order.items[0].qty, 3);
  EXPECT_EQ(order.items[0].unit_price, 100);
  EXPECT_EQ(order.items[0].line_total(), 300);
  EXPECT_EQ(order.total(), 300);
  EXPECT_EQ(order.currency, "USD");
  EXPECT_EQ(order.status, OrderStatus::confirmed);
  ASSERT_EQ(order.status_history.size(), 2u);
  EXPECT_EQ(order.status_history[0],
            (StatusChange{OrderStatus::placed, *parse_rfc3339("2026-01-31T09:00:00Z"), "customer:cust_1"}));
  EXPECT_EQ(order.status_history[1].actor, "staff:0123abcd");

  EXPECT_EQ(json::serialize(encode_order(order)), kStored);
}

TEST(OrderCodec, SystemFieldsAreIgnored) {
  json::object doc = obj(kStored);
  doc["id"] = "ord_1";
  doc["version"] = 3;
  doc["created_at"] = "2026-01-31T09:00:00.000Z";
  doc["updated_at"] = "2026-01-31T10:00:00.000Z";
  EXPECT_EQ(json::serialize(encode_order(decode_ok(doc))), kStored);
}

TEST(OrderCodec, ATypedOrderRoundTrips) {
  Order order;
  order.number = 7;
  order.channel = OrderChannel::web;
  order.items = {{"prod_1", "var_1", "Shirt", 2, 1250}};
  order.currency = "EUR";
  order.set_status(OrderStatus::placed, kNow, "public");
  order.set_status(OrderStatus::cancelled, kNow + 1, "admin:00ff00ff");

  const json::object doc = encode_order(order);
  EXPECT_EQ(json::serialize(doc),
            R"({"number":7,"channel":"web","items":[{"product_id":"prod_1","variant_id":"var_1",)"
            R"("title":"Shirt","qty":2,"unit_price":1250,"line_total":2500}],"total":2500,)"
            R"("currency":"EUR","status":"cancelled","status_history":[)"
            R"({"status":"placed","at":"2023-11-14T22:13:20.000Z","actor":"public"},)"
            R"({"status":"cancelled","at":"2023-11-14T22:13:20.001Z","actor":"admin:00ff00ff"}]})");
  EXPECT_EQ(decode_ok(doc), order);  // a guest order: no customer_id either way
}

TEST(OrderCodec, DefaultsComeFromTheContext) {
  const Order order = decode_ok(
      obj(R"({"number":1,"items":[{"product_id":"p","variant_id":"v","title":"T","qty":1,"unit_price":5}]})"));
  EXPECT_EQ(order.channel, OrderChannel::api);
  EXPECT_EQ(order.status, OrderStatus::placed);
  EXPECT_EQ(order.currency, "EUR");
  EXPECT_FALSE(order.customer_id);
  EXPECT_EQ(order.status_history, (std::vector<StatusChange>{{OrderStatus::placed, kNow, "system"}}));
}

TEST(OrderCodec, AMalformedOrderIsRefusedNamingEveryBadMember) {
  const auto refused = [](std::string_view text) {
    auto r = decode_order(obj(text), kCtx);
    EXPECT_FALSE(r.ok()) << text;
    if (r.ok()) return std::string();
    EXPECT_EQ(r.problem().status, 422);
    EXPECT_EQ(r.problem().code, ErrorCode::validation_failed);
    return errors_of(r.problem());
  };
  EXPECT_EQ(refused(R"({"items":[]})"), "number: required; items: must have at least 1 item");
  EXPECT_EQ(refused(R"({"number":1,"status":"shipped","items":[{"product_id":"p","variant_id":"v",
                        "title":"T","qty":0,"unit_price":1,"sku":"x"}]})"),
            "items[0].qty: must be at least 1; items[0].sku: unknown field; "
            "status: must be one of: placed, confirmed, fulfilled, cancelled");
  EXPECT_EQ(refused(R"({"number":1,"total":11,"items":[{"product_id":"p","variant_id":"v","title":"T",
                        "qty":2,"unit_price":5,"line_total":10}]})"),
            "total: must be the sum of the line totals (10)");
  EXPECT_EQ(refused(R"({"number":1,"items":[{"product_id":"p","variant_id":"v","title":"T","qty":2,
                        "unit_price":5,"line_total":5}]})"),
            "items[0].line_total: must be qty * unit_price (10)");
  EXPECT_EQ(refused(R"({"number":1,"status":"confirmed","status_history":[{"status":"placed"}],
                        "items":[{"product_id":"p","variant_id":"v","title":"T","qty":1,"unit_price":1}]})"),
            "status_history[0].status: the last entry must be the order's status (confirmed)");
}

TEST(OrderStatuses, NamesAndTransitions) {
  for (std::size_t i = 0; i < kOrderStatuses.size(); ++i) {
    const auto status = parse_order_status(kOrderStatuses[i]);
    ASSERT_TRUE(status);
    EXPECT_EQ(to_string(*status), kOrderStatuses[i]);
  }
  for (std::size_t i = 0; i < kOrderChannels.size(); ++i)
    EXPECT_EQ(to_string(*parse_order_channel(kOrderChannels[i])), kOrderChannels[i]);
  EXPECT_FALSE(parse_order_status("shipped"));
  EXPECT_FALSE(parse_order_channel("phone"));

  using enum OrderStatus;
  EXPECT_TRUE(order_transition_allowed(placed, confirmed));
  EXPECT_TRUE(order_transition_allowed(placed, cancelled));
  EXPECT_TRUE(order_transition_allowed(confirmed, fulfilled));
  EXPECT_TRUE(order_transition_allowed(confirmed, cancelled));
  EXPECT_FALSE(order_transition_allowed(placed, fulfilled));
  EXPECT_FALSE(order_transition_allowed(placed, placed));
  EXPECT_FALSE(order_transition_allowed(fulfilled, cancelled));
  EXPECT_FALSE(order_transition_allowed(cancelled, placed));
}

}  // namespace
}  // namespace shelfsync

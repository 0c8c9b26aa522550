#include "domain/commerce_collections.hpp"

#include <algorithm>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace shelfsync {
namespace {

namespace json = boost::json;

constexpr Millis kNow = 1'700'000'000'000;  // 2023-11-14T22:13:20.000Z
const NormalizeContext kCtx{kNow, "EUR"};
constexpr Role kAllRoles[] = {Role::admin, Role::staff, Role::customer, Role::service, Role::public_};

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

bool has_error(const Problem& p, std::string_view field) {
  return std::any_of(p.errors.begin(), p.errors.end(), [&](const FieldError& e) { return e.field == field; });
}

const Collection& coll(std::string_view name) { return *find_collection(name); }

// Each case must fail with a 422 naming `field`.
void expect_rejected(const Collection& c, std::initializer_list<std::pair<const char*, const char*>> cases) {
  for (const auto& [doc, field] : cases) {
    auto r = c.normalize(obj(doc), nullptr, kCtx);
    ASSERT_FALSE(r.ok()) << doc;
    EXPECT_EQ(r.problem().status, 422) << doc;
    EXPECT_TRUE(has_error(r.problem(), field)) << doc << " should name " << field;
  }
}

// ---- orders ----------------------------------------------------------------

TEST(Orders, NormalizeFillsDefaults) {
  auto r =
      coll("orders").normalize(obj(R"({"number":1,"items":[{"product_id":"prod_1","variant_id":"var_1","title":"Shirt",
              "qty":2,"unit_price":500},{"product_id":"prod_2","variant_id":"var_2",
              "title":"Hat","qty":1,"unit_price":0}]})"),
                               nullptr, kCtx);
  ASSERT_TRUE(r.ok()) << r.problem().detail;
  EXPECT_EQ(json::serialize(*r), R"({"number":1,"channel":"api","items":[)"
                                 R"({"product_id":"prod_1","variant_id":"var_1","title":"Shirt","qty":2,)"
                                 R"("unit_price":500,"line_total":1000},)"
                                 R"({"product_id":"prod_2","variant_id":"var_2","title":"Hat","qty":1,)"
                                 R"("unit_price":0,"line_total":0}],"total":1000,"currency":"EUR",)"
                                 R"("status":"placed","status_history":[)"
                                 R"({"status":"placed","at":"2023-11-14T22:13:20.000Z","actor":"system"}]})");
}

TEST(Orders, NormalizeKeepsGivenFieldsAndIgnoresSystemFields) {
  const char* doc = R"({"id":"ord_1","version":3,"created_at":"x","updated_at":"y",
      "number":42,"customer_id":"cust_1","channel":"pos",
      "items":[{"product_id":"p","variant_id":"v","title":"T","qty":3,"unit_price":100,
                "line_total":300}],
      "total":300,"currency":"USD","status":"confirmed",
      "status_history":[{"status":"placed","at":"2026-01-31T09:00:00Z","actor":"tok_1"},
                        {"status":"confirmed","at":"2026-01-31T10:00:00+01:00","actor":"tok_2"}]})";
  auto r = coll("orders").normalize(obj(doc), nullptr, kCtx);
  ASSERT_TRUE(r.ok()) << r.problem().detail;
  EXPECT_EQ(json::serialize(*r), R"({"number":42,"customer_id":"cust_1","channel":"pos","items":[)"
                                 R"({"product_id":"p","variant_id":"v","title":"T","qty":3,"unit_price":100,)"
                                 R"("line_total":300}],"total":300,"currency":"USD","status":"confirmed",)"
                                 R"("status_history":[{"status":"placed","at":"2026-01-31T09:00:00.000Z",)"
                                 R"("actor":"tok_1"},{"status":"confirmed","at":"2026-01-31T09:00:00.000Z",)"
                                 R"("actor":"tok_2"}]})");
  // Canonical output normalizes to itself.
  auto again = coll("orders").normalize(*r, &*r, kCtx);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *r);
}

TEST(Orders, RejectsBadShapes) {
  expect_rejected(
      coll("orders"),
      {
          {R"({"items":[{"product_id":"p","variant_id":"v","title":"T","qty":1,"unit_price":1}]})", "number"},
          {R"({"number":0,"items":[]})", "number"},
          {R"({"number":1})", "items"},
          {R"({"number":1,"items":[]})", "items"},
          {R"({"number":1,"items":[7]})", "items[0]"},
          {R"({"number":1,"items":[{"variant_id":"v","title":"T","qty":1,"unit_price":1}]})", "items[0].product_id"},
          {R"({"number":1,"items":[{"product_id":"p","variant_id":"v","qty":1,"unit_price":1}]})", "items[0].title"},
          {R"({"number":1,"items":[{"product_id":"p","variant_id":"v","title":"T","qty":0,
               "unit_price":1}]})",
           "items[0].qty"},
          {R"({"number":1,"items":[{"product_id":"p","variant_id":"v","title":"T","qty":1,
               "unit_price":-1}]})",
           "items[0].unit_price"},
          {R"({"number":1,"items":[{"product_id":"p","variant_id":"v","title":"T","qty":2,
               "unit_price":5,"line_total":5}]})",
           "items[0].line_total"},
          {R"({"number":1,"items":[{"product_id":"p","variant_id":"v","title":"T","qty":2,
               "unit_price":5,"sku":"x"}]})",
           "items[0].sku"},
          {R"({"number":1,"total":11,"items":[{"product_id":"p","variant_id":"v","title":"T",
               "qty":2,"unit_price":5}]})",
           "total"},
          {R"({"number":1,"customer_id":"a b","items":[]})", "customer_id"},
          {R"({"number":1,"channel":"phone","items":[]})", "channel"},
          {R"({"number":1,"currency":"EURO","items":[]})", "currency"},
          {R"({"number":1,"status":"shipped","items":[]})", "status"},
          {R"({"number":1,"status_history":{},"items":[]})", "status_history"},
          {R"({"number":1,"status_history":[{"status":"lost"}],"items":[]})", "status_history[0].status"},
          {R"({"number":1,"status_history":[{"status":"placed","at":"yesterday"}],"items":[]})",
           "status_history[0].at"},
          {R"({"number":1,"status_history":[{"status":"placed","actor":""}],"items":[]})", "status_history[0].actor"},
          {R"({"number":1,"status_history":[{"status":"placed","why":"x"}],"items":[]})", "status_history[0].why"},
          // The history must end with the order's status.
          {R"({"number":1,"status":"confirmed","status_history":[{"status":"placed"}],
               "items":[]})",
           "status_history[0].status"},
          {R"({"number":1,"coupon":"X","items":[]})", "coupon"},
      });
}

TEST(Orders, IndexFiltersVisibilityAndOwner) {
  const Collection& c = coll("orders");
  const json::object guest = obj(R"({"number":1,"channel":"web","status":"placed"})");
  const json::object owned = obj(R"({"number":2,"customer_id":"cust_1","channel":"pos","status":"cancelled"})");
  EXPECT_EQ(c.index_keys(guest), (IndexKeys{{"status", "placed"}, {"channel", "web"}}));
  EXPECT_EQ(c.index_keys(owned), (IndexKeys{{"status", "cancelled"}, {"customer_id", "cust_1"}, {"channel", "pos"}}));
  EXPECT_EQ(c.filter_fields(), (std::vector<std::string_view>{"status", "customer_id", "channel"}));
  for (Role role : kAllRoles) EXPECT_EQ(c.visible_to(owned, role), role != Role::public_);
  EXPECT_EQ(c.owner_customer(owned), "cust_1");
  EXPECT_EQ(c.owner_customer(guest), "");  // a guest order belongs to no customer
  json::object rendered = owned;
  c.render(rendered, Projection::retail, kNow);
  EXPECT_EQ(rendered, owned);
}

TEST(Orders, Transitions) {
  EXPECT_TRUE(order_transition_allowed("placed", "confirmed"));
  EXPECT_TRUE(order_transition_allowed("placed", "cancelled"));
  EXPECT_TRUE(order_transition_allowed("confirmed", "fulfilled"));
  EXPECT_TRUE(order_transition_allowed("confirmed", "cancelled"));
  EXPECT_FALSE(order_transition_allowed("placed", "fulfilled"));
  EXPECT_FALSE(order_transition_allowed("placed", "placed"));
  EXPECT_FALSE(order_transition_allowed("fulfilled", "cancelled"));
  EXPECT_FALSE(order_transition_allowed("cancelled", "placed"));
  EXPECT_FALSE(order_transition_allowed("confirmed", "placed"));
}

// ---- bills -----------------------------------------------------------------

TEST(Bills, Normalize) {
  auto r = coll("bills").normalize(obj(R"({"customer_id":"cust_1","amount":1500})"), nullptr, kCtx);
  ASSERT_TRUE(r.ok()) << r.problem().detail;
  EXPECT_EQ(json::serialize(*r), R"({"customer_id":"cust_1","amount":1500,"currency":"EUR",)"
                                 R"("paid_amount":0,"status":"unpaid","payments":[]})");

  // A bill of 0 is paid; the given status is derived over, paid_amount ignored.
  r = coll("bills").normalize(obj(R"({"id":"bill_1","version":1,"number":7,"customer_id":"cust_1",
      "order_id":"ord_1","amount":0,"currency":"USD","status":"unpaid","paid_amount":99,
      "due_at":"2026-02-01T00:00:00Z","note":"n"})"),
                              nullptr, kCtx);
  ASSERT_TRUE(r.ok()) << r.problem().detail;
  EXPECT_EQ(json::serialize(*r), R"({"number":7,"customer_id":"cust_1","order_id":"ord_1","amount":0,"currency":"USD",)"
                                 R"("paid_amount":0,"status":"paid","due_at":"2026-02-01T00:00:00.000Z","payments":[],)"
                                 R"("note":"n"})");
}

TEST(Bills, TheStatusFollowsThePaymentsUnlessVoid) {
  const auto status_of = [](std::string_view payments, std::string_view status = "unpaid") {
    auto r = coll("bills").normalize(obj(R"({"customer_id":"c","amount":100,"status":")" + std::string(status) +
                                         R"(","payments":)" + std::string(payments) + "}"),
                                     nullptr, kCtx);
    EXPECT_TRUE(r.ok()) << r.problem().detail;
    return r.ok() ? std::string(r->at("status").as_string()) + " " + std::to_string(r->at("paid_amount").as_int64())
                  : std::string();
  };
  const std::string card = R"({"amount":40,"method":"card","at":"2026-01-01T00:00:00Z","actor":"staff:0011aabb"})";
  const std::string cash = R"({"amount":60,"method":"cash","reference":"R","actor":"system"})";
  EXPECT_EQ(status_of("[]"), "unpaid 0");
  EXPECT_EQ(status_of("[" + card + "]", "paid"), "partially_paid 40");
  EXPECT_EQ(status_of("[" + card + "," + cash + "]"), "paid 100");
  EXPECT_EQ(status_of("[" + card + "]", "void"), "void 40");
  auto r = coll("bills").normalize(obj(R"({"customer_id":"c","amount":100,"payments":[)" + card + "]}"), nullptr, kCtx);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::serialize(r->at("payments")),
            R"([{"amount":40,"method":"card","at":"2026-01-01T00:00:00.000Z","actor":"staff:0011aabb"}])");
}

TEST(Bills, AVoidBillIsReadWithWhatWasPaidAsRefundDue) {
  const Collection& c = coll("bills");
  json::object open = obj(R"({"customer_id":"c","amount":100,"paid_amount":40,"status":"partially_paid"})");
  c.render(open, Projection::retail, 0);
  EXPECT_FALSE(open.contains("refund_due"));
  json::object voided = obj(R"({"customer_id":"c","amount":100,"paid_amount":40,"status":"void"})");
  c.render(voided, Projection::retail, 0);
  EXPECT_EQ(voided.at("refund_due"), 40);
  json::object old = obj(R"({"customer_id":"c","amount":100,"status":"void"})");  // before payments
  c.render(old, Projection::admin, 0);
  EXPECT_EQ(old.at("refund_due"), 0);
}

TEST(Bills, RejectsBadShapes) {
  expect_rejected(
      coll("bills"),
      {
          {R"({"amount":1})", "customer_id"},
          {R"({"customer_id":"c"})", "amount"},
          {R"({"customer_id":"c","amount":-1})", "amount"},
          {R"({"customer_id":"c","amount":1,"status":"due"})", "status"},
          {R"({"customer_id":"c","amount":1,"order_id":""})", "order_id"},
          {R"({"customer_id":"c","amount":1,"due_at":"soon"})", "due_at"},
          {R"({"customer_id":"c","amount":1,"tax":1})", "tax"},
          {R"({"customer_id":"c","amount":1,"payments":[{"amount":2,"method":"cash"}]})", "payments"},
          {R"({"customer_id":"c","amount":5,"payments":[{"amount":0,"method":"cash"}]})", "payments[0].amount"},
          {R"({"customer_id":"c","amount":5,"payments":[{"amount":1,"method":"iou"}]})", "payments[0].method"},
          {R"({"customer_id":"c","amount":5,"payments":[{"amount":1}]})", "payments[0].method"},
          {R"({"customer_id":"c","amount":5,"payments":[7]})", "payments[0]"},
      });
}

TEST(Bills, IndexFiltersVisibilityAndOwner) {
  const Collection& c = coll("bills");
  const json::object bill = obj(R"({"customer_id":"cust_1","amount":1,"status":"unpaid"})");
  const json::object for_order = obj(R"({"customer_id":"cust_2","order_id":"ord_9","amount":1,"status":"void"})");
  EXPECT_EQ(c.index_keys(bill), (IndexKeys{{"customer_id", "cust_1"}, {"status", "unpaid"}}));
  EXPECT_EQ(c.index_keys(for_order), (IndexKeys{{"customer_id", "cust_2"}, {"status", "void"}, {"order_id", "ord_9"}}));
  EXPECT_EQ(c.filter_fields(), (std::vector<std::string_view>{"customer_id", "status", "order_id"}));
  for (Role role : kAllRoles) EXPECT_EQ(c.visible_to(bill, role), role != Role::public_);
  EXPECT_EQ(c.owner_customer(bill), "cust_1");
  EXPECT_EQ(c.owner_customer(for_order), "cust_2");
}

// ---- stock movements -------------------------------------------------------

TEST(StockMovements, Normalize) {
  auto r = coll("stock_movements")
               .normalize(obj(R"({"product_id":"prod_1","variant_id":"var_1","delta":-2,
                                  "reason":"sale","order_id":"ord_1","stock_after":3})"),
                          nullptr, kCtx);
  ASSERT_TRUE(r.ok()) << r.problem().detail;
  EXPECT_EQ(json::serialize(*r), R"({"product_id":"prod_1","variant_id":"var_1","delta":-2,"reason":"sale",)"
                                 R"("order_id":"ord_1","stock_after":3,"at":"2023-11-14T22:13:20.000Z",)"
                                 R"("actor":"system"})");

  r = coll("stock_movements")
          .normalize(obj(R"({"id":"mov_1","product_id":"p","variant_id":"v","delta":10,
                             "reason":"purchase","note":"delivery","stock_after":-5,
                             "at":"2026-01-31T09:00:00Z","actor":"tok_1"})"),
                     nullptr, kCtx);
  ASSERT_TRUE(r.ok()) << r.problem().detail;
  EXPECT_EQ(json::serialize(*r), R"({"product_id":"p","variant_id":"v","delta":10,"reason":"purchase",)"
                                 R"("note":"delivery","stock_after":-5,"at":"2026-01-31T09:00:00.000Z",)"
                                 R"("actor":"tok_1"})");
}

TEST(StockMovements, RejectsBadShapes) {
  const Collection& c = coll("stock_movements");
  expect_rejected(c,
                  {
                      {R"({"variant_id":"v","delta":1,"reason":"sale","stock_after":1})", "product_id"},
                      {R"({"product_id":"p","delta":1,"reason":"sale","stock_after":1})", "variant_id"},
                      {R"({"product_id":"p","variant_id":"v","reason":"sale","stock_after":1})", "delta"},
                      {R"({"product_id":"p","variant_id":"v","delta":0,"reason":"sale","stock_after":1})", "delta"},
                      {R"({"product_id":"p","variant_id":"v","delta":1.5,"reason":"sale","stock_after":1})", "delta"},
                      {R"({"product_id":"p","variant_id":"v","delta":1,"stock_after":1})", "reason"},
                      {R"({"product_id":"p","variant_id":"v","delta":1,"reason":"theft","stock_after":1})", "reason"},
                      {R"({"product_id":"p","variant_id":"v","delta":1,"reason":"sale"})", "stock_after"},
                      {R"({"product_id":"p","variant_id":"v","delta":1,"reason":"sale","stock_after":1,
                  "at":"now"})",
                       "at"},
                      {R"({"product_id":"p","variant_id":"v","delta":1,"reason":"sale","stock_after":1,
                  "user":"x"})",
                       "user"},
                  });
  json::object long_note = obj(R"({"product_id":"p","variant_id":"v","delta":1,"reason":"sale",
                                   "stock_after":1})");
  long_note["note"] = std::string(501, 'n');
  auto r = c.normalize(long_note, nullptr, kCtx);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has_error(r.problem(), "note"));
  long_note["note"] = std::string(500, 'n');
  EXPECT_TRUE(c.normalize(long_note, nullptr, kCtx).ok());
}

TEST(StockMovements, IndexFiltersAndVisibility) {
  const Collection& c = coll("stock_movements");
  const json::object sale = obj(R"({"product_id":"p","variant_id":"v","delta":-1,"reason":"sale","order_id":"o",)"
                                R"("stock_after":0})");
  const json::object adjust =
      obj(R"({"product_id":"p","variant_id":"v","delta":4,"reason":"adjustment","stock_after":4})");
  EXPECT_EQ(c.index_keys(sale),
            (IndexKeys{{"product_id", "p"}, {"variant_id", "v"}, {"reason", "sale"}, {"order_id", "o"}}));
  EXPECT_EQ(c.index_keys(adjust), (IndexKeys{{"product_id", "p"}, {"variant_id", "v"}, {"reason", "adjustment"}}));
  EXPECT_EQ(c.filter_fields(), (std::vector<std::string_view>{"product_id", "variant_id", "reason", "order_id"}));
  for (Role role : kAllRoles) EXPECT_EQ(c.visible_to(sale, role), role != Role::public_ && role != Role::customer);
  EXPECT_EQ(c.owner_customer(sale), std::nullopt);
}

// ---- alerts ----------------------------------------------------------------

TEST(Alerts, Normalize) {
  auto r = coll("alerts").normalize(obj(R"({"kind":"new_order","order_id":"ord_1"})"), nullptr, kCtx);
  ASSERT_TRUE(r.ok()) << r.problem().detail;
  EXPECT_EQ(json::serialize(*r), R"({"kind":"new_order","order_id":"ord_1","message":""})");

  r = coll("alerts").normalize(obj(R"({"id":"alert_1","message":"Shirt / L: 2 left","stock":2,"variant_id":"v",
              "product_id":"p","kind":"low_stock"})"),
                               nullptr, kCtx);
  ASSERT_TRUE(r.ok()) << r.problem().detail;
  EXPECT_EQ(json::serialize(*r), R"({"kind":"low_stock","product_id":"p","variant_id":"v","stock":2,)"
                                 R"("message":"Shirt / L: 2 left"})");
}

TEST(Alerts, RejectsBadShapes) {
  expect_rejected(coll("alerts"), {
                                      {R"({})", "kind"},
                                      {R"({"kind":"fire"})", "kind"},
                                      {R"({"kind":"sold_out","product_id":"a b"})", "product_id"},
                                      {R"({"kind":"sold_out","stock":"0"})", "stock"},
                                      {R"({"kind":"sold_out","message":5})", "message"},
                                      {R"({"kind":"sold_out","level":"high"})", "level"},
                                  });
  json::object long_message = obj(R"({"kind":"sold_out"})");
  long_message["message"] = std::string(501, 'm');
  EXPECT_FALSE(coll("alerts").normalize(long_message, nullptr, kCtx).ok());
}

TEST(Alerts, IndexFiltersAndVisibility) {
  const Collection& c = coll("alerts");
  const json::object low = obj(R"({"kind":"low_stock","product_id":"p","message":""})");
  const json::object order = obj(R"({"kind":"new_order","order_id":"o","message":""})");
  EXPECT_EQ(c.index_keys(low), (IndexKeys{{"kind", "low_stock"}, {"product_id", "p"}}));
  EXPECT_EQ(c.index_keys(order), (IndexKeys{{"kind", "new_order"}}));
  EXPECT_EQ(c.filter_fields(), (std::vector<std::string_view>{"kind", "product_id"}));
  for (Role role : kAllRoles) EXPECT_EQ(c.visible_to(low, role), role != Role::public_ && role != Role::customer);
  EXPECT_EQ(c.owner_customer(low), std::nullopt);
}

TEST(OwnerCustomer, CatalogCollectionsHaveNone) {
  for (const char* name : {"products", "categories", "brands", "units", "customers"})
    EXPECT_EQ(coll(name).owner_customer(json::object{}), std::nullopt) << name;
}

}  // namespace
}  // namespace shelfsync

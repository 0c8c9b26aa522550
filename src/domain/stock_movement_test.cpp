#include "domain/stock_movement.hpp"

#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "domain/codec_test_support.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

using namespace codec_test;  // kNow, kCtx, obj, errors_of

// A stored movement as the stock ledger writes it today: the wire format.
constexpr std::string_view kStored =
    R"({"product_id":"prod_1","variant_id":"var_1","delta":2,"reason":"cancel","order_id":"ord_1",)"
    R"("note":"order cancelled","stock_after":5,"at":"2026-01-31T09:00:00.000Z","actor":"staff:0123abcd"})";

StockMovement decode_ok(const json::object& doc) {
  auto r = decode_stock_movement(doc, kCtx);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : errors_of(r.problem()));
  return r.ok() ? *r : StockMovement{};
}

TEST(StockMovementCodec, AStoredMovementDecodesAndEncodesBackUnchanged) {
  const StockMovement m = decode_ok(obj(kStored));
  EXPECT_EQ(m.product_id, "prod_1");
  EXPECT_EQ(m.variant_id, "var_1");
  EXPECT_EQ(m.delta, 2);
  EXPECT_EQ(m.reason, MovementReason::cancel);
  EXPECT_EQ(m.order_id, "ord_1");
  EXPECT_EQ(m.note, "order cancelled");
  EXPECT_EQ(m.stock_after, 5);
  EXPECT_EQ(m.at, *parse_rfc3339("2026-01-31T09:00:00Z"));
  EXPECT_EQ(m.actor, "staff:0123abcd");

  EXPECT_EQ(json::serialize(encode_stock_movement(m)), kStored);
}

TEST(StockMovementCodec, ATypedMovementRoundTrips) {
  StockMovement m;
  m.product_id = "prod_1";
  m.variant_id = "var_1";
  m.delta = -3;
  m.reason = MovementReason::return_;
  m.stock_after = -1;
  m.at = kNow;
  m.actor = "system";
  const json::object doc = encode_stock_movement(m);
  EXPECT_EQ(json::serialize(doc),
            R"({"product_id":"prod_1","variant_id":"var_1","delta":-3,"reason":"return","stock_after":-1,)"
            R"("at":"2023-11-14T22:13:20.000Z","actor":"system"})");
  EXPECT_EQ(decode_ok(doc), m);

  m.note = "";  // an empty note given is kept, unlike an absent one
  EXPECT_NE(json::serialize(encode_stock_movement(m)).find(R"("note":"")"), std::string::npos);
  EXPECT_EQ(decode_ok(encode_stock_movement(m)), m);
}

TEST(StockMovementCodec, DefaultsComeFromTheContext) {
  const StockMovement m =
      decode_ok(obj(R"({"product_id":"p","variant_id":"v","delta":1,"reason":"sync","stock_after":1})"));
  EXPECT_EQ(m.at, kNow);
  EXPECT_EQ(m.actor, "system");
  EXPECT_FALSE(m.order_id);
  EXPECT_FALSE(m.note);
}

TEST(StockMovementCodec, AMalformedMovementIsRefusedNamingEveryBadMember) {
  const auto refused = [](std::string_view text) {
    auto r = decode_stock_movement(obj(text), kCtx);
    EXPECT_FALSE(r.ok()) << text;
    if (r.ok()) return std::string();
    EXPECT_EQ(r.problem().status, 422);
    EXPECT_EQ(r.problem().code, ErrorCode::validation_failed);
    return errors_of(r.problem());
  };
  EXPECT_EQ(refused(R"({"variant_id":"v","delta":0,"reason":"theft"})"),
            "product_id: required; delta: must not be 0; "
            "reason: must be one of: sale, cancel, purchase, adjustment, return, sync; stock_after: required");
  EXPECT_EQ(refused(R"({"product_id":"p","variant_id":"v","delta":1,"reason":"sale","stock_after":1,
                        "at":"now","user":"x"})"),
            "at: must be an RFC 3339 timestamp, e.g. 2026-01-31T09:00:00Z; user: unknown field");
}

TEST(MovementReasons, Names) {
  for (std::size_t i = 0; i < kMovementReasons.size(); ++i)
    EXPECT_EQ(to_string(*parse_movement_reason(kMovementReasons[i])), kMovementReasons[i]);
  EXPECT_FALSE(parse_movement_reason("theft"));
}

}  // namespace
}  // namespace shelfsync

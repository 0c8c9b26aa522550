#include "domain/product.hpp"

#include <algorithm>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "domain/json_util.hpp"
#include "domain/product_collection.hpp"

namespace shelfsync {
namespace {

namespace json = boost::json;

json::object obj(std::string_view text) { return json::parse(text).as_object(); }

const NormalizeContext kCtx{1'700'000'000'000, "EUR"};

Product decode_ok(const json::object& doc, const Product* previous = nullptr) {
  auto r = decode_product(doc, previous, kCtx);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.problem().detail);
  return r.ok() ? *r : Product{};
}

bool has_error(const Problem& p, std::string_view field) {
  return std::any_of(p.errors.begin(), p.errors.end(), [&](const FieldError& e) { return e.field == field; });
}

std::string fields_of(const Problem& p) {
  std::string s;
  for (const FieldError& e : p.errors) s += e.field + " (" + e.message + "); ";
  return s;
}

TEST(DecodeProduct, MinimalDocumentGetsDefaultsAndADefaultVariant) {
  const Product p = decode_ok(obj(R"({"title":"Shirt","price":1000})"));
  EXPECT_EQ(p.title, "Shirt");
  EXPECT_EQ(p.price, 1000);
  EXPECT_EQ(p.description, "");
  EXPECT_EQ(p.status, ProductStatus::draft);
  EXPECT_EQ(p.condition, Condition::new_);
  EXPECT_TRUE(p.track_inventory);
  EXPECT_FALSE(p.allow_backorder);
  EXPECT_EQ(p.low_stock_threshold, 5);
  EXPECT_EQ(p.currency, "EUR");
  EXPECT_FALSE(p.sale);
  ASSERT_EQ(p.variants.size(), 1u);
  EXPECT_EQ(p.variants[0].id.rfind("var_", 0), 0u) << p.variants[0].id;
  EXPECT_TRUE(p.variants[0].options.empty());
  EXPECT_EQ(p.variants[0].stock, 0);
  EXPECT_TRUE(p.variants[0].available);
}

TEST(DecodeProduct, CanonicalFormIsStableAndTimestampsAreNormalized) {
  const json::object input = obj(R"({
    "title": "Tee", "description": "Soft", "sku": "TEE", "status": "active",
    "condition": "like_new", "price": 2500, "compare_at_price": 3000, "currency": "USD",
    "sale": {"kind": "percent", "value": 20, "starts_at": "2026-01-01T10:00:00+02:00",
             "ends_at": "2026-01-02T00:00:00.5Z", "stock_limit": 10},
    "images": [{"id": "img_a", "url": "https://x/a.png", "width": 10, "height": 20},
               {"url": "/media/t1/b_1.png", "alt": "B"}],
    "options": [{"name": "size", "values": ["S", "M"]}, {"name": "color", "values": ["Red"]}],
    "variants": [{"id": "v1", "sku": "TEE-S", "options": {"color": "Red", "size": "S"},
                  "stock": 3},
                 {"sku": "TEE-M", "options": {"size": "M", "color": "Red"}, "price": 2700,
                  "stock": 1, "available": false}],
    "low_stock_threshold": 2, "category_ids": ["cat_1"], "tags": ["cotton", "summer"],
    "brand_id": "brand_1", "unit_id": "unit_1",
    "fulfillment": {"pickup": true, "pickup_locations": ["Main St"],
                    "shipping": [{"method": "post", "price": 500, "eta_days": 3}]},
    "attributes": {"material": {"cotton": 100}}
  })");
  const Product p = decode_ok(input);
  EXPECT_EQ(p.currency, "EUR");  // from the tenant, not the input
  ASSERT_TRUE(p.sale);
  EXPECT_EQ(p.sale->sold, 0);
  ASSERT_EQ(p.images.size(), 2u);
  EXPECT_EQ(p.images[0].id, "img_a");
  EXPECT_EQ(p.images[1].id.rfind("img_", 0), 0u);
  ASSERT_EQ(p.variants.size(), 2u);
  EXPECT_EQ(p.variants[0].id, "v1");
  EXPECT_EQ(p.variants[1].id.rfind("var_", 0), 0u);
  EXPECT_EQ(p.variants[1].price, 2700);
  EXPECT_FALSE(p.variants[1].available);

  const json::object encoded = encode_product(p);
  EXPECT_EQ(encoded.at("sale").at("starts_at"), "2026-01-01T08:00:00.000Z");
  EXPECT_EQ(encoded.at("sale").at("ends_at"), "2026-01-02T00:00:00.500Z");
  EXPECT_EQ(encoded.at("currency"), "EUR");
  // Variant options follow the declared option order.
  const json::object& opts = encoded.at("variants").at(0).at("options").as_object();
  EXPECT_EQ(opts.begin()->key(), "size");
  EXPECT_FALSE(encoded.contains("price_now"));
  EXPECT_FALSE(encoded.contains("stock_total"));

  // Decoding the canonical form changes nothing.
  const Product again = decode_ok(encoded);
  EXPECT_EQ(json::serialize(encode_product(again)), json::serialize(encoded));
}

TEST(DecodeProduct, NullMeansAbsent) {
  const Product p = decode_ok(obj(R"({"title":"T","price":1,"compare_at_price":null,"sale":null,"brand_id":null,
              "description":null,"variants":null})"));
  EXPECT_FALSE(p.compare_at_price);
  EXPECT_FALSE(p.sale);
  EXPECT_FALSE(p.brand_id);
  EXPECT_EQ(p.variants.size(), 1u);
}

TEST(DecodeProduct, IgnoresSystemAndComputedFields) {
  const Product p = decode_ok(obj(R"({
    "id": "prod_1", "version": 3, "created_at": "x", "updated_at": "y", "currency": "USD",
    "price_now": 5, "on_sale": true, "stock_total": 9, "stock_status": "in_stock",
    "title": "T", "price": 10,
    "variants": [{"id": "v", "stock": 2, "price_now": 5, "stock_status": "low_stock"}]})"));
  EXPECT_EQ(p.variants[0].stock, 2);
}

TEST(DecodeProduct, AcceptsIntegralDoubles) {
  const Product p = decode_ok(obj(R"({"title":"T","price":10.0})"));
  EXPECT_EQ(p.price, 10);
}

TEST(DecodeProduct, CollectsEveryError) {
  auto r = decode_product(obj(R"({"title":"","price":-1,"status":"live","variants":[{"stock":"x"}],"bogus":1})"),
                          nullptr, kCtx);
  ASSERT_FALSE(r.ok());
  const Problem& p = r.problem();
  EXPECT_EQ(p.status, 422);
  EXPECT_EQ(p.code, ErrorCode::validation_failed);
  EXPECT_EQ(p.errors.size(), 5u) << fields_of(p);
  for (const char* f : {"title", "price", "status", "variants[0].stock", "bogus"})
    EXPECT_TRUE(has_error(p, f)) << f << ": " << fields_of(p);
}

struct BadCase {
  const char* patch;  // merged into a valid product
  const char* field;  // the error it must yield
};

class BadProductTest : public testing::TestWithParam<BadCase> {};

TEST_P(BadProductTest, ReportsTheField) {
  json::value doc = obj(R"({"title":"Shirt","price":1000})");
  merge_patch(doc, json::parse(GetParam().patch));
  auto r = decode_product(doc.as_object(), nullptr, kCtx);
  ASSERT_FALSE(r.ok()) << GetParam().patch;
  EXPECT_EQ(r.problem().status, 422);
  // Exactly the one error: no follow-on noise.
  ASSERT_EQ(r.problem().errors.size(), 1u) << GetParam().patch << " -> " << fields_of(r.problem());
  EXPECT_EQ(r.problem().errors[0].field, GetParam().field) << GetParam().patch;
  EXPECT_FALSE(r.problem().errors[0].message.empty());
}

constexpr BadCase kBadCases[] = {
    {R"({"title":null})", "title"},
    {R"({"title":""})", "title"},
    {R"({"title":5})", "title"},
    {R"({"description":["a"]})", "description"},
    {R"({"sku":false})", "sku"},
    {R"({"price":null})", "price"},
    {R"({"price":-1})", "price"},
    {R"({"price":"10"})", "price"},
    {R"({"price":10.5})", "price"},
    {R"({"price":1000000000001})", "price"},
    {R"({"price":18446744073709551615})", "price"},
    {R"({"compare_at_price":-5})", "compare_at_price"},
    {R"({"status":"published"})", "status"},
    {R"({"status":1})", "status"},
    {R"({"condition":"used"})", "condition"},
    {R"({"sale":"half off"})", "sale"},
    {R"({"sale":{"value":10}})", "sale.kind"},
    {R"({"sale":{"kind":"bogo","value":1}})", "sale.kind"},
    {R"({"sale":{"kind":"percent"}})", "sale.value"},
    {R"({"sale":{"kind":"percent","value":0}})", "sale.value"},
    {R"({"sale":{"kind":"percent","value":101}})", "sale.value"},
    {R"({"sale":{"kind":"percent","value":"10"}})", "sale.value"},
    {R"({"sale":{"kind":"amount","value":0}})", "sale.value"},
    {R"({"sale":{"kind":"fixed_price","value":-1}})", "sale.value"},
    {R"({"sale":{"kind":"percent","value":10,"starts_at":"tomorrow"}})", "sale.starts_at"},
    {R"({"sale":{"kind":"percent","value":10,"ends_at":"2026-02-30T00:00:00Z"}})", "sale.ends_at"},
    {R"({"sale":{"kind":"percent","value":10,"starts_at":"2026-01-02T00:00:00Z",
                 "ends_at":"2026-01-01T00:00:00Z"}})",
     "sale.ends_at"},
    {R"({"sale":{"kind":"percent","value":10,"starts_at":"2026-01-01T01:00:00+01:00",
                 "ends_at":"2026-01-01T00:00:00Z"}})",
     "sale.ends_at"},
    {R"({"sale":{"kind":"percent","value":10,"stock_limit":0}})", "sale.stock_limit"},
    {R"({"sale":{"kind":"percent","value":10,"sold":-1}})", "sale.sold"},
    {R"({"sale":{"kind":"percent","value":10,"extra":1}})", "sale.extra"},
    {R"({"images":{}})", "images"},
    {R"({"images":["http://x/a.png"]})", "images[0]"},
    {R"({"images":[{"alt":"x"}]})", "images[0].url"},
    {R"({"images":[{"url":""}]})", "images[0].url"},
    {R"({"images":[{"url":"javascript:void0"}]})", "images[0].url"},
    {R"({"images":[{"url":"data:image/png;base64,AAAA"}]})", "images[0].url"},
    {R"({"images":[{"url":"//evil.example/a.png"}]})", "images[0].url"},
    {R"({"images":[{"url":"https://x/a","width":0}]})", "images[0].width"},
    {R"({"images":[{"url":"https://x/a","height":"10"}]})", "images[0].height"},
    {R"({"images":[{"url":"https://x/a","alt":7}]})", "images[0].alt"},
    {R"({"images":[{"id":"a b","url":"https://x/a"}]})", "images[0].id"},
    {R"({"images":[{"id":"i1","url":"https://x/a"},{"id":"i1","url":"https://x/b"}]})", "images[1].id"},
    {R"({"images":[{"url":"https://x/a","caption":"x"}]})", "images[0].caption"},
    {R"({"options":[{"name":"size","values":[]}]})", "options[0].values"},
    {R"({"options":[{"name":"","values":["S"]}],"variants":[{}]})", "options[0].name"},
    {R"({"options":[{"values":["S"]}],"variants":[{}]})", "options[0].name"},
    {R"({"options":[{"name":"size","values":["S","S"]}],"variants":[{"options":{"size":"S"}}]})",
     "options[0].values[1]"},
    {R"({"options":[{"name":"size","values":["S",""]}]})", "options[0].values[1]"},
    {R"({"options":[{"name":"size","values":["S"]},{"name":"size","values":["M"]}]})", "options[1].name"},
    {R"({"options":[{"name":"size","values":["S"],"label":"Size"}]})", "options[0].label"},
    {R"({"options":[{"name":"size","values":["S","M"]}]})", "variants"},
    {R"({"options":[{"name":"size","values":["S","M"]}],"variants":[]})", "variants"},
    {R"({"options":[{"name":"size","values":["S","M"]}],
         "variants":[{"options":{"size":"S"}},{"options":{"size":"XL"}}]})",
     "variants[1].options.size"},
    {R"({"options":[{"name":"size","values":["S"]},{"name":"color","values":["Red"]}],
         "variants":[{"options":{"size":"S"}}]})",
     "variants[0].options.color"},
    {R"({"options":[{"name":"size","values":["S"]}],
         "variants":[{"options":{"size":"S","color":"Red"}}]})",
     "variants[0].options.color"},
    {R"({"options":[{"name":"size","values":["S"]}],"variants":[{"options":{"size":1}}]})", "variants[0].options.size"},
    {R"({"options":[{"name":"size","values":["S","M"]}],
         "variants":[{"options":{"size":"S"}},{"options":{"size":"S"}}]})",
     "variants[1].options"},
    {R"({"options":[{"name":"size","values":["S","M"]}],
         "variants":[{"sku":"A","options":{"size":"S"}},{"sku":"A","options":{"size":"M"}}]})",
     "variants[1].sku"},
    {R"({"options":[{"name":"size","values":["S","M"]}],
         "variants":[{"id":"v1","options":{"size":"S"}},{"id":"v1","options":{"size":"M"}}]})",
     "variants[1].id"},
    {R"({"variants":[{},{}]})", "variants[1].options"},
    {R"({"variants":[{"options":[]}]})", "variants[0].options"},
    {R"({"variants":"none"})", "variants"},
    {R"({"variants":[5]})", "variants[0]"},
    {R"({"variants":[{"id":""}]})", "variants[0].id"},
    {R"({"variants":[{"stock":-1}]})", "variants[0].stock"},
    {R"({"variants":[{"stock":"5"}]})", "variants[0].stock"},
    {R"({"variants":[{"stock":1.5}]})", "variants[0].stock"},
    {R"({"variants":[{"available":"yes"}]})", "variants[0].available"},
    {R"({"variants":[{"price":-1}]})", "variants[0].price"},
    {R"({"variants":[{"id":"x","colour":"red"}]})", "variants[0].colour"},
    {R"({"track_inventory":"no"})", "track_inventory"},
    {R"({"allow_backorder":0})", "allow_backorder"},
    {R"({"low_stock_threshold":-1})", "low_stock_threshold"},
    {R"({"category_ids":"cat_1"})", "category_ids"},
    {R"({"category_ids":["ok","bad id"]})", "category_ids[1]"},
    {R"({"category_ids":["c1","c1"]})", "category_ids[1]"},
    {R"({"tags":"a"})", "tags"},
    {R"({"tags":["a",""]})", "tags[1]"},
    {R"({"tags":["a","a"]})", "tags[1]"},
    {R"({"tags":["a",3]})", "tags[1]"},
    {R"({"brand_id":"b/1"})", "brand_id"},
    {R"({"unit_id":7})", "unit_id"},
    {R"({"fulfillment":true})", "fulfillment"},
    {R"({"fulfillment":{"pickup":"yes"}})", "fulfillment.pickup"},
    {R"({"fulfillment":{"pickup_locations":[""]}})", "fulfillment.pickup_locations[0]"},
    {R"({"fulfillment":{"shipping":[{"method":"post","price":100,"eta_days":366}]}})",
     "fulfillment.shipping[0].eta_days"},
    {R"({"fulfillment":{"shipping":[{"price":100}]}})", "fulfillment.shipping[0].method"},
    {R"({"fulfillment":{"shipping":[{"method":"post"}]}})", "fulfillment.shipping[0].price"},
    {R"({"fulfillment":{"shipping":[{"method":"post","price":-1}]}})", "fulfillment.shipping[0].price"},
    {R"({"fulfillment":{"shipping":[{"method":"x","price":1,"carrier":"y"}]}})", "fulfillment.shipping[0].carrier"},
    {R"({"fulfillment":{"drones":true}})", "fulfillment.drones"},
    {R"({"attributes":[1]})", "attributes"},
    {R"({"colour":"red"})", "colour"},
};

INSTANTIATE_TEST_SUITE_P(Table, BadProductTest, testing::ValuesIn(kBadCases));

TEST(DecodeProduct, LengthLimits) {
  auto check = [](const json::object& doc, std::string_view field) {
    auto r = decode_product(doc, nullptr, kCtx);
    ASSERT_FALSE(r.ok()) << field;
    EXPECT_TRUE(has_error(r.problem(), field)) << fields_of(r.problem());
  };
  json::object base = obj(R"({"title":"T","price":1})");

  json::object ok = base;
  ok["title"] = std::string(200, 'x');
  ok["sku"] = std::string(64, 's');
  ok["description"] = std::string(20000, 'd');
  EXPECT_TRUE(decode_product(ok, nullptr, kCtx).ok());
  // Code points, not bytes: 200 x "é" is 400 bytes and allowed.
  std::string accented;
  for (int i = 0; i < 200; ++i) accented += "\xC3\xA9";
  ok["title"] = accented;
  EXPECT_TRUE(decode_product(ok, nullptr, kCtx).ok());

  json::object doc = base;
  doc["title"] = std::string(201, 'x');
  check(doc, "title");
  doc = base;
  doc["description"] = std::string(20001, 'd');
  check(doc, "description");
  doc = base;
  doc["sku"] = std::string(65, 's');
  check(doc, "sku");

  doc = base;
  json::array variants;
  json::array options;
  options.push_back(json::parse(R"({"name":"n","values":["a","b","c"]})"));
  for (const char* v : {"a", "b", "c"}) {
    json::object variant;
    variant["options"] = json::object{{"n", v}};
    variant["sku"] = std::string(v) == "c" ? std::string(65, 'k') : std::string(v);
    variants.push_back(std::move(variant));
  }
  doc["options"] = std::move(options);
  doc["variants"] = std::move(variants);
  check(doc, "variants[2].sku");

  doc = base;
  json::array images;
  for (int i = 0; i < 51; ++i) images.push_back(json::object{{"url", "u"}});
  doc["images"] = std::move(images);
  check(doc, "images");

  doc = base;
  doc["tags"] = json::array{std::string(51, 't')};
  check(doc, "tags[0]");

  doc = base;
  json::object attrs;
  attrs["blob"] = std::string(std::size_t{70} * 1024, 'a');
  doc["attributes"] = std::move(attrs);
  check(doc, "attributes");
}

TEST(DecodeProduct, BackorderAllowsNegativeStock) {
  const Product p = decode_ok(obj(R"({"title":"T","price":1,"allow_backorder":true,"variants":[{"stock":-2}]})"));
  EXPECT_EQ(p.variants[0].stock, -2);
}

TEST(DecodeProduct, DefaultVariantSkuFollowsProductSku) {
  const Product p = decode_ok(obj(R"({"title":"T","price":1,"sku":"ABC"})"));
  EXPECT_EQ(p.variants[0].sku, "ABC");
  const Product q =
      decode_ok(obj(R"({"title":"T","price":1,"sku":"NEW","variants":[{"id":"v1","sku":"OLD","stock":4}]})"));
  EXPECT_EQ(q.variants[0].id, "v1");
  EXPECT_EQ(q.variants[0].sku, "NEW");
  EXPECT_EQ(q.variants[0].stock, 4);
}

TEST(DecodeProduct, UpdateKeepsDefaultVariantIdAndStockWhenNoneSent) {
  Product previous = decode_ok(obj(R"({"title":"T","price":1,"variants":[{"stock":7}]})"));
  const std::string id = previous.variants[0].id;
  const Product updated = decode_ok(obj(R"({"title":"T2","price":2})"), &previous);
  ASSERT_EQ(updated.variants.size(), 1u);
  EXPECT_EQ(updated.variants[0].id, id);
  EXPECT_EQ(updated.variants[0].stock, 7);
  // A create never reuses anything.
  const Product fresh = decode_ok(obj(R"({"title":"T2","price":2})"));
  EXPECT_NE(fresh.variants[0].id, id);
  EXPECT_EQ(fresh.variants[0].stock, 0);
}

TEST(DecodeProduct, UpdateMatchesVariantsWithoutIdByOptions) {
  const std::string head = R"({"title":"T","price":1,
                              "options":[{"name":"size","values":["S","M","L"]}],)";
  Product previous = decode_ok(obj(head + R"("variants":[
      {"id":"vs","options":{"size":"S"},"stock":3},
      {"id":"vm","options":{"size":"M"},"stock":4}]})"));
  const Product updated = decode_ok(obj(head + R"("variants":[
      {"options":{"size":"M"}},
      {"options":{"size":"L"},"stock":9},
      {"id":"vs","options":{"size":"S"},"stock":1}]})"),
                                    &previous);
  ASSERT_EQ(updated.variants.size(), 3u);
  EXPECT_EQ(updated.variants[0].id, "vm");
  EXPECT_EQ(updated.variants[0].stock, 4);  // kept: none sent
  EXPECT_EQ(updated.variants[1].id.rfind("var_", 0), 0u);
  EXPECT_EQ(updated.variants[1].stock, 9);
  EXPECT_EQ(updated.variants[2].id, "vs");
  EXPECT_EQ(updated.variants[2].stock, 1);  // sent
}

TEST(DecodeProduct, TurningOffBackorderWithNegativeInheritedStockIsRejected) {
  Product previous = decode_ok(obj(R"({"title":"T","price":1,"allow_backorder":true,"variants":[{"stock":-1}]})"));
  auto r = decode_product(obj(R"({"title":"T","price":1})"), &previous, kCtx);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has_error(r.problem(), "allow_backorder")) << fields_of(r.problem());
}

TEST(EncodeProduct, OmitsUnsetOptionalMembers) {
  const json::object o = encode_product(decode_ok(obj(R"({"title":"T","price":1})")));
  for (const char* absent : {"compare_at_price", "sale", "brand_id", "unit_id"})
    EXPECT_FALSE(o.contains(absent)) << absent;
  for (const char* present : {"title", "description", "sku", "status", "condition", "price", "images", "options",
                              "variants", "track_inventory", "allow_backorder", "low_stock_threshold", "category_ids",
                              "tags", "fulfillment", "attributes"})
    EXPECT_TRUE(o.contains(present)) << present;
  EXPECT_EQ(o.at("status"), "draft");
  EXPECT_EQ(o.at("fulfillment").at("pickup"), false);
  EXPECT_FALSE(o.at("variants").at(0).as_object().contains("price"));
}

TEST(Enums, RoundTrip) {
  for (auto s : {ProductStatus::draft, ProductStatus::active, ProductStatus::archived})
    EXPECT_EQ(parse_product_status(to_string(s)), s);
  for (auto c : {Condition::new_, Condition::like_new, Condition::good, Condition::fair, Condition::refurbished,
                 Condition::for_parts})
    EXPECT_EQ(parse_condition(to_string(c)), c);
  for (auto k : {SaleKind::percent, SaleKind::amount, SaleKind::fixed_price})
    EXPECT_EQ(parse_sale_kind(to_string(k)), k);
  EXPECT_EQ(to_string(Condition::new_), "new");
  EXPECT_FALSE(parse_condition("New"));
}

// ---- the products collection ------------------------------------------------

const Collection& products() {
  const Collection* c = find_collection("products");
  EXPECT_NE(c, nullptr);
  return *c;
}

constexpr Millis kSaleStart = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

// A stored record as the store keeps it: canonical form plus system fields.
json::object stored_product(std::string_view status = "active") {
  json::object input = obj(R"({
    "title": "Blue Tee", "sku": "TEE", "price": 1000, "description": "Organic COTTON",
    "sale": {"kind": "percent", "value": 10, "starts_at": "2026-01-01T00:00:00Z",
             "stock_limit": 50, "sold": 3},
    "options": [{"name": "size", "values": ["S", "M"]}],
    "variants": [{"id": "vs", "sku": "TEE-S", "options": {"size": "S"}, "stock": 3},
                 {"id": "vm", "sku": "TEE-M", "options": {"size": "M"}, "price": 1200,
                  "stock": 0}],
    "category_ids": ["cat_a", "cat_b"], "tags": ["Summer", "sale"], "brand_id": "brand_x"
  })");
  input["status"] = status;
  auto r = products().normalize(input, nullptr, kCtx);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : fields_of(r.problem()));
  json::object doc = r.ok() ? *r : json::object{};
  doc["id"] = "prod_1";
  doc["version"] = 4;
  doc["created_at"] = "2025-12-01T00:00:00.000Z";
  doc["updated_at"] = "2025-12-02T00:00:00.000Z";
  return doc;
}

TEST(ProductCollection, Identity) {
  EXPECT_EQ(products().name(), "products");
  EXPECT_EQ(products().id_prefix(), "prod");
}

TEST(ProductCollection, NormalizeReturnsCanonicalFormOrProblem) {
  auto ok = products().normalize(obj(R"({"title":"T","price":5,"price_now":1})"), nullptr, kCtx);
  ASSERT_TRUE(ok.ok());
  EXPECT_FALSE(ok->contains("price_now"));
  EXPECT_EQ(ok->at("currency"), "EUR");
  EXPECT_EQ(ok->at("variants").as_array().size(), 1u);

  auto bad = products().normalize(obj(R"({"price":5})"), nullptr, kCtx);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.problem().status, 422);
  EXPECT_TRUE(has_error(bad.problem(), "title"));
}

TEST(ProductCollection, MergePatchUpdateFlow) {
  const json::object stored = stored_product();
  json::value merged = stored;
  merge_patch(merged, json::parse(R"({"sale":null,"sku":"TEE2","tags":["x"]})"));
  auto r = products().normalize(merged.as_object(), &stored, kCtx);
  ASSERT_TRUE(r.ok()) << fields_of(r.problem());
  EXPECT_FALSE(r->contains("sale"));
  EXPECT_FALSE(r->contains("id"));  // system fields are the store's
  EXPECT_EQ(r->at("sku"), "TEE2");
  EXPECT_EQ(r->at("variants").at(0).at("id"), "vs");
  EXPECT_EQ(r->at("variants").at(0).at("stock"), 3);
}

TEST(ProductCollection, UpdateWithoutVariantsKeepsDefaultVariant) {
  auto created =
      products().normalize(obj(R"({"title":"T","price":5,"sku":"A","variants":[{"stock":8}]})"), nullptr, kCtx);
  ASSERT_TRUE(created.ok());
  const json::value id = created->at("variants").at(0).at("id");
  auto updated = products().normalize(obj(R"({"title":"T","price":6,"sku":"B"})"), &*created, kCtx);
  ASSERT_TRUE(updated.ok());
  const json::object& v = updated->at("variants").at(0).as_object();
  EXPECT_EQ(v.at("id"), id);
  EXPECT_EQ(v.at("stock"), 8);
  EXPECT_EQ(v.at("sku"), "B");
}

TEST(ProductCollection, IndexKeys) {
  const IndexKeys keys = products().index_keys(stored_product());
  const IndexKeys expected = {{"status", "active"},    {"condition", "new"},     {"sku", "TEE"},
                              {"brand_id", "brand_x"}, {"category_id", "cat_a"}, {"category_id", "cat_b"},
                              {"tag", "Summer"},       {"tag", "sale"},          {"variant_sku", "TEE-S"},
                              {"variant_id", "vs"},    {"variant_sku", "TEE-M"}, {"variant_id", "vm"}};
  EXPECT_EQ(keys, expected);

  const auto fields = products().filter_fields();
  for (const auto& [field, value] : keys)
    EXPECT_NE(std::find(fields.begin(), fields.end(), field), fields.end()) << field;
}

TEST(ProductCollection, IndexKeysSkipEmptySkus) {
  auto doc = products().normalize(obj(R"({"title":"T","price":5})"), nullptr, kCtx);
  ASSERT_TRUE(doc.ok());
  const IndexKeys keys = products().index_keys(*doc);
  const auto default_variant = doc->at("variants").as_array()[0].as_object().at("id").as_string();
  const IndexKeys expected = {{"status", "draft"}, {"condition", "new"}, {"variant_id", std::string(default_variant)}};
  EXPECT_EQ(keys, expected);
}

TEST(ProductCollection, ASaleAheadAddsASortableSaleNextKey) {
  auto doc = products().normalize(obj(R"({"title":"T","price":5,"sale":{"kind":"percent","value":10,
              "starts_at":"2999-01-01T00:00:00Z"}})"),
                                  nullptr, kCtx);
  ASSERT_TRUE(doc.ok());
  const auto keys = products().index_keys(*doc);
  const auto at = parse_rfc3339("2999-01-01T00:00:00Z").value();
  EXPECT_NE(std::find(keys.begin(), keys.end(), std::pair<std::string, std::string>(kSaleNextKey, sale_next_value(at))),
            keys.end());
  EXPECT_LT(sale_next_value(999), sale_next_value(1000)) << "string order is time order";
}

TEST(ProductCollection, SearchTextIsLowercasedTitleSkuTagsDescription) {
  EXPECT_EQ(products().search_text(stored_product()), "blue tee tee summer sale organic cotton");
}

TEST(ProductCollection, VisibleToShoppersOnlyWhenActive) {
  for (const char* status : {"draft", "active", "archived"}) {
    const json::object doc = stored_product(status);
    const bool active = std::string_view(status) == "active";
    EXPECT_EQ(products().visible_to(doc, Role::public_), active) << status;
    EXPECT_EQ(products().visible_to(doc, Role::customer), active) << status;
    EXPECT_TRUE(products().visible_to(doc, Role::admin)) << status;
    EXPECT_TRUE(products().visible_to(doc, Role::staff)) << status;
    EXPECT_TRUE(products().visible_to(doc, Role::service)) << status;
  }
}

// The query narrowing that lists and syncs use is the same rule: a record
// passes it exactly when visible_to lets the role see it.
TEST(ProductCollection, VisibleFiltersSelectExactlyWhatTheRoleSees) {
  for (Role role : {Role::public_, Role::customer, Role::admin, Role::staff, Role::service}) {
    const auto filters = products().visible_filters(role);
    for (const char* status : {"draft", "active", "archived"}) {
      const json::object doc = stored_product(status);
      const auto keys = products().index_keys(doc);
      const bool selected = std::all_of(filters.begin(), filters.end(), [&](const auto& f) {
        return std::find(keys.begin(), keys.end(), f) != keys.end();
      });
      EXPECT_EQ(selected, products().visible_to(doc, role)) << status;
    }
  }
}

TEST(ProductCollection, RenderForAdminAddsComputedFieldsAndKeepsEverything) {
  json::object doc = stored_product();
  products().render(doc, Projection::admin, kSaleStart);
  EXPECT_EQ(doc.at("id"), "prod_1");
  EXPECT_EQ(doc.at("version"), 4);
  EXPECT_EQ(doc.at("created_at"), "2025-12-01T00:00:00.000Z");
  EXPECT_EQ(doc.at("updated_at"), "2025-12-02T00:00:00.000Z");
  EXPECT_EQ(doc.at("price_now"), 900);
  EXPECT_EQ(doc.at("on_sale"), true);
  EXPECT_EQ(doc.at("stock_total"), 3);
  EXPECT_EQ(doc.at("stock_status"), "low_stock");
  EXPECT_EQ(doc.at("low_stock_threshold"), 5);
  EXPECT_EQ(doc.at("track_inventory"), true);
  EXPECT_EQ(doc.at("allow_backorder"), false);
  EXPECT_EQ(doc.at("sale").at("sold"), 3);
  EXPECT_EQ(doc.at("sale").at("stock_limit"), 50);
  const json::array& variants = doc.at("variants").as_array();
  EXPECT_EQ(variants[0].at("price_now"), 900);
  EXPECT_EQ(variants[0].at("stock"), 3);
  EXPECT_EQ(variants[0].at("stock_status"), "low_stock");
  EXPECT_EQ(variants[1].at("price_now"), 1080);
  EXPECT_EQ(variants[1].at("stock_status"), "sold_out");
}

TEST(ProductCollection, RenderForShoppersRemovesNonPublicFields) {
  for (Projection projection : {Projection::public_, Projection::retail}) {
    json::object doc = stored_product();
    products().render(doc, projection, kSaleStart - 1);
    EXPECT_EQ(doc.at("id"), "prod_1");
    EXPECT_EQ(doc.at("version"), 4);
    EXPECT_EQ(doc.at("price_now"), 1000);
    EXPECT_EQ(doc.at("on_sale"), false);
    EXPECT_EQ(doc.at("stock_status"), "low_stock");
    for (const char* hidden : {"stock_total", "low_stock_threshold", "track_inventory", "allow_backorder"})
      EXPECT_FALSE(doc.contains(hidden)) << hidden;
    const json::object& sale = doc.at("sale").as_object();
    EXPECT_FALSE(sale.contains("sold"));
    EXPECT_FALSE(sale.contains("stock_limit"));
    EXPECT_EQ(sale.at("value"), 10);
    for (const json::value& v : doc.at("variants").as_array()) {
      EXPECT_FALSE(v.as_object().contains("stock"));
      EXPECT_TRUE(v.as_object().contains("stock_status"));
      EXPECT_TRUE(v.as_object().contains("price_now"));
      EXPECT_TRUE(v.as_object().contains("sku"));
    }
  }
}

// A partner (a reseller) reads how much is in stock, as a number per
// variant and in total, but not how the shop manages it.
TEST(ProductCollection, RenderForPartnersShowsStockLevelsOnly) {
  json::object doc = stored_product();
  products().render(doc, Projection::partner, kSaleStart - 1);
  EXPECT_EQ(doc.at("stock_total"), 3);
  EXPECT_EQ(doc.at("stock_status"), "low_stock");
  const json::array& variants = doc.at("variants").as_array();
  EXPECT_EQ(variants[0].at("stock"), 3);
  EXPECT_EQ(variants[0].at("stock_status"), "low_stock");
  for (const char* hidden : {"low_stock_threshold", "track_inventory", "allow_backorder"})
    EXPECT_FALSE(doc.contains(hidden)) << hidden;
  EXPECT_FALSE(doc.at("sale").as_object().contains("sold"));
  EXPECT_FALSE(doc.at("sale").as_object().contains("stock_limit"));
}

TEST(ProductCollection, RenderSeesSaleEndBySoldOut) {
  json::object doc = stored_product();
  doc["sale"].as_object()["sold"] = 50;
  products().render(doc, Projection::staff, kSaleStart + 1);
  EXPECT_EQ(doc.at("on_sale"), false);
  EXPECT_EQ(doc.at("price_now"), 1000);
}

TEST(ProductCollection, NextTransition) {
  const json::object doc = stored_product();
  EXPECT_EQ(product_next_transition(doc, kSaleStart - 5), kSaleStart);
  EXPECT_EQ(product_next_transition(doc, kSaleStart), std::nullopt);
}

}  // namespace
}  // namespace shelfsync

#pragma once
// The product of SPEC §2 as a typed value, and its JSON codec.
// decode_product is the one place product JSON is validated (the rules are in
// docs/api.md); encode_product writes the canonical stored form.
// Computed fields (price_now, stock_status, ...) live in domain/pricing.hpp.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/collection.hpp"
#include "domain/problem.hpp"
#include "domain/time.hpp"

namespace shelfsync {

inline constexpr std::int64_t kMaxPrice = 1'000'000'000'000;  // minor units
inline constexpr std::int64_t kMaxStock = 1'000'000'000;      // units, either sign
inline constexpr std::size_t kMaxAttributesBytes = std::size_t{64} * 1024;

enum class ProductStatus { draft, active, archived };
enum class Condition { new_, like_new, good, fair, refurbished, for_parts };
enum class SaleKind { percent, amount, fixed_price };

std::string_view to_string(ProductStatus status);
std::string_view to_string(Condition condition);
std::string_view to_string(SaleKind kind);
std::optional<ProductStatus> parse_product_status(std::string_view text);
std::optional<Condition> parse_condition(std::string_view text);
std::optional<SaleKind> parse_sale_kind(std::string_view text);

struct Sale {
  SaleKind kind = SaleKind::percent;
  std::int64_t value = 0;  // percent 1-100; amount off; or the fixed sale price
  std::optional<Millis> starts_at;
  std::optional<Millis> ends_at;
  std::optional<std::int64_t> stock_limit;
  std::int64_t sold = 0;
};

struct Image {
  std::string id;
  std::string url;
  std::string alt;
  std::optional<std::int64_t> width;
  std::optional<std::int64_t> height;
};

struct ProductOption {
  std::string name;
  std::vector<std::string> values;
};

struct Variant {
  std::string id;
  std::string sku;
  std::map<std::string, std::string> options;  // option name -> value
  std::optional<std::int64_t> price;           // overrides the product's price
  std::int64_t stock = 0;
  bool available = true;
};

struct ShippingOption {
  std::string method;
  std::int64_t price = 0;
  std::optional<std::int64_t> eta_days;
};

struct Fulfillment {
  bool pickup = false;
  std::vector<std::string> pickup_locations;
  std::vector<ShippingOption> shipping;
};

struct Product {
  std::string title;
  std::string description;
  std::string sku;
  ProductStatus status = ProductStatus::draft;
  Condition condition = Condition::new_;
  std::int64_t price = 0;
  std::optional<std::int64_t> compare_at_price;
  std::string currency;  // the tenant's; never taken from input
  std::optional<Sale> sale;
  std::vector<Image> images;
  std::vector<ProductOption> options;
  std::vector<Variant> variants;  // never empty once decoded
  bool track_inventory = true;
  bool allow_backorder = false;
  std::int64_t low_stock_threshold = 5;
  std::vector<std::string> category_ids;
  std::vector<std::string> tags;
  std::optional<std::string> brand_id;
  std::optional<std::string> unit_id;
  Fulfillment fulfillment;
  boost::json::object attributes;
};

// Validates a client document (a create body, or the stored record with a
// merge patch applied) and returns the product, or a 422 naming every bad
// field ("variants[2].sku", "sale.kind", ...). `previous` is the stored
// product on update: a variant sent without id keeps the id (and, if no stock
// is sent, the stock) of the previous variant with the same options, which is
// how the default variant survives edits. Missing image/variant ids are
// generated. The currency comes from `ctx`, never from input.
Result<Product> decode_product(const boost::json::object& input, const Product* previous, const NormalizeContext& ctx);

// The canonical stored form: every member present (optional ones only when
// set), fixed member order, timestamps in RFC 3339 UTC milliseconds, no
// system or computed fields.
boost::json::object encode_product(const Product& product);

// Reads the members pricing, stock and order lines depend on (title, status,
// price, sale, option names, variants with id/sku/price/stock/available/options,
// track_inventory, allow_backorder, low_stock_threshold) from a stored
// document without validating it: mistyped members take their defaults, and
// there is one Variant per element of "variants", in order.
Product read_pricing_fields(const boost::json::object& stored);

}  // namespace shelfsync

#pragma once
// Checkout validation (SPEC §5): decoding the client's cart and comparing each
// line with the current product. Pure functions of the items, the products
// and the time, so `POST /api/checkout/validate` and `POST /api/orders` (which
// re-checks inside its transaction) give the same corrections.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include "domain/problem.hpp"
#include "domain/product.hpp"
#include "domain/time.hpp"

namespace shelfsync {

inline constexpr std::size_t kMaxCheckoutItems = 100;
inline constexpr std::int64_t kMaxCheckoutQty = 10'000;
// kMaxCheckoutItems * kMaxCheckoutQty * kMaxPrice: every total fits an int64.
inline constexpr std::int64_t kMaxLineTotal = kMaxCheckoutQty * kMaxPrice;         // 10^16
inline constexpr std::int64_t kMaxOrderTotal = kMaxLineTotal * kMaxCheckoutItems;  // 10^18

struct CheckoutItem {
  std::string product_id;
  std::string variant_id;
  std::int64_t qty = 0;         // 1..kMaxCheckoutQty
  std::int64_t unit_price = 0;  // what the client last saw, 0..kMaxPrice
};

// Decodes `{items: [{product_id, variant_id, qty, unit_price}]}` (1..100
// items). Every bad member is reported under its path ("items[2].qty") in one
// 422 validation_failed. Unknown members are errors; `extra_members` names
// top-level members a caller reads itself (e.g. an order's "customer_id").
Result<std::vector<CheckoutItem>> decode_checkout(const boost::json::object& body,
                                                  std::initializer_list<std::string_view> extra_members = {});

// One difference between what the client assumed and what holds now.
struct Correction {
  std::size_t index = 0;  // the item's position in the request
  std::string field;      // "availability" | "sale" | "price" | "stock"
  boost::json::value expected;
  boost::json::value actual;
};

// {index, field, expected, actual}
boost::json::object to_json(const Correction& correction);

// The variant with `id`, or null.
const Variant* find_variant(const Product& product, std::string_view id);

// Corrections for one item. `product` is null when it is missing or deleted.
// `already_taken` is how many units of the same variant earlier items of the
// same checkout claim. Unavailability (product not active, variant missing
// or not available) is the only correction when it applies; otherwise the
// item may get one price-or-sale correction and one stock correction.
std::vector<Correction> check_item(std::size_t index, const CheckoutItem& item, const Product* product,
                                   std::int64_t already_taken, Millis now);

// Checks every item, counting earlier items of the same product and variant
// as taken. A limited sale (stock_limit) with fewer sale units left than the
// items of its product ask at the sale price gets a `sale` correction with
// expected = units asked, actual = units left. `lookup` returns the current product by id (null when missing or
// deleted); the pointer need only live until the next call.
using ProductLookup = std::function<const Product*(std::string_view product_id)>;
std::vector<Correction> check_items(const std::vector<CheckoutItem>& items, const ProductLookup& lookup, Millis now);

// An order line's title: the product's, with the variant's option values in
// the product's option order ("Tee (L / Blue)"); at most 200 code points.
std::string line_title(const Product& product, const Variant& variant);

// qty * unit_price; exact for decoded items (≤ kMaxLineTotal).
std::int64_t line_total(const CheckoutItem& item);
// Sum of line totals at the client's prices (≤ kMaxOrderTotal for decoded
// input); equals the current total when check_items found nothing.
std::int64_t checkout_total(const std::vector<CheckoutItem>& items);

// The 409 answer: code checkout_corrections, with extension members
// `ok: false` and `corrections: [...]`.
Problem checkout_problem(const std::vector<Correction>& corrections);

}  // namespace shelfsync

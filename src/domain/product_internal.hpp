#pragma once
// Shared by the product codec's files (product*.cpp); not part of the
// public API in product.hpp. The limits are the ones docs/api.md lists.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include <boost/json/object.hpp>

#include "domain/json_read.hpp"
#include "domain/problem.hpp"
#include "domain/product.hpp"

namespace shelfsync::product_internal {

// Indexed by the enum's value.
inline constexpr std::string_view kStatusNames[] = {"draft", "active", "archived"};
inline constexpr std::string_view kConditionNames[] = {"new", "like_new", "good", "fair", "refurbished", "for_parts"};
inline constexpr std::string_view kSaleKindNames[] = {"percent", "amount", "fixed_price"};

inline constexpr std::size_t kMaxTitle = 200;
inline constexpr std::size_t kMaxDescription = 20000;
inline constexpr std::size_t kMaxSku = 64;
inline constexpr std::size_t kMaxImages = 50;
inline constexpr std::size_t kMaxUrl = 2048;
inline constexpr std::size_t kMaxAlt = 500;
inline constexpr std::int64_t kMaxImageDimension = 65535;
inline constexpr std::size_t kMaxOptions = 10;
inline constexpr std::size_t kMaxOptionName = 50;
inline constexpr std::size_t kMaxOptionValues = 250;  // no product can have more variants anyway
inline constexpr std::size_t kMaxOptionValue = 100;
inline constexpr std::size_t kMaxVariants = 250;
inline constexpr std::size_t kMaxCategories = 50;
inline constexpr std::size_t kMaxTags = 50;
inline constexpr std::size_t kMaxTag = 50;
inline constexpr std::size_t kMaxPickupLocations = 50;
inline constexpr std::size_t kMaxPickupLocation = 200;
inline constexpr std::size_t kMaxShipping = 20;
inline constexpr std::size_t kMaxShippingMethod = 100;
inline constexpr std::int64_t kMaxEtaDays = 365;

// product_members.cpp: members checked on their own, without cross-field rules.
Sale decode_sale(const boost::json::object& obj, Errors& errors);
// Also gives every image without an id a new one.
void decode_images(MemberReader& r, Product& p);
void decode_fulfillment(const boost::json::object& obj, Errors& errors, Fulfillment& f);

// product_variants.cpp
// Returns whether every option declaration is valid (variants are checked
// against them only then, to avoid a cascade of follow-on errors).
bool decode_options(MemberReader& r, Product& p);
// Reads "variants" (or makes the default variant) and applies the variant
// rules; expects p.options, p.sku and p.allow_backorder already decoded.
void decode_variants(MemberReader& r, Product& p, bool options_ok, const Product* previous);

}  // namespace shelfsync::product_internal

// The enum names of product.hpp; the codec is in product_decode.cpp,
// product_encode.cpp and product_pricing_fields.cpp.

#include "domain/product.hpp"

#include "domain/product_internal.hpp"

namespace shelfsync {

using product_internal::kConditionNames;
using product_internal::kSaleKindNames;
using product_internal::kStatusNames;

namespace {

template <class E, std::size_t N>
std::optional<E> parse_enum(const std::string_view (&names)[N], std::string_view text) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ProductStatus status) { return kStatusNames[static_cast<std::size_t>(status)]; }
std::string_view to_string(Condition condition) { return kConditionNames[static_cast<std::size_t>(condition)]; }
std::string_view to_string(SaleKind kind) { return kSaleKindNames[static_cast<std::size_t>(kind)]; }

std::optional<ProductStatus> parse_product_status(std::string_view text) {
  return parse_enum<ProductStatus>(kStatusNames, text);
}
std::optional<Condition> parse_condition(std::string_view text) { return parse_enum<Condition>(kConditionNames, text); }
std::optional<SaleKind> parse_sale_kind(std::string_view text) { return parse_enum<SaleKind>(kSaleKindNames, text); }

}  // namespace shelfsync

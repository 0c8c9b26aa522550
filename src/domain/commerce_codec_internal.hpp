#pragma once
// Shared by the codecs of the commerce documents (order_codec.cpp,
// bill_codec.cpp, stock_movement_codec.cpp); not part of their public API.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "domain/collection.hpp"
#include "domain/json_read.hpp"

namespace shelfsync::commerce_codec {

// The enum value whose name is `text`, for an enum indexed like `names`.
template <class Enum>
std::optional<Enum> enum_named(std::span<const std::string_view> names, std::string_view text) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == text) return static_cast<Enum>(i);
  return std::nullopt;
}

// Reads a member that must be one of `names` into `out`, an enum indexed
// like them; an absent or wrong member leaves `out` alone (the reader has
// added the error for a wrong one).
template <class Enum>
bool read_enum(MemberReader& r, std::string_view key, std::span<const std::string_view> names, Enum& out) {
  std::size_t i = 0;
  if (!r.one_of(key, names, i)) return false;
  out = static_cast<Enum>(i);
  return true;
}

// An ISO 4217 code kept from the record (an order keeps the currency it was
// placed in), else the tenant's.
inline std::string read_currency(MemberReader& r, const NormalizeContext& ctx) {
  std::string currency = ctx.currency;
  r.string("currency", 3, 3, currency);
  return currency;
}

}  // namespace shelfsync::commerce_codec

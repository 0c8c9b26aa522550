#include "domain/view_digest.hpp"

#include <algorithm>
#include <array>
#include <tuple>

#include "domain/json_util.hpp"
#include "domain/role.hpp"

namespace shelfsync {

namespace json = boost::json;

std::uint32_t murmur3_32(std::string_view s, std::uint32_t seed) {
  constexpr std::uint32_t kC1 = 0xcc9e2d51;
  constexpr std::uint32_t kC2 = 0x1b873593;
  const auto rotl = [](std::uint32_t x, int r) { return (x << r) | (x >> (32 - r)); };
  const auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])); };
  std::uint32_t h = seed;
  const std::size_t blocks = s.size() / 4;
  for (std::size_t i = 0; i < blocks; ++i) {
    const std::size_t at = i * 4;
    std::uint32_t k = byte(at) | byte(at + 1) << 8 | byte(at + 2) << 16 | byte(at + 3) << 24;
    k = rotl(k * kC1, 15) * kC2;
    h = rotl(h ^ k, 13) * 5 + 0xe6546b64;
  }
  std::uint32_t k = 0;
  const std::size_t tail = blocks * 4;
  switch (s.size() & 3) {
    case 3:
      k ^= byte(tail + 2) << 16;
      [[fallthrough]];
    case 2:
      k ^= byte(tail + 1) << 8;
      [[fallthrough]];
    case 1:
      k ^= byte(tail);
      h ^= rotl(k * kC1, 15) * kC2;
  }
  h ^= static_cast<std::uint32_t>(s.size());
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

namespace {

using Scope = std::pair<std::string, std::string>;

// The scopes a stored version counts in: the whole entity, and each view
// field it has a value for.
std::vector<Scope> scopes_of(const Collection& c, const json::object& doc) {
  std::vector<Scope> out{{"", ""}};
  for (const auto& field : view_fields(c)) {
    const auto value = string_or_empty(doc, field);
    if (!value.empty()) out.emplace_back(field, std::string(value));
  }
  return out;
}

}  // namespace

DigestSum& DigestSum::operator+=(const DigestSum& o) {
  count += o.count;
  a += o.a;  // unsigned: mod 2^32
  b += o.b;
  return *this;
}

DigestSum DigestSum::operator-() const { return {-count, 0u - a, 0u - b}; }

DigestSum record_digest(std::string_view entity, std::string_view id, std::int64_t version) {
  std::string line;
  line.reserve(entity.size() + id.size() + 24);
  line.append(entity).append("/").append(id).append(":").append(std::to_string(version));
  return {1, murmur3_32(line, 0), murmur3_32(line, kDigestSeedB)};
}

std::string digest_hex(const DigestSum& sum) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 0; i < 8; ++i) {
    out[7 - i] = kHex[(sum.a >> (4 * i)) & 0xf];
    out[15 - i] = kHex[(sum.b >> (4 * i)) & 0xf];
  }
  return out;
}

std::vector<std::string> view_fields(const Collection& c) {
  std::vector<std::string> out;
  for (const Role role : kRoles)
    for (const auto& [field, value] : c.visible_filters(role)) out.push_back(field);
  if (auto owner = c.owner_field()) out.emplace_back(*owner);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<DigestDelta> digest_changes(const Collection& c, std::string_view id, const json::object* before,
                                        std::int64_t before_version, const json::object* after,
                                        std::int64_t after_version) {
  std::vector<DigestDelta> rows;
  const std::string entity(c.name());
  if (after) {
    const auto sum = record_digest(entity, id, after_version);
    for (auto& [field, value] : scopes_of(c, *after)) rows.push_back({entity, field, value, sum});
  }
  if (before) {
    const auto sum = -record_digest(entity, id, before_version);
    for (auto& [field, value] : scopes_of(c, *before)) rows.push_back({entity, field, value, sum});
  }
  const auto key = [](const DigestDelta& d) { return std::tie(d.field, d.value); };
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const DigestDelta& x, const DigestDelta& y) { return key(x) < key(y); });
  std::vector<DigestDelta> out;
  for (auto& row : rows) {
    if (!out.empty() && key(out.back()) == key(row))
      out.back().sum += row.sum;
    else
      out.push_back(std::move(row));
  }
  std::erase_if(out, [](const DigestDelta& d) { return d.sum == DigestSum{}; });
  return out;
}

}  // namespace shelfsync

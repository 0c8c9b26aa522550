#pragma once
// The sync digest (SPEC §6, GET /api/sync/digest) as sums that a write can
// adjust: each visible record contributes a 64-bit hash of
// "<entity>/<id>:<version>" (two 32-bit MurmurHash3 lanes, seeds 0 and
// kDigestSeedB), and a view's digest is its record count with each lane
// summed mod 2^32. Sums do not depend on order, and taking a record out is
// a subtraction, so the store keeps them per view scope in the writing
// transaction and a digest costs a few row reads whatever the catalog's
// size. The JavaScript client computes the same (clients/js/src/digest.js).
//
// A view scope is (entity, field, value): field "" holds every record of
// the entity that is not deleted; a view field (a field some role's view is
// filtered on: a product's `status`, the owner of an order or bill) holds
// those records with that value.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/collection.hpp"

namespace shelfsync {

inline constexpr std::uint32_t kDigestSeedB = 0x9747b28c;

struct DigestSum {
  std::int64_t count = 0;
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  DigestSum& operator+=(const DigestSum& o);
  DigestSum operator-() const;
  bool operator==(const DigestSum&) const = default;
};

// MurmurHash3 x86_32 over the bytes of `s` (ids and entity names are ASCII,
// so the JavaScript client hashes the same bytes).
std::uint32_t murmur3_32(std::string_view s, std::uint32_t seed);

// What one visible version adds: {1, lane a, lane b}.
DigestSum record_digest(std::string_view entity, std::string_view id, std::int64_t version);
// "<lane a><lane b>", 16 lowercase hex digits.
std::string digest_hex(const DigestSum& sum);

// Numbers added to a view scope's sums by one write.
struct DigestDelta {
  std::string entity;
  std::string field;  // "" for the whole entity
  std::string value;
  DigestSum sum;
  bool operator==(const DigestDelta&) const = default;
};

// The fields whose values scope a view of `c` (from the roles' view filters
// and the owner field).
std::vector<std::string> view_fields(const Collection& c);

// after − before for one record: `before` the stored version (null if none or
// a tombstone), `after` the written one (null for a delete). Scopes that net
// to zero are dropped.
std::vector<DigestDelta> digest_changes(const Collection& c, std::string_view id, const boost::json::object* before,
                                        std::int64_t before_version, const boost::json::object* after,
                                        std::int64_t after_version);

}  // namespace shelfsync

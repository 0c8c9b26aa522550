#pragma once
// Record ids: `^[A-Za-z0-9_-]{1,64}$`. Server-made ids are a short prefix, the
// creation time in Crockford base32 (so they sort by time) and random bits.

#include <string>
#include <string_view>

namespace shelfsync {

bool is_valid_id(std::string_view id);
// e.g. new_id("prod") -> "prod_01JD3X9K2M8QZ7R4T1VB"; unique within a process
// and, with 50 random bits, across processes.
std::string new_id(std::string_view prefix);
// Hex of n cryptographically random bytes (tokens, image file names).
std::string random_hex(std::size_t bytes);
// Lowercase hex SHA-256 of `data` (token hashes, sync digests).
std::string sha256_hex(std::string_view data);

}  // namespace shelfsync

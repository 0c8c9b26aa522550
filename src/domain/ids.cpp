#include "domain/ids.hpp"

#include <atomic>
#include <cstdint>
#include <random>
#include <stdexcept>

#include <openssl/rand.h>
#include <openssl/sha.h>

#include "domain/time.hpp"

namespace shelfsync {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void fill_random(unsigned char* out, std::size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
}

// The random part of record ids: unique, not secret (ids are no
// credentials; tokens use random_hex), so a per-thread generator seeded
// from the system's CSPRNG once serves them without a RAND_bytes call per
// id (those showed in the writer's profile: an order makes three ids).
std::uint64_t id_random_bits() {
  thread_local std::mt19937_64 gen = [] {
    std::uint64_t seed[4];
    fill_random(reinterpret_cast<unsigned char*>(seed), sizeof seed);
    std::seed_seq seq{seed[0], seed[1], seed[2], seed[3]};
    return std::mt19937_64(seq);
  }();
  return gen();
}

}  // namespace

bool is_valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string new_id(std::string_view prefix) {
  // Monotonic millisecond stamp: never goes backwards within a process, so
  // ids made later sort later even if the wall clock steps back.
  static std::atomic<Millis> last{0};
  Millis t = now_ms();
  Millis prev = last.load();
  while (true) {
    const Millis next = t > prev ? t : prev;
    if (last.compare_exchange_weak(prev, next)) {
      t = next;
      break;
    }
  }
  std::string id(prefix);
  id += '_';
  char stamp[10];
  for (int i = 9; i >= 0; --i) {
    stamp[i] = kCrockford[t & 31];
    t >>= 5;
  }
  id.append(stamp, 10);
  std::uint64_t rnd = id_random_bits();
  for (int i = 0; i < 10; ++i, rnd >>= 5) id += kCrockford[rnd & 31];
  return id;
}

std::string random_hex(std::size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string raw(bytes, '\0');
  fill_random(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char b : raw) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(sizeof digest * 2);
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

}  // namespace shelfsync

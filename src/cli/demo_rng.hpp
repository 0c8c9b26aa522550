#pragma once
// Deterministic randomness for the demo catalog. Like every header in
// shelfsync::demo, internal to make_demo_catalog (src/cli/demo_*.cpp).

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace shelfsync::demo {

// SplitMix64 with our own range/shuffle: std:: distributions differ between
// standard libraries, and the catalog must be the same everywhere for a seed.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int range(int lo, int hi) {  // inclusive
    return lo + static_cast<int>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool percent(int p) { return range(0, 99) < p; }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[next() % v.size()];
  }
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[next() % i]);
  }

 private:
  std::uint64_t state_;
};

}  // namespace shelfsync::demo

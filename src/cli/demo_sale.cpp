// make_sale: a demo product's sale, timed around `now`.

#include <algorithm>
#include <vector>

#include "cli/demo_products.hpp"

namespace shelfsync::demo {

namespace json = boost::json;

namespace {

enum class SaleTiming { running, running_open, starts_soon, ends_soon, future, ended };

}  // namespace

json::object make_sale(Rng& rng, int slot, std::int64_t price, Millis now) {
  static constexpr Millis kMinute = 60'000, kDay = 86'400'000;
  const Millis base = now - now % kMinute;
  static const char* kKinds[] = {"percent", "amount", "fixed_price"};
  json::object sale;
  sale["kind"] = kKinds[slot % 3];
  // Round like a shop would: whole units for bigger sums, dimes for small ones.
  const auto tidy = [](std::int64_t v) { return v >= 1000 ? v / 100 * 100 : v / 10 * 10; };
  std::int64_t value = 0;
  switch (slot % 3) {
    case 0:
      value = rng.pick(std::vector<int>{10, 15, 20, 25, 30, 40, 50});
      break;
    case 1:
      value = std::max<std::int64_t>(10, tidy(price * rng.range(10, 30) / 100));
      break;
    default:
      value = std::max<std::int64_t>(9, tidy(price * rng.range(60, 85) / 100) - 1);
  }
  sale["value"] = value;
  // The first few slots show every live behaviour; the rest rotate timings.
  SaleTiming timing;
  switch (slot) {
    case 0:
      timing = SaleTiming::starts_soon;
      break;
    case 1:
      timing = SaleTiming::ends_soon;
      break;
    case 2:
    case 4:
      timing = SaleTiming::running;
      break;
    default: {
      static const SaleTiming kRotation[] = {SaleTiming::running, SaleTiming::running_open, SaleTiming::future,
                                             SaleTiming::ended};
      timing = kRotation[slot % 4];
    }
  }
  Millis starts = 0, ends = 0;
  switch (timing) {
    case SaleTiming::running:
      starts = base - rng.range(1, 5) * kDay;
      ends = base + rng.range(3, 10) * kDay;
      break;
    case SaleTiming::running_open:
      starts = base - rng.range(1, 20) * kDay;
      break;
    case SaleTiming::starts_soon:
      starts = base + 5 * kMinute;
      ends = base + 2 * kDay;
      break;
    case SaleTiming::ends_soon:
      starts = base - kDay;
      ends = base + 10 * kMinute;
      break;
    case SaleTiming::future:
      starts = base + rng.range(1, 4) * kDay;
      ends = starts + rng.range(3, 10) * kDay;
      break;
    case SaleTiming::ended:
      starts = base - rng.range(15, 40) * kDay;
      ends = base - rng.range(2, 14) * kDay;
      break;
  }
  sale["starts_at"] = format_rfc3339(starts);
  if (ends != 0) sale["ends_at"] = format_rfc3339(ends);
  std::int64_t sold = timing == SaleTiming::future || timing == SaleTiming::starts_soon ? 0 : rng.range(0, 40);
  // Two running sales are capped by quantity, close to selling out.
  if (slot == 2) {
    sale["stock_limit"] = 25;
    sold = 19;
  } else if (slot == 4) {
    sale["stock_limit"] = 12;
    sold = 9;
  }
  sale["sold"] = sold;
  return sale;
}

}  // namespace shelfsync::demo

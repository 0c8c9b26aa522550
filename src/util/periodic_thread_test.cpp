#include "util/periodic_thread.hpp"

#include <atomic>
#include <stdexcept>

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

template <class Pred>
bool eventually(Pred pred) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return pred();
}

TEST(PeriodicThread, TicksRepeatedlyAndKeepsGoingAfterAThrow) {
  std::atomic<int> ticks{0};
  PeriodicThread t("test-periodic", std::chrono::milliseconds(1), [&] {
    if (++ticks == 2) throw std::runtime_error("one bad tick");
  });
  EXPECT_TRUE(eventually([&] { return ticks >= 5; }));
}

TEST(PeriodicThread, DestructionWakesALongWaitAndStopsTicking) {
  std::atomic<int> ticks{0};
  {
    PeriodicThread t("test-periodic", std::chrono::hours(1), [&] { ++ticks; });
  }  // would hang for an hour if the destructor did not wake the wait
  EXPECT_EQ(ticks, 0);
}

}  // namespace
}  // namespace shelfsync

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

TEST(PeriodicThread, TheFirstTickWaitsForAPoke) {
  std::atomic<int> ticks{0};
  PeriodicThread t("test-poked", [&] {
    ++ticks;
    return PeriodicThread::Wake(PeriodicThread::kNever);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(ticks, 0);
  t.poke();
  EXPECT_TRUE(eventually([&] { return ticks == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(ticks, 1) << "kNever: no tick until the next poke";
  t.poke();
  EXPECT_TRUE(eventually([&] { return ticks == 2; }));
}

TEST(PeriodicThread, TicksAgainWhenTheTickAsksOnEitherClock) {
  std::atomic<int> steady{0}, system{0};
  PeriodicThread a("test-steady", [&] {
    ++steady;
    return PeriodicThread::Wake(std::chrono::steady_clock::now() + std::chrono::milliseconds(2));
  });
  PeriodicThread b("test-system", [&] {
    ++system;
    return PeriodicThread::Wake(std::chrono::system_clock::now() + std::chrono::milliseconds(2));
  });
  a.poke();
  b.poke();
  EXPECT_TRUE(eventually([&] { return steady >= 5 && system >= 5; }));
}

TEST(PeriodicThread, APokeDuringATickRunsTheNextOneAtOnce) {
  std::atomic<int> ticks{0};
  std::atomic<bool> release{false};
  PeriodicThread t("test-poked", [&] {
    if (++ticks == 1)
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return PeriodicThread::Wake(PeriodicThread::kNever);
  });
  t.poke();
  ASSERT_TRUE(eventually([&] { return ticks == 1; }));
  t.poke();  // the first tick is still running: it may have read its state before this
  t.poke();  // pokes before a tick make one tick
  release = true;
  EXPECT_TRUE(eventually([&] { return ticks == 2; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(ticks, 2);
}

TEST(PeriodicThread, ATickThatThrowsRunsAgainLater) {
  std::atomic<int> ticks{0};
  PeriodicThread t("test-poked", [&]() -> PeriodicThread::Wake {
    if (++ticks == 1) throw std::runtime_error("one bad tick");
    return PeriodicThread::kNever;
  });
  t.poke();
  EXPECT_TRUE(eventually([&] { return ticks == 2; })) << "after kAfterThrow";
}

}  // namespace
}  // namespace shelfsync

#include "util/listener_gate.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <thread>

#include <gtest/gtest.h>

namespace shelfsync {
namespace {

TEST(ListenerGate, CallsPassWhileOpenAndNoneAfterClose) {
  int calls = 0;
  std::function<void(int)> listener;
  {
    ListenerGate gate;
    listener = gate.guard([&](int n) { calls += n; });
    listener(2);
    EXPECT_EQ(calls, 2);
  }  // the gate goes: its owner is gone
  listener(3);
  EXPECT_EQ(calls, 2) << "a call after the gate closed reached its owner";
}

TEST(ListenerGate, CloseWaitsForTheCallInFlight) {
  ListenerGate gate;
  std::promise<void> entered;
  std::promise<void> release;
  auto listener = gate.guard([&] {
    entered.set_value();
    release.get_future().wait();
  });
  std::thread caller(listener);
  entered.get_future().wait();
  std::atomic<bool> closed{false};
  std::thread closer([&] {
    gate.close();
    closed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(closed) << "close() returned while the owner was still being called";
  release.set_value();
  caller.join();
  closer.join();
  EXPECT_TRUE(closed);
}

}  // namespace
}  // namespace shelfsync

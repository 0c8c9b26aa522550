#pragma once
// Sale timers (SPEC §2): when a sale starts or ends by the clock, the
// product gets a new version and a change event (origin "sale_timer"), so
// every live reader sees the new price without asking. Each product carries
// an index key with the instant of its next transition (product_collection
// .hpp, kSaleNextKey); this thread sleeps until the earliest one across all
// tenants, writes the due products, and looks again. Transitions that fell
// while the server was down are due at start and applied at once.
//
// A sale that ends because its last unit sold needs no timer: the order
// that sells it writes the product.

#include <atomic>
#include <cstdint>

#include "util/listener_gate.hpp"
#include "util/periodic_thread.hpp"

namespace shelfsync {

class Store;

class SaleTimer {
 public:
  // Adds a commit listener to `store` (so construct it before the first
  // write) and starts the timer thread.
  explicit SaleTimer(Store& store);

  SaleTimer(const SaleTimer&) = delete;
  SaleTimer& operator=(const SaleTimer&) = delete;

  // Products written by the timer since start.
  std::uint64_t fired() const;

 private:
  // Fires what is due; returns when to look again.
  PeriodicThread::Wake tick();
  // Writes every due product; returns false if a write failed.
  bool fire_due();

  Store& store_;
  std::atomic<std::uint64_t> fired_{0};
  // Starts once the members above are ready, and stops after the gate (a
  // transition being written is finished). Poked when a product with a sale
  // is written.
  PeriodicThread thread_;
  // Last, so closed first: the store keeps the commit listener, and a commit
  // after the timer went must not poke its thread.
  ListenerGate commits_;
};

}  // namespace shelfsync

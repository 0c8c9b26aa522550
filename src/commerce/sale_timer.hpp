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

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace shelfsync {

class Store;

class SaleTimer {
 public:
  // Adds a commit listener to `store` (so construct it before the first
  // write) and starts the timer thread.
  explicit SaleTimer(Store& store);
  // Stops the thread; a transition being written is finished first.
  ~SaleTimer();

  SaleTimer(const SaleTimer&) = delete;
  SaleTimer& operator=(const SaleTimer&) = delete;

  // Products written by the timer since start.
  std::uint64_t fired() const;

 private:
  void run();
  // Writes every due product; returns false if a write failed.
  bool fire_due();
  void poke();

  Store& store_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;    // guarded by mu_
  bool poked_ = false;       // guarded by mu_: a product with a sale changed
  std::uint64_t fired_ = 0;  // guarded by mu_
  std::thread thread_;
};

}  // namespace shelfsync

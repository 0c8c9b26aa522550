#pragma once
// Which of a tenant's subscriptions a committed change may concern, so a
// commit pumps those and not every subscription of the tenant: by topic,
// then, for a subscription with an ids filter (a product page's room), by
// id. A subscription filtered by fields (category_id, customer_id, ...) or
// not at all is "broad": every change of its topic may concern it (a record
// may enter or leave its view). The result is a superset; pump() still
// decides change by change. Hub thread only.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/store.hpp"

namespace shelfsync {

struct Subscription;

class InterestIndex {
 public:
  // `followed` counts the (subscription, id) pairs of ids filters, over
  // every tenant (a gauge: what pages follow by id, watches included).
  explicit InterestIndex(std::atomic<std::int64_t>* followed = nullptr) : followed_(followed) {}

  // Registers `s` under its topic and current ids filter.
  void add(const std::shared_ptr<Subscription>& s);
  // Forgets `s` under every id and its topic.
  void remove(const Subscription& s);
  // A watch changed the ids of `s` (it must be registered).
  void add_id(const std::shared_ptr<Subscription>& s, const std::string& id);
  void remove_id(const Subscription& s, const std::string& id);

  // Every subscription that may see one of `changes`, each once.
  std::vector<std::shared_ptr<Subscription>> collect(const std::vector<CommittedChange>& changes);

 private:
  using Set = std::unordered_map<const Subscription*, std::shared_ptr<Subscription>>;
  struct Topic {
    Set broad;
    std::unordered_map<std::string, Set> by_id;
  };
  std::unordered_map<std::string, Topic> topics_;
  std::uint64_t round_ = 0;  // marks a subscription as taken within one collect()
  std::atomic<std::int64_t>* followed_;
  void count(std::int64_t n) {
    if (followed_) *followed_ += n;
  }
};

}  // namespace shelfsync

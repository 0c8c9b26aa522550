#include "http/edge/connection_counter.hpp"

#include <unordered_map>

#include "util/mutex.hpp"

namespace shelfsync {

struct ConnectionCounter::State {
  explicit State(int max) : max_per_key(max) {}

  const int max_per_key;
  Mutex mu;
  std::unordered_map<std::string, int> open GUARDED_BY(mu);  // no zero entries
};

ConnectionCounter::ConnectionCounter(int max_per_key) : state_(std::make_shared<State>(max_per_key)) {}

Ticket ConnectionCounter::try_hold(const std::string& key) {
  {
    MutexLock lock(&state_->mu);
    auto& n = state_->open[key];
    if (state_->max_per_key > 0 && n >= state_->max_per_key) return nullptr;  // n > 0 here
    ++n;
  }
  // The ticket's deleter keeps the state alive: a connection may close after
  // the server that counted it is gone.
  return Ticket(static_cast<const void*>(state_.get()), [state = state_, key](const void*) {
    MutexLock lock(&state->mu);
    auto it = state->open.find(key);
    if (it != state->open.end() && --it->second <= 0) state->open.erase(it);
  });
}

int ConnectionCounter::open(const std::string& key) const {
  MutexLock lock(&state_->mu);
  auto it = state_->open.find(key);
  return it == state_->open.end() ? 0 : it->second;
}

}  // namespace shelfsync

#pragma once
// For a callback handed to something that outlives its owner and cannot drop
// it — a store keeps every commit listener until it closes. The callback goes
// through the gate, and the owner closes the gate before the members the
// callback touches go (as a member declared after them, or by close()).
// close() waits for a call in flight; once it returns, no call reaches the
// owner again.
//
//   store.add_commit_listener(gate_.guard([this](const auto&... args) { on_commit(args...); }));
//
// A guarded call holds the gate's lock: like the commit listeners it serves,
// it must hand work on and not block.

#include <memory>
#include <utility>

#include "util/mutex.hpp"

namespace shelfsync {

class ListenerGate {
 public:
  ListenerGate() = default;
  ~ListenerGate() { close(); }
  ListenerGate(const ListenerGate&) = delete;
  ListenerGate& operator=(const ListenerGate&) = delete;

  // `fn` behind the gate: the callable returned runs it while the gate is open.
  template <class Fn>
  auto guard(Fn fn) const {
    return [state = state_, fn = std::move(fn)](auto&&... args) {
      MutexLock lock(&state->mu);
      if (state->open) fn(std::forward<decltype(args)>(args)...);
    };
  }

  void close() {
    MutexLock lock(&state_->mu);
    state_->open = false;
  }

 private:
  struct State {
    Mutex mu;
    bool open GUARDED_BY(mu) = true;
  };
  // Shared with the callables handed out, which may outlive the gate.
  std::shared_ptr<State> state_ = std::make_shared<State>();
};

}  // namespace shelfsync

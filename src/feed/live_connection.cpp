#include "feed/live_connection.hpp"

namespace shelfsync {

void LiveConnection::request_wake(std::size_t threshold) {
  // Raise the threshold only: several subscriptions may wait, for the queue
  // to drain (flow control) or to be idle (adaptive batching); waking for the
  // larger one is enough, the others ask again.
  auto want = static_cast<std::int64_t>(threshold);
  auto cur = wake_at_.load();
  while (cur < want && !wake_at_.compare_exchange_weak(cur, want)) {
  }
  maybe_wake();  // the write may have completed before we registered
}

void LiveConnection::note_written(std::size_t bytes) {
  queued_.fetch_sub(bytes, std::memory_order_acq_rel);
  maybe_wake();
}

void LiveConnection::maybe_wake() {
  const auto at = wake_at_.load();
  if (at < 0 || queued_bytes() > static_cast<std::size_t>(at)) return;
  auto expected = at;
  // Exactly one caller fires per request.
  if (wake_at_.compare_exchange_strong(expected, -1) && wake_) wake_();
}

}  // namespace shelfsync

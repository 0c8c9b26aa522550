#include "feed/live_connection.hpp"

#include <algorithm>

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

namespace {
thread_local SendBatch* current_batch = nullptr;
}  // namespace

SendBatch::SendBatch() : outermost_(current_batch == nullptr) {
  if (outermost_) current_batch = this;
}

SendBatch::~SendBatch() {
  if (!outermost_) return;
  current_batch = nullptr;  // a hand-off that sends again sends at once
  for (auto& g : groups_)
    if (!g.connections.empty()) g.hand_off(std::move(g.connections));
}

bool SendBatch::defer(HandOff hand_off, std::shared_ptr<LiveConnection> connection) {
  if (!current_batch) return false;
  current_batch->add(hand_off, std::move(connection));
  return true;
}

void SendBatch::add(HandOff hand_off, std::shared_ptr<LiveConnection> connection) {
  auto g = std::find_if(groups_.begin(), groups_.end(), [&](const Group& x) { return x.hand_off == hand_off; });
  if (g == groups_.end()) g = groups_.insert(groups_.end(), Group{hand_off, {}});
  g->connections.push_back(std::move(connection));
  if (g->connections.size() < kSendBatchGroup) return;
  // Hand off a full group now: its writers start while this thread goes on.
  auto full = std::move(g->connections);
  g->connections.clear();
  g->connections.reserve(kSendBatchGroup);
  hand_off(std::move(full));
}

}  // namespace shelfsync

#pragma once
// The hub's view of one live connection (a WebSocket or an SSE stream). The
// hub decides WHAT to send; the transport decides how to frame it and writes
// it, one write in flight at a time, on its own strand.
//
// Threading: the send_* calls and request_wake() come from the hub thread
// only and must not block (queue and return). queued_bytes() may be read from
// any thread. Transports call note_queued()/note_written() around their
// writes; note_written() fires the hub's wake callback when the queue has
// drained to the threshold the hub asked for.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error_codes.hpp"

namespace shelfsync {

// Flow-control marks of every live connection's outgoing queue (bytes). Over
// the high mark the hub stops pumping the connection's subscriptions; it
// resumes once the queue is at or below the low mark. A connection whose
// queue passes the hard limit anyway (a client that floods pings and never
// reads) is closed.
inline constexpr std::size_t kLiveQueueHighWater = 1u << 20;   // 1 MiB
inline constexpr std::size_t kLiveQueueLowWater = 256u << 10;  // 256 KiB
inline constexpr std::size_t kLiveQueueHardLimit = 8u << 20;   // 8 MiB

using Frame = std::shared_ptr<const std::string>;  // one serialized change object
// One whole message as a transport writes it. Immutable, so the hub hands
// the same one to every connection that would encode it identically (same
// transport, sub id, cursor and change objects): a change fanned out to N
// readers is encoded once, not N times.
using Message = std::shared_ptr<const std::string>;

class LiveConnection {
 public:
  virtual ~LiveConnection() = default;

  virtual std::string_view transport() const = 0;  // "ws" or "sse"

  // `cursor` is absent on snapshot chunks: the client may not resume from
  // the middle of a snapshot.
  virtual void send_changes(const std::string& sub, std::optional<std::int64_t> cursor,
                            const std::vector<Frame>& changes) = 0;
  // The `changes` message send_changes() would write, encoded once so that
  // connections of the same transport() can share it through send_encoded().
  // Any thread, no side effects. A transport that does not share returns
  // null and gets send_changes() instead.
  virtual Message encode_changes(const std::string& sub, std::optional<std::int64_t> cursor,
                                 const std::vector<Frame>& changes) const {
    return nullptr;
  }
  // Queues a message from encode_changes() of a connection of this transport.
  // NOLINTNEXTLINE(performance-unnecessary-value-param): a sink; the overrides move from it
  virtual void send_encoded(Message /*message*/) {}
  virtual void send_subscribed(const std::string& sub, std::int64_t cursor) = 0;
  virtual void send_reset(const std::string& sub, ErrorCode code) = 0;
  virtual void send_error(const std::string& sub, ErrorCode code, std::string_view message) = 0;

  std::size_t queued_bytes() const { return queued_.load(std::memory_order_acquire); }

  // Hub thread: call the wake callback once the queue is at or below
  // `threshold` bytes (at once, from this call, if it already is).
  void request_wake(std::size_t threshold);
  // Set by the hub when the connection is attached, before any send.
  void set_wake_callback(std::function<void()> wake) { wake_ = std::move(wake); }

 protected:
  void note_queued(std::size_t bytes) { queued_.fetch_add(bytes, std::memory_order_acq_rel); }
  void note_written(std::size_t bytes);

 private:
  void maybe_wake();

  std::atomic<std::size_t> queued_{0};
  std::atomic<std::int64_t> wake_at_{-1};  // -1: nobody waits
  std::function<void()> wake_;
};

// Hands the connections' queued messages to their writers. Called with
// connections of one transport, on the thread that ends a SendBatch.
using HandOff = void (*)(std::vector<std::shared_ptr<LiveConnection>> connections);

// While one is alive on a thread, transports defer waking their writer for
// what that thread queues; the batch wakes them in groups of
// kSendBatchGroup (one task per group instead of one per connection), the
// first groups while the thread is still queuing, the rest when it ends.
// The hub runs each of its tasks inside one. Nested batches join the
// outermost.
class SendBatch {
 public:
  static constexpr std::size_t kSendBatchGroup = 64;

  SendBatch();
  ~SendBatch();
  SendBatch(const SendBatch&) = delete;
  SendBatch& operator=(const SendBatch&) = delete;

  // Transport side: defers `connection`'s wake-up if a batch is alive on
  // this thread; false if none is (wake it now).
  static bool defer(HandOff hand_off, std::shared_ptr<LiveConnection> connection);

 private:
  struct Group {
    HandOff hand_off;
    std::vector<std::shared_ptr<LiveConnection>> connections;
  };
  void add(HandOff hand_off, std::shared_ptr<LiveConnection> connection);

  bool outermost_;
  std::vector<Group> groups_;  // one per transport seen
};

}  // namespace shelfsync

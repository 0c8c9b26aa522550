// A WebSocket live connection: reads client messages, writes hub output, one
// write in flight at a time on the connection's strand.

#include <deque>
#include <iostream>
#include <mutex>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "live/frames.hpp"
#include "live/protocol.hpp"
#include "live/sessions.hpp"

namespace shelfsync::live {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

namespace {

constexpr std::size_t kMaxMessage = 64 * 1024;
constexpr auto kHandshakeTimeout = std::chrono::seconds(30);
// Liveness: a ping every kPingInterval while we have nothing to write; a
// peer silent for kDeadAfter with nothing of ours stuck is gone. While our
// writes are stuck the peer is a slow reader, not a dead one: TCP tells us
// if it dies, and flow control keeps it cheap (Beast's idle timeout would
// close it, so it is off).
constexpr auto kPingInterval = std::chrono::seconds(20);
constexpr auto kDeadAfter = std::chrono::seconds(60);

// The WebSocket runs on the connection's socket with its strand as a
// concrete executor type (no tcp_stream, no type-erased executor): a fan-out
// makes one write per subscriber, and the per-write bookkeeping of those
// layers showed in profiles. Handshake and idle timeouts are the websocket
// stream's own.
using Strand = net::strand<net::io_context::executor_type>;
using Socket = net::basic_stream_socket<net::ip::tcp, Strand>;

class WsSession : public LiveConnection,
                  public LiveSession,
                  public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(Socket socket, Principal who, Hub& hub, Registry& registry)
      : ws_(std::move(socket)), who_(std::move(who)), hub_(hub), registry_(registry) {}

  void run(beast::http::request<beast::http::string_body> upgrade) {
    ws_.set_option(websocket::stream_base::timeout{kHandshakeTimeout, websocket::stream_base::none(), false});
    ws_.control_callback([this](websocket::frame_type, beast::string_view) { seen(); });
    ws_.read_message_max(kMaxMessage);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(beast::http::field::server, "shelfsync");
    }));
    auto req = std::make_shared<beast::http::request<beast::http::string_body>>(std::move(upgrade));
    ws_.async_accept(*req, [self = shared_from_this(), req](beast::error_code ec) {
      if (ec) return;
      self->id_ = self->hub_.attach(self);
      self->attached_ = true;
      self->registry_.add(self);
      self->seen();
      self->read();
      self->keep_alive();
    });
  }

  std::string_view transport() const override { return "ws"; }
  void send_changes(const std::string& sub, std::optional<std::int64_t> cursor,
                    const std::vector<Frame>& changes) override {
    enqueue(encode_changes(sub, cursor, changes));
  }
  Message encode_changes(const std::string& sub, std::optional<std::int64_t> cursor,
                         const std::vector<Frame>& changes) const override {
    return std::make_shared<const std::string>(ws_changes(sub, cursor, changes));
  }
  void send_encoded(Message message) override { enqueue(std::move(message)); }
  void send_subscribed(const std::string& sub, std::int64_t cursor) override {
    enqueue(ws_subscribed(sub, cursor));
  }
  void send_reset(const std::string& sub, std::string_view code) override { enqueue(ws_reset(sub, code)); }
  void send_error(const std::string& sub, std::string_view code, std::string_view message) override {
    enqueue(ws_error(sub, code, message));
  }

  void close_for_restart() override {
    net::dispatch(ws_.get_executor(), [self = shared_from_this()] {
      if (self->closing_) return;
      self->closing_ = true;
      self->ws_.async_close(websocket::close_reason(websocket::close_code::service_restart, "server restart"),
                            [self](beast::error_code) { self->finish(); });
    });
  }

 private:
  void enqueue(std::string text) { enqueue(std::make_shared<const std::string>(std::move(text))); }

  // Any thread. The byte count is taken at once, so the hub sees it before
  // its next decision. Messages wait in the outbox; the writer is woken
  // once per batch of them, not once per message.
  void enqueue(Message message) {
    note_queued(message->size());
    {
      std::lock_guard lock(outbox_mu_);
      outbox_.push_back(std::move(message));
      if (wake_pending_) return;
      wake_pending_ = true;
    }
    if (!SendBatch::defer(&WsSession::hand_off, shared_from_this())) wake_writer();
  }

  // Runs a group of sessions' drain() from one task on the IO threads: a
  // strand that is idle runs it inline, so a fan-out costs one post per
  // group rather than one per connection.
  static void hand_off(std::vector<std::shared_ptr<LiveConnection>> group) {
    auto& first = static_cast<WsSession&>(*group.front());
    net::post(first.ws_.get_executor().get_inner_executor(), [group = std::move(group)] {
      for (auto& c : group) static_cast<WsSession&>(*c).wake_writer();
    });
  }

  void wake_writer() {
    net::dispatch(ws_.get_executor(), [self = shared_from_this()] { self->drain(); });
  }

  // On the strand: moves the outbox to the write queue and writes.
  void drain() {
    std::vector<Message> arrived;
    {
      std::lock_guard lock(outbox_mu_);
      arrived.swap(outbox_);
      wake_pending_ = false;
    }
    for (auto& m : arrived) {
      if (closing_) {
        note_written(m->size());
      } else if (queued_bytes() > kLiveQueueHardLimit) {
        // Only direct answers bypass flow control: this client sends and never reads.
        note_written(m->size());
        abort();
      } else {
        queue_.push_back(std::move(m));
      }
    }
    if (!writing_ && !queue_.empty()) write_next();
  }

  void write_next() {
    writing_ = true;
    ws_.text(true);
    ws_.async_write(net::buffer(*queue_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      self->note_written(self->queue_.front()->size());
      self->queue_.pop_front();
      if (ec || self->closing_) {
        for (const auto& m : self->queue_) self->note_written(m->size());
        self->queue_.clear();
        if (ec) self->abort();
        return;
      }
      if (!self->queue_.empty()) self->write_next();
    });
  }

  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->finish();
      self->seen();
      if (!self->ws_.got_text()) {
        self->buffer_.consume(self->buffer_.size());
        self->enqueue(ws_error("", "bad_message", "messages are JSON text"));
        return self->read();
      }
      const auto text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      handle_client_message(text, self->who_, self->hub_, self->id_,
                            [&](std::string reply) { self->enqueue(std::move(reply)); });
      self->read();
    });
  }

  void seen() { last_seen_ = std::chrono::steady_clock::now(); }

  void keep_alive() {
    ping_timer_.expires_after(kPingInterval);
    ping_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->finished_ || self->closing_) return;
      if (self->queue_.empty()) {
        if (std::chrono::steady_clock::now() - self->last_seen_ > kDeadAfter) return self->abort();
        if (!self->pinging_) {
          self->pinging_ = true;
          self->ws_.async_ping({}, [self](beast::error_code) { self->pinging_ = false; });
        }
      }
      self->keep_alive();
    });
  }

  void abort() {
    closing_ = true;
    beast::error_code ec;
    ws_.next_layer().close(ec);  // the pending read ends and finishes
  }

  // On the strand, once: the connection is over.
  void finish() {
    if (finished_) return;
    finished_ = true;
    closing_ = true;
    if (attached_) hub_.detach(id_);
    registry_.remove(this);
    ping_timer_.cancel();
    // A write in flight fails now and drops the rest of the queue.
    beast::error_code ec;
    ws_.next_layer().close(ec);
  }

  websocket::stream<Socket> ws_;
  Principal who_;
  Hub& hub_;
  Registry& registry_;
  Hub::ConnId id_ = 0;
  bool attached_ = false;
  bool closing_ = false;
  bool finished_ = false;
  beast::flat_buffer buffer_;
  std::deque<Message> queue_;  // strand only; the front is being written while writing_
  bool writing_ = false;
  std::mutex outbox_mu_;
  std::vector<Message> outbox_;  // guarded by outbox_mu_: queued from any thread
  bool wake_pending_ = false;    // guarded by outbox_mu_: a drain() is on its way
  net::steady_timer ping_timer_{ws_.get_executor()};
  std::chrono::steady_clock::time_point last_seen_ = std::chrono::steady_clock::now();
  bool pinging_ = false;
};

}  // namespace

void start_websocket(beast::tcp_stream stream, beast::http::request<beast::http::string_body> upgrade,
                     Principal who, Hub& hub, Registry& registry) {
  // The server gives every connection a strand of its io_context.
  auto plain = stream.release_socket();
  const auto* strand = plain.get_executor().target<Strand>();
  beast::error_code ec;
  const auto protocol = plain.local_endpoint(ec).protocol();
  if (!strand || ec) {
    std::cerr << "live: cannot take over the connection for a WebSocket\n";
    return;  // `plain` closes
  }
  const auto handle = plain.release(ec);
  if (ec) return;
  Socket socket(*strand, protocol, handle);
  std::make_shared<WsSession>(std::move(socket), std::move(who), hub, registry)->run(std::move(upgrade));
}

}  // namespace shelfsync::live

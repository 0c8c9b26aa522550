// A WebSocket live connection: Beast answers the opening handshake, then
// the session speaks the framing itself (live/ws_framing.hpp says why) on
// the plain socket, on the connection's strand: reads client messages,
// writes hub output with one write in flight at a time.

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cerrno>
#include <optional>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "live/frames.hpp"
#include "live/protocol.hpp"
#include "live/sessions.hpp"
#include "live/write_queue.hpp"
#include "live/ws_framing.hpp"
#include "util/mutex.hpp"

namespace shelfsync::live {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

namespace {

constexpr auto kHandshakeTimeout = std::chrono::seconds(30);
// Liveness: a ping every kPingInterval while we have nothing to write; a
// peer silent for kDeadAfter with nothing of ours stuck is gone. While our
// writes are stuck the peer is a slow reader, not a dead one: TCP tells us
// if it dies, and flow control keeps it cheap.
constexpr auto kPingInterval = std::chrono::seconds(20);
constexpr auto kDeadAfter = std::chrono::seconds(60);
// After our close frame, how long the peer has to answer before we cut.
constexpr auto kCloseWait = std::chrono::seconds(5);

using Strand = net::strand<net::io_context::executor_type>;
using Socket = net::basic_stream_socket<net::ip::tcp, Strand>;

// One queued write: a hub message (JSON text, framed when written) or a
// whole control frame.
struct Outgoing {
  Message bytes;
  bool framed = false;  // `bytes` is a whole frame already (ping, pong, close)
  bool is_close = false;
};

class WsSession : public LiveConnection, public LiveSession, public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(Socket socket, Principal who, Hub& hub, Registry& registry, std::shared_ptr<const void> hold)
      : handshake_(std::in_place, std::move(socket)),
        socket_(handshake_->get_executor()),
        who_(std::move(who)),
        hub_(hub),
        registry_(registry),
        hold_(std::move(hold)),
        reader_(hub.options().max_ws_message) {}

  void run(beast::http::request<beast::http::string_body> upgrade) {
    handshake_->set_option(websocket::stream_base::timeout{kHandshakeTimeout, websocket::stream_base::none(), false});
    handshake_->set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(beast::http::field::server, "shelfsync"); }));
    auto req = std::make_shared<beast::http::request<beast::http::string_body>>(std::move(upgrade));
    handshake_->async_accept(*req, [self = shared_from_this(), req](beast::error_code ec) {
      if (ec) return;
      // From here on the frames are ours: Beast's stream gives the socket up.
      self->socket_ = std::move(self->handshake_->next_layer());
      net::post(self->socket_.get_executor(), [self] { self->handshake_.reset(); });
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
    enqueue({encode_changes(sub, cursor, changes)});
  }
  Message encode_changes(const std::string& sub, std::optional<std::int64_t> cursor,
                         const std::vector<Frame>& changes) const override {
    return std::make_shared<const std::string>(ws_changes(sub, cursor, changes));
  }
  void send_encoded(Message message) override { enqueue({std::move(message)}); }
  void send_subscribed(const std::string& sub, std::int64_t cursor) override {
    enqueue_text(ws_subscribed(sub, cursor));
  }
  void send_reset(const std::string& sub, ErrorCode code) override { enqueue_text(ws_reset(sub, code)); }
  void send_error(const std::string& sub, ErrorCode code, std::string_view message) override {
    enqueue_text(ws_error(sub, code, message));
  }

  void close_for_restart() override {
    net::dispatch(socket_.get_executor(),
                  [self = shared_from_this()] { self->close_with(kWsCloseServiceRestart, "server restart"); });
  }
  const std::string& token_hash() const override { return who_.token_hash; }
  void close_revoked() override {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
      if (self->closing_ || self->finished_) return;
      // Nothing more from the hub; the error and the close go out after
      // what is queued, and a peer that does not read them is cut.
      if (self->attached_) self->hub_.detach(self->id_);
      self->attached_ = false;
      self->enqueue_text(ws_error("", ErrorCode::token_revoked, "the token was revoked"));
      self->close_with(kWsClosePolicy, "token revoked");
      self->close_timer_.expires_after(kCloseWait);
      self->close_timer_.async_wait([self](beast::error_code ec) {
        if (!ec) self->abort();
      });
    });
  }

 private:
  void enqueue_text(std::string text) { enqueue({std::make_shared<const std::string>(std::move(text))}); }
  void enqueue_control(std::string frame, bool is_close = false) {
    enqueue({std::make_shared<const std::string>(std::move(frame)), true, is_close});
  }

  // Any thread. The byte count is taken at once, so the hub sees it before
  // its next decision. Messages wait in the outbox; the writer is woken
  // once per batch of them, not once per message.
  void enqueue(Outgoing out) {
    note_queued(out.bytes->size());
    {
      MutexLock lock(&outbox_mu_);
      outbox_.push_back(std::move(out));
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
    net::post(first.socket_.get_executor().get_inner_executor(), [group = std::move(group)] {
      for (auto& c : group) static_cast<WsSession&>(*c).wake_writer();
    });
  }

  void wake_writer() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->drain(); });
  }

  // On the strand: moves the outbox to the write queue and writes.
  void drain() {
    std::vector<Outgoing> arrived;
    {
      MutexLock lock(&outbox_mu_);
      arrived.swap(outbox_);
      wake_pending_ = false;
    }
    std::size_t kept = 0;  // what may go out moves to the front of `arrived`
    for (std::size_t i = 0; i < arrived.size(); ++i) {
      auto& m = arrived[i];
      if (close_queued_ || finished_) {
        note_written(m.bytes->size());  // nothing goes out after our close frame
        continue;
      }
      if (queued_bytes() > kLiveQueueHardLimit) {
        // Only direct answers bypass flow control: this client sends and never reads.
        note_written(m.bytes->size());
        abort();
        continue;
      }
      close_queued_ = m.is_close;
      if (kept != i) arrived[kept] = std::move(m);
      ++kept;
    }
    arrived.resize(kept);
    queue_.append(std::move(arrived));
    write_queue();
  }

  // Writes the queue front to back: each frame with one non-blocking
  // sendmsg() (its header and the shared payload gathered), and only what
  // the socket did not take at once through an asynchronous write.
  void write_queue() {
    while (!writing_ && !queue_.empty() && !finished_) {
      const Outgoing& out = queue_.front();
      header_size_ = out.framed ? 0 : ws_frame_header(WsOpcode::text, out.bytes->size(), header_);
      iovec parts[2] = {{header_, header_size_}, {const_cast<char*>(out.bytes->data()), out.bytes->size()}};
      msghdr msg{};
      msg.msg_iov = header_size_ ? parts : parts + 1;
      msg.msg_iovlen = header_size_ ? 2 : 1;
      const std::size_t total = header_size_ + out.bytes->size();
      ssize_t sent;
      do {
        sent = ::sendmsg(socket_.native_handle(), &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
      } while (sent < 0 && errno == EINTR);
      if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return abort();
      const std::size_t done = sent < 0 ? 0 : static_cast<std::size_t>(sent);
      if (done == total) {
        written_front();
        continue;
      }
      write_rest(done);
    }
  }

  // The front frame from byte `done` on, when the socket is writable again.
  void write_rest(std::size_t done) {
    writing_ = true;
    const auto& bytes = *queue_.front().bytes;
    std::array<net::const_buffer, 2> rest{
        net::buffer(header_ + std::min(done, header_size_), header_size_ - std::min(done, header_size_)),
        net::buffer(bytes.data() + (done > header_size_ ? done - header_size_ : 0),
                    bytes.size() - (done > header_size_ ? done - header_size_ : 0))};
    net::async_write(socket_, rest, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      if (ec) return self->abort();
      self->written_front();
      self->write_queue();
    });
  }

  void written_front() {
    const bool was_close = queue_.front().is_close;
    note_written(queue_.front().bytes->size());
    queue_.pop_front();
    if (!was_close) return;
    // Our close frame is out: no more writes; wait for the peer's close (or
    // its end of stream), at most kCloseWait.
    beast::error_code ec;
    socket_.shutdown(net::socket_base::shutdown_send, ec);
    close_timer_.expires_after(kCloseWait);
    close_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->abort();
    });
  }

  // Queues our close frame (once); the connection ends when it is out and
  // the peer has answered.
  void close_with(std::uint16_t code, std::string_view reason) {
    if (closing_ || finished_) return;
    closing_ = true;
    enqueue_control(ws_close_frame(code, reason), /*is_close=*/true);
  }

  // Waits until the socket is readable, then reads into a buffer on the
  // stack: an idle connection holds no read buffer. (Asio re-arms the
  // descriptor for each wait, so bytes left unread wake the next one.)
  void read() {
    socket_.async_wait(net::socket_base::wait_read, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish();
      char buffer[4096];
      ssize_t n;
      do {
        n = ::recv(self->socket_.native_handle(), buffer, sizeof buffer, MSG_DONTWAIT);
      } while (n < 0 && errno == EINTR);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) return self->finish();
      if (n > 0) {
        self->seen();
        self->reader_.feed(buffer, static_cast<std::size_t>(n));
        if (!self->handle_frames()) return;
      }
      self->read();
    });
  }

  // Handles every whole frame read so far; false once the connection is
  // closing on a protocol error (nothing more is read from it).
  bool handle_frames() {
    using Kind = WsFrameReader::Event::Kind;
    for (auto e = reader_.next(); e.kind != Kind::none; e = reader_.next()) {
      switch (e.kind) {
        case Kind::text:
          if (closing_) break;  // the peer's late messages after our close
          handle_client_message(e.payload, who_, hub_, id_,
                                [this](std::string reply) { enqueue_text(std::move(reply)); });
          break;
        case Kind::binary:
          enqueue_text(ws_error("", ErrorCode::bad_message, "messages are JSON text"));
          break;
        case Kind::ping:
          enqueue_control(ws_control_frame(WsOpcode::pong, e.payload));
          break;
        case Kind::pong:
          break;  // seen() already noted it
        case Kind::close:
          // Our own close answered, or the peer's to answer; then it ends.
          if (!closing_) close_with(kWsCloseNormal, "");
          return true;  // read on until the peer's end of stream
        case Kind::error:
          close_with(e.close_code, e.payload);
          return true;
        case Kind::none:
          break;
      }
    }
    return true;
  }

  void seen() { last_seen_ = std::chrono::steady_clock::now(); }

  void keep_alive() {
    ping_timer_.expires_after(kPingInterval);
    ping_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->finished_ || self->closing_) return;
      if (self->queue_.empty() && !self->writing_) {
        if (std::chrono::steady_clock::now() - self->last_seen_ > kDeadAfter) return self->abort();
        self->enqueue_control(ws_control_frame(WsOpcode::ping, {}));
      }
      self->keep_alive();
    });
  }

  void abort() {
    closing_ = true;
    beast::error_code ec;
    socket_.close(ec);  // the pending read ends and finishes
  }

  // On the strand, once: the connection is over.
  void finish() {
    if (finished_) return;
    finished_ = true;
    closing_ = true;
    if (attached_) hub_.detach(id_);
    registry_.remove(this);
    ping_timer_.cancel();
    close_timer_.cancel();
    beast::error_code ec;
    socket_.close(ec);  // a write in flight fails now
    if (!writing_) {
      queue_.for_each([this](const Outgoing& m) { note_written(m.bytes->size()); });
      queue_.clear();
    }
  }

  std::optional<websocket::stream<Socket>> handshake_;  // until the upgrade is answered
  Socket socket_;
  Principal who_;
  Hub& hub_;
  Registry& registry_;
  std::shared_ptr<const void> hold_;  // counts this connection while it is open
  Hub::ConnId id_ = 0;
  bool attached_ = false;
  bool closing_ = false;       // our close frame is queued, or we abort
  bool close_queued_ = false;  // strand: the close frame is in queue_
  bool finished_ = false;
  // Takes messages up to HubOptions::max_ws_message; a big one (a subscribe
  // with many ids) is gathered over several reads.
  WsFrameReader reader_;
  WriteQueue<Outgoing> queue_;  // the front is being written while writing_
  bool writing_ = false;
  unsigned char header_[10] = {};  // the front frame's header while it is written
  std::size_t header_size_ = 0;
  Mutex outbox_mu_;
  std::vector<Outgoing> outbox_ GUARDED_BY(outbox_mu_);  // queued from any thread
  bool wake_pending_ GUARDED_BY(outbox_mu_) = false;     // a drain() is on its way
  net::steady_timer ping_timer_{socket_.get_executor()};
  net::steady_timer close_timer_{socket_.get_executor()};
  std::chrono::steady_clock::time_point last_seen_ = std::chrono::steady_clock::now();
};

}  // namespace

void start_websocket(beast::tcp_stream stream, beast::http::request<beast::http::string_body> upgrade, Principal who,
                     Hub& hub, Registry& registry, std::shared_ptr<const void> hold, net::io_context& io) {
  auto plain = stream.release_socket();
  beast::error_code ec;
  const auto protocol = plain.local_endpoint(ec).protocol();
  if (ec) return;  // `plain` closes
  const auto handle = plain.release(ec);
  if (ec) return;
  Socket socket(net::make_strand(io), protocol, handle);
  std::make_shared<WsSession>(std::move(socket), std::move(who), hub, registry, std::move(hold))
      ->run(std::move(upgrade));
}

}  // namespace shelfsync::live

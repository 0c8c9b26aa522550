// An SSE live connection: one subscription per stream, written as
// text/event-stream over a plain HTTP/1.1 response that ends with the
// connection. One write in flight at a time, on the connection's strand.

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>

#include "live/frames.hpp"
#include "live/sessions.hpp"
#include "live/write_queue.hpp"

namespace shelfsync::live {

namespace net = boost::asio;
namespace beast = boost::beast;

namespace {

constexpr auto kHeartbeat = std::chrono::seconds(15);
constexpr auto kWriteTimeout = std::chrono::seconds(60);  // a reader that takes no bytes for this long is gone
// The response head; the server's own headers (CORS) go before the blank line.
constexpr const char* kHeadStart =
    "HTTP/1.1 200 OK\r\nServer: shelfsync\r\nContent-Type: text/event-stream\r\n"
    "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nX-Accel-Buffering: no\r\n"
    "Connection: close\r\n";
constexpr const char* kHeadEnd = "\r\nretry: 2000\n\n";

class SseSession : public LiveConnection, public LiveSession, public std::enable_shared_from_this<SseSession> {
 public:
  SseSession(beast::tcp_stream stream, Hub& hub, Registry& registry, std::shared_ptr<const void> hold)
      : stream_(std::move(stream)),
        heartbeat_(stream_.get_executor()),
        hub_(hub),
        registry_(registry),
        hold_(std::move(hold)) {}

  void run(SubscribeRequest request, const std::string& extra_headers) {
    token_hash_ = request.view.who.token_hash;  // before the registry shares us
    stream_.expires_never();
    enqueue(kHeadStart + extra_headers + kHeadEnd);
    id_ = hub_.attach(shared_from_this());
    registry_.add(shared_from_this());
    request.sub = "stream";
    hub_.subscribe(id_, std::move(request));
    watch_for_close();
    beat();
  }

  net::any_io_executor executor() { return stream_.get_executor(); }
  std::string_view transport() const override { return "sse"; }
  void send_changes(const std::string&, std::optional<std::int64_t> cursor,
                    const std::vector<Frame>& changes) override {
    enqueue(sse_changes(cursor, changes));
  }
  // The sub is not on the wire: every stream with the same cursor and
  // changes shares one message.
  Message encode_changes(const std::string&, std::optional<std::int64_t> cursor,
                         const std::vector<Frame>& changes) const override {
    return std::make_shared<const std::string>(sse_changes(cursor, changes));
  }
  void send_encoded(Message message) override { enqueue(std::move(message)); }
  void send_subscribed(const std::string&, std::int64_t cursor) override {
    enqueue(sse_event("subscribed", cursor, "{\"cursor\":\"c" + std::to_string(cursor) + "\"}"));
  }
  // The subscription is over after a reset or an error: say so and close.
  void send_reset(const std::string& sub, ErrorCode code) override {
    enqueue(sse_event("reset", std::nullopt, ws_reset(sub, code)), true);
  }
  void send_error(const std::string& sub, ErrorCode code, std::string_view message) override {
    enqueue(sse_event("error", std::nullopt, ws_error(sub, code, message)), true);
  }
  void close_for_restart() override { enqueue(sse_event("reconnect", std::nullopt, "{}"), true); }
  const std::string& token_hash() const override { return token_hash_; }
  void close_revoked() override { send_error("", ErrorCode::token_revoked, "the token was revoked"); }

 private:
  // Any thread; `last` closes the stream once this is written.
  void enqueue(std::string text, bool last = false) {
    enqueue(std::make_shared<const std::string>(std::move(text)), last);
  }
  void enqueue(Message text, bool last = false) {
    const auto n = text->size();
    note_queued(n);
    net::post(stream_.get_executor(), [self = shared_from_this(), text = std::move(text), n, last]() mutable {
      if (self->closing_ || self->queued_bytes() > kLiveQueueHardLimit) {
        self->note_written(n);
        return;
      }
      self->closing_ = last;
      const bool idle = self->queue_.empty();
      self->queue_.push_back(std::move(text));
      if (idle) self->write_next();
    });
  }

  void write_next() {
    stream_.expires_after(kWriteTimeout);
    net::async_write(stream_, net::buffer(*queue_.front()),
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->note_written(self->queue_.front()->size());
                       self->queue_.pop_front();
                       if (ec) {
                         self->queue_.for_each([&](const Message& text) { self->note_written(text->size()); });
                         self->queue_.clear();
                         return self->finish();
                       }
                       if (!self->queue_.empty()) return self->write_next();
                       self->stream_.expires_never();
                       if (self->closing_) self->finish();
                     });
  }

  // The client sends nothing after its request; a read ending means it
  // left. Waits for readability and reads into a buffer on the stack, so an
  // idle stream holds no read buffer.
  void watch_for_close() {
    stream_.socket().async_wait(net::socket_base::wait_read, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->finish();
      char scratch[512];
      ssize_t n;
      do {
        n = ::recv(self->stream_.socket().native_handle(), scratch, sizeof scratch, MSG_DONTWAIT);
      } while (n < 0 && errno == EINTR);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) return self->finish();
      self->watch_for_close();
    });
  }

  void beat() {
    heartbeat_.expires_after(kHeartbeat);
    heartbeat_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->finished_) return;
      if (self->queue_.empty()) self->enqueue(": hb\n\n");
      self->beat();
    });
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    closing_ = true;
    hub_.detach(id_);
    registry_.remove(this);
    heartbeat_.cancel();
    beast::error_code ec;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  net::steady_timer heartbeat_;
  Hub& hub_;
  Registry& registry_;
  std::shared_ptr<const void> hold_;  // counts this connection while it is open
  Hub::ConnId id_ = 0;
  std::string token_hash_;
  bool closing_ = false;
  bool finished_ = false;
  WriteQueue<Message> queue_;  // the front is being written
};

}  // namespace

void start_sse(beast::tcp_stream stream, SubscribeRequest request, Hub& hub, Registry& registry,
               const std::string& extra_headers, std::shared_ptr<const void> hold, net::io_context& io) {
  auto plain = stream.release_socket();
  beast::error_code ec;
  const auto protocol = plain.local_endpoint(ec).protocol();
  if (ec) return;  // `plain` closes
  const auto handle = plain.release(ec);
  if (ec) return;
  beast::tcp_stream moved(net::make_strand(io));
  moved.socket().assign(protocol, handle, ec);
  if (ec) return (void)::close(handle);
  auto session = std::make_shared<SseSession>(std::move(moved), hub, registry, std::move(hold));
  // On the session's strand, like everything it does: run() queues the head,
  // whose write starts there at once, and then starts the close watch and the
  // heartbeat on the same socket and timer; on this (HTTP) thread those
  // raced the write.
  auto strand = session->executor();
  net::dispatch(strand, [session = std::move(session), request = std::move(request), extra_headers]() mutable {
    session->run(std::move(request), extra_headers);
  });
}

}  // namespace shelfsync::live

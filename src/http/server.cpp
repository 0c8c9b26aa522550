#include "http/server.hpp"

#include <pthread.h>

#include <array>
#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "http/api.hpp"
#include "http/live_endpoints.hpp"
#include "http/problem_response.hpp"
#include "live/registry.hpp"
#include "live/sessions.hpp"

namespace shelfsync {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

// Named limits of every connection.
constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr auto kRequestTimeout = std::chrono::seconds(30);
constexpr auto kShutdownGrace = std::chrono::seconds(10);
constexpr auto kLiveCloseGrace = std::chrono::seconds(3);  // for live clients to take their close
constexpr auto kLingerTimeout = std::chrono::seconds(5);
constexpr std::size_t kLingerLimit = 64u << 20;  // bytes read and dropped at most

struct Shared {
  const Router& router;
  net::thread_pool& workers;
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  ApiContext* live = nullptr;  // set: /api/live and /api/stream are served
  live::Registry registry;
};

Response internal_error() {
  return problem_response(
      Problem{500, "internal", "Internal error", "the server failed to answer this request", {}, {}});
}

// Splits the target into path and query and decodes both.
std::optional<Problem> fill_target(Request& req, std::string_view target) {
  const auto qpos = target.find('?');
  auto path = percent_decode(target.substr(0, qpos), false);
  if (!path) return Problem::bad_request("bad_query", "the request path has bad percent-encoding");
  req.path = std::move(*path);
  if (qpos != std::string_view::npos) {
    auto query = parse_query(target.substr(qpos + 1));
    if (!query) return Problem::bad_request("bad_query", "the query string has bad percent-encoding");
    req.query = std::move(*query);
  }
  return std::nullopt;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

 private:
  void read_header() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    stream_.expires_after(kIdleTimeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               self->on_header(ec);
                             });
  }

  void on_header(beast::error_code ec) {
    if (ec) return fail_read(ec);
    const auto& head = parser_->get();
    const auto target = head.target();
    const auto path = target.substr(0, target.find('?'));
    parser_->body_limit(is_upload_path(head.method_string(), path) ? kUploadBodyLimit
                                                                    : kJsonBodyLimit);
    stream_.expires_after(kRequestTimeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        self->on_body(ec);
                      });
  }

  void fail_read(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      keep_alive_ = false;
      unread_body_ = true;
      return write(problem_response(
          Problem{413, "body_too_large", "Payload too large",
                  "the request body is larger than this endpoint accepts (JSON 1 MiB, images 10 MiB)",
                  {}, {}}));
    }
    if (ec == bhttp::error::header_limit) {
      keep_alive_ = false;
      return write(problem_response(Problem{431, "headers_too_large", "Header fields too large",
                                            "request headers exceed 16 KiB", {}, {}}));
    }
    if (ec == bhttp::error::bad_method || ec == bhttp::error::bad_target ||
        ec == bhttp::error::bad_version || ec == bhttp::error::bad_field ||
        ec == bhttp::error::bad_value || ec == bhttp::error::bad_content_length ||
        ec == bhttp::error::bad_transfer_encoding || ec == bhttp::error::bad_chunk) {
      keep_alive_ = false;
      return write(problem_response(
          Problem::bad_request("bad_request", "malformed HTTP request: " + ec.message())));
    }
    close();  // end of stream, timeout, reset
  }

  void on_body(beast::error_code ec) {
    if (ec) return fail_read(ec);
    auto head = parser_->release();
    keep_alive_ = head.keep_alive();
    auto req = std::make_shared<Request>();
    req->method = std::string(head.method_string());
    for (const auto& field : head) {
      std::string name(field.name_string());
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      req->headers.emplace_back(std::move(name), std::string(field.value()));
    }
    req->body = std::move(head.body());
    if (auto p = fill_target(*req, head.target())) return write(problem_response(*p));
    if (shared_.live && shared_.live->hub && req->method == "GET") {
      if (req->path == kLivePath && beast::websocket::is_upgrade(head))
        return start_live(req, std::make_shared<bhttp::request<bhttp::string_body>>(std::move(head)));
      if (req->path == kStreamPath) return start_live(req, nullptr);
    }

    ++shared_.in_flight;
    net::post(shared_.workers, [self = shared_from_this(), req] {
      Response res;
      try {
        res = self->shared_.router.dispatch(*req);
      } catch (const std::exception& e) {
        std::cerr << "request " << req->method << " " << req->path << " failed: " << e.what()
                  << "\n";
        res = internal_error();
      }
      if (res.deferred) {
        // Stays in flight until the handler responds.
        auto deferred = std::move(res.deferred);
        deferred([self](Response later) { self->respond(std::move(later)); });
        return;
      }
      self->respond(std::move(res));
    });
  }

  // From any thread: writes the answer on this session's strand.
  void respond(Response res) {
    net::post(stream_.get_executor(), [self = shared_from_this(), res = std::move(res)]() mutable {
      self->write(std::move(res));
      --self->shared_.in_flight;  // write() holds its own count until sent
    });
  }

  // A live request: validated on a worker (it reads the store), then this
  // session hands its stream to a WebSocket (`upgrade` set) or SSE session.
  void start_live(std::shared_ptr<Request> req,
                  std::shared_ptr<bhttp::request<bhttp::string_body>> upgrade) {
    ++shared_.in_flight;
    net::post(shared_.workers, [self = shared_from_this(), req, upgrade] {
      auto& ctx = *self->shared_.live;
      std::function<void()> next;
      try {
        if (upgrade) {
          auto who = prepare_websocket(*req, ctx);
          if (!who) next = [self, p = who.problem()] { self->refuse(p); };
          else next = [self, upgrade, who = std::move(*who)]() mutable {
            live::start_websocket(std::move(self->stream_), std::move(*upgrade), std::move(who),
                                  *self->shared_.live->hub, self->shared_.registry);
          };
        } else {
          auto sub = prepare_stream(*req, ctx);
          if (!sub) next = [self, p = sub.problem()] { self->refuse(p); };
          else next = [self, sub = std::move(*sub)]() mutable {
            live::start_sse(std::move(self->stream_), std::move(sub), *self->shared_.live->hub,
                            self->shared_.registry);
          };
        }
      } catch (const std::exception& e) {
        std::cerr << "live request " << req->path << " failed: " << e.what() << "\n";
        next = [self] { self->write(internal_error()); };
      }
      net::post(self->stream_.get_executor(), [self, next = std::move(next)] {
        --self->shared_.in_flight;
        if (self->shared_.draining) return self->close();
        next();
      });
    });
  }

  void refuse(const Problem& p) {
    keep_alive_ = false;
    write(problem_response(p));
  }

  // Counts as in flight until the answer is on the wire, so a graceful stop
  // never cuts a response short.
  void write(Response res) {
    ++shared_.in_flight;
    auto msg = std::make_shared<bhttp::response<bhttp::string_body>>();
    msg->version(11);
    msg->result(static_cast<unsigned>(res.status));
    for (auto& [k, v] : res.headers) msg->set(k, v);
    msg->set(bhttp::field::server, "shelfsync");
    msg->body() = std::move(res.body);
    const bool keep = keep_alive_ && !shared_.draining;
    msg->keep_alive(keep);
    msg->prepare_payload();
    stream_.expires_after(kRequestTimeout);
    bhttp::async_write(stream_, *msg,
                       [self = shared_from_this(), msg, keep](beast::error_code ec, std::size_t) {
                         --self->shared_.in_flight;
                         if (!ec && self->unread_body_) return self->linger_close();
                         if (ec || !keep) return self->close();
                         self->read_header();
                       });
  }

  // After answering a request whose body we refused, read and drop what the
  // client is still sending before closing: closing with unread data makes
  // the kernel reset the connection, and the client would lose the answer.
  void linger_close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLingerTimeout);
    discard_ = std::make_shared<std::array<char, 64 * 1024>>();
    discard_more(0);
  }

  void discard_more(std::size_t so_far) {
    if (so_far > kLingerLimit) return close();
    stream_.async_read_some(net::buffer(*discard_),
                            [self = shared_from_this(), so_far](beast::error_code ec, std::size_t n) {
                              if (ec) return self->close();
                              self->discard_more(so_far + n);
                            });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  Shared& shared_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  bool keep_alive_ = true;
  bool unread_body_ = false;
  std::shared_ptr<std::array<char, 64 * 1024>> discard_;
};

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  net::io_context ioc;
  net::thread_pool workers;
  Shared shared;
  tcp::acceptor acceptor{ioc};

  Impl(ServerOptions o, const Router& router)
      : options(std::move(o)),
        ioc(options.io_threads),
        workers(static_cast<std::size_t>(options.workers)),
        shared{router, workers, {0}, {false}, nullptr, {}} {}

  void accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      } else {
        socket.set_option(tcp::no_delay(true), ec);
        std::make_shared<Session>(std::move(socket), shared)->start();
      }
      accept();
    });
  }

  // Stop accepting; stop the loop once requests in flight are answered and
  // live clients took their reconnect hint (or their grace ran out).
  void drain(std::shared_ptr<net::steady_timer> timer,
             std::chrono::steady_clock::time_point deadline,
             std::chrono::steady_clock::time_point live_deadline) {
    const auto now = std::chrono::steady_clock::now();
    const bool live_done = shared.registry.size() == 0 || now > live_deadline;
    if ((shared.in_flight == 0 && live_done) || now > deadline) {
      ioc.stop();
      return;
    }
    timer->expires_after(std::chrono::milliseconds(20));
    timer->async_wait([this, timer, deadline, live_deadline](beast::error_code) {
      drain(timer, deadline, live_deadline);
    });
  }
};

HttpServer::HttpServer(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

HttpServer::~HttpServer() {
  impl_->ioc.stop();
  impl_->workers.join();
}

void HttpServer::enable_live(ApiContext& ctx) { impl_->shared.live = &ctx; }

live::Registry& HttpServer::live_sessions() { return impl_->shared.registry; }

void HttpServer::post_work(std::function<void()> work) {
  net::post(impl_->workers, std::move(work));
}

std::uint16_t HttpServer::listen() {
  auto& a = impl_->acceptor;
  beast::error_code ec;
  const auto address = net::ip::make_address(impl_->options.host, ec);
  if (ec) throw std::runtime_error("bad listen address '" + impl_->options.host + "'");
  const tcp::endpoint endpoint{address, impl_->options.port};
  a.open(endpoint.protocol());
  a.set_option(net::socket_base::reuse_address(true));
  a.bind(endpoint, ec);
  if (ec) throw std::runtime_error("cannot listen on " + impl_->options.host + ":" +
                                   std::to_string(impl_->options.port) + ": " + ec.message());
  a.listen(net::socket_base::max_listen_connections);
  return a.local_endpoint().port();
}

void HttpServer::run() {
  auto& impl = *impl_;
  net::signal_set signals(impl.ioc, SIGINT, SIGTERM);
  signals.async_wait([&impl](beast::error_code ec, int) {
    if (ec) return;
    impl.shared.draining = true;
    beast::error_code ignored;
    impl.acceptor.close(ignored);
    impl.shared.registry.close_all();
    const auto now = std::chrono::steady_clock::now();
    impl.drain(std::make_shared<net::steady_timer>(impl.ioc), now + kShutdownGrace,
               now + kLiveCloseGrace);
  });
  impl.accept();
  std::vector<std::thread> threads;
  for (int i = 1; i < impl.options.io_threads; ++i)
    threads.emplace_back([&impl] {
      pthread_setname_np(pthread_self(), "http-io");  // in top -H, perf, gdb
      impl.ioc.run();
    });
  impl.ioc.run();
  for (auto& t : threads) t.join();
  impl.workers.join();
}

}  // namespace shelfsync

#include "http/server.hpp"

#include <pthread.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
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
#include "http/edge/client_id.hpp"
#include "http/edge/connection_counter.hpp"
#include "http/edge/cors.hpp"
#include "http/edge/rate_limiter.hpp"
#include "http/handlers/common.hpp"
#include "http/live_endpoints.hpp"
#include "http/problem_response.hpp"
#include "live/registry.hpp"
#include "live/sessions.hpp"
#include "store/store.hpp"

namespace shelfsync {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto kShutdownGrace = std::chrono::seconds(10);
constexpr auto kLiveCloseGrace = std::chrono::seconds(3);  // for live clients to take their close
constexpr auto kLingerTimeout = std::chrono::seconds(5);
constexpr std::size_t kLingerLimit = 64u << 20;  // bytes read and dropped at most
constexpr int kConnectionCapRetryAfter = 5;      // seconds

struct Shared {
  const Router& router;
  net::thread_pool& workers;
  const EdgeLimits& limits;
  std::atomic<int> in_flight{0};
  std::atomic<bool> draining{false};
  ApiContext* api = nullptr;           // set: /api/live and /api/stream are served, uploads admitted early
  net::io_context* live_io = nullptr;  // the live connections' IO context (HttpServer::Impl)
  live::Registry registry;
  TrustedProxies proxies;
  CorsPolicy cors;
  RateLimiter per_ip;
  RateLimiter per_token;
  ConnectionCounter connections_per_ip;
  ConnectionCounter live_per_token;

  Shared(const Router& r, net::thread_pool& w, const EdgeLimits& l)
      : router(r),
        workers(w),
        limits(l),
        proxies(l.trusted_proxies),
        cors(l.cors_origins),
        per_ip(l.rate_per_ip, 2 * l.rate_per_ip),
        per_token(l.rate_per_token, 2 * l.rate_per_token),
        connections_per_ip(l.max_connections_per_ip),
        live_per_token(l.max_live_per_token) {}
};

// What a request that threw answers: 503 while the database is out of reach
// (the client may retry), else 500.
Problem failure_problem(const std::exception& e) {
  if (dynamic_cast<const StoreUnavailable*>(&e)) return Problem::unavailable("the database is unavailable; try again");
  return Problem::internal("the server failed to answer this request");
}

Response failure_response(const std::exception& e) { return problem_response(failure_problem(e)); }

Response too_many(ErrorCode code, std::string detail, int retry_after) {
  auto r = problem_response(Problem::of(code, std::move(detail)));
  r.set_header("Retry-After", std::to_string(retry_after));
  return r;
}

// Splits the target into path and query and decodes both.
std::optional<Problem> fill_target(Request& req, std::string_view target) {
  const auto qpos = target.find('?');
  auto path = percent_decode(target.substr(0, qpos), false);
  if (!path) return Problem::of(ErrorCode::bad_query, "the request path has bad percent-encoding");
  req.path = std::move(*path);
  if (qpos != std::string_view::npos) {
    auto query = parse_query(target.substr(qpos + 1));
    if (!query) return Problem::of(ErrorCode::bad_query, "the query string has bad percent-encoding");
    req.query = std::move(*query);
  }
  return std::nullopt;
}

// Paths not counted against the request rates: what load balancers and
// scrapers poll, and the pages' static files — the page files (served from
// memory) and uploaded images (immutable) — of which one page view loads
// dozens at once (a product list's thumbnails). Connection caps and
// deadlines still hold for them.
bool exempt_from_rate_limit(std::string_view path) {
  return path == "/health" || path == "/metrics" || path.starts_with("/assets/") || path.starts_with("/media/") ||
         path == "/favicon.ico";
}

// The public key is every shopper's: it is limited per address, not as one token.
bool is_public_key(std::string_view token) { return token.starts_with("pk_"); }

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Shared& shared) : stream_(std::move(socket)), shared_(shared) {}

  void start() {
    beast::error_code ec;
    const auto peer = stream_.socket().remote_endpoint(ec);
    peer_ = ec ? std::string("unknown") : peer.address().to_string();
    // A proxy carries many clients: it is not capped as one.
    if (!shared_.proxies.contains(peer_)) {
      ticket_ = shared_.connections_per_ip.try_hold(address_key(peer_));
      over_connection_cap_ = !ticket_;
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

 private:
  // A kept-alive connection may wait idle_timeout for its next request; once
  // its first byte arrives the whole head must follow within head_timeout,
  // so a client trickling header lines holds a connection only that long.
  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(shared_.limits.header_limit));
    // Beast checks Content-Length against this as the head completes; the
    // limit of this request's path is applied in on_header.
    parser_->body_limit(std::max(shared_.limits.json_body_limit, shared_.limits.upload_body_limit));
    if (buffer_.size() > 0) return read_head();  // pipelined: already here
    // A connection over its address's cap only waits to be told so.
    stream_.expires_after(over_connection_cap_ ? shared_.limits.head_timeout : shared_.limits.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec) return self->close();  // idle timeout, end of stream, reset
      self->buffer_.commit(n);
      self->read_head();
    });
  }

  void read_head() {
    stream_.expires_after(shared_.limits.head_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return fail_read(ec);
    const auto& head = parser_->get();
    has_body_ = parser_->chunked() || parser_->content_length().value_or(0) > 0;
    req_ = std::make_shared<Request>();
    req_->method = std::string(head.method_string());
    for (const auto& field : head) {
      std::string name(field.name_string());
      for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      req_->headers.emplace_back(std::move(name), std::string(field.value()));
    }
    origin_ = std::string(req_->header("origin"));
    if (auto p = fill_target(*req_, head.target())) return refuse(problem_response(*p));
    if (auto refused = edge_check()) return refuse(std::move(*refused));
    if (req_->method == "OPTIONS" && !origin_.empty() && !req_->header("access-control-request-method").empty())
      return refuse(preflight());

    const bool upload = is_upload_path(req_->method, req_->path);
    const auto limit = upload ? shared_.limits.upload_body_limit : shared_.limits.json_body_limit;
    if (parser_->content_length().value_or(0) > limit) return refuse(body_too_large());
    parser_->body_limit(limit);  // a chunked body is counted as it arrives
    if (upload && has_body_ && shared_.api) return admit_then_read_body();
    read_body();
  }

  // The limits that apply before anything else is done for a request:
  // connections per address, requests per address and per token, and a
  // well-formed X-Client-Id (it is copied into every reader's frames).
  std::optional<Response> edge_check() {
    if (over_connection_cap_)
      return too_many(ErrorCode::too_many_connections,
                      "this address has " + std::to_string(shared_.limits.max_connections_per_ip) +
                          " connections open; close one or retry later",
                      kConnectionCapRetryAfter);
    if (!exempt_from_rate_limit(req_->path)) {
      const auto client = shared_.proxies.client_of(peer_, req_->header("x-forwarded-for"));
      if (auto wait = shared_.per_ip.take(address_key(client)))
        return too_many(ErrorCode::rate_limited,
                        "too many requests from this address; retry after " + std::to_string(*wait) + " s", *wait);
      const auto token = presented_token(*req_, true);
      if (token && !token->empty() && !is_public_key(*token))
        if (auto wait = shared_.per_token.take(token->substr(0, 256)))
          return too_many(ErrorCode::rate_limited,
                          "too many requests with this token; retry after " + std::to_string(*wait) + " s", *wait);
    }
    if (auto p = check_client_id(req_->header("x-client-id"))) return problem_response(*p);
    return std::nullopt;
  }

  Response preflight() {
    auto headers = shared_.cors.preflight_headers(origin_);
    if (!headers)
      return problem_response(
          Problem::of(ErrorCode::cors_origin_refused, "this server does not accept requests from origin " + origin_));
    auto r = Response::empty(204);
    for (auto& [k, v] : *headers) r.set_header(std::move(k), std::move(v));
    return r;
  }

  // An upload's caller is checked on a worker (it reads the store) before
  // its body, up to upload_body_limit, is read at all.
  void admit_then_read_body() {
    ++shared_.in_flight;
    net::post(shared_.workers, [self = shared_from_this()] {
      std::optional<Problem> refused;
      try {
        refused = admit_upload(*self->req_, *self->shared_.api);
      } catch (const std::exception& e) {
        std::cerr << "upload check failed: " << e.what() << "\n";
        refused = failure_problem(e);
      }
      net::post(self->stream_.get_executor(), [self, refused = std::move(refused)] {
        --self->shared_.in_flight;
        if (refused) return self->refuse(problem_response(*refused));
        self->read_body();
      });
    });
  }

  void read_body() {
    stream_.expires_after(shared_.limits.request_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void fail_read(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      has_body_ = true;
      return refuse(body_too_large());
    }
    if (ec == bhttp::error::header_limit) {
      return refuse(problem_response(
          Problem::of(ErrorCode::headers_too_large,
                      "request headers exceed " + std::to_string(shared_.limits.header_limit) + " bytes")));
    }
    if (ec == bhttp::error::bad_method || ec == bhttp::error::bad_target || ec == bhttp::error::bad_version ||
        ec == bhttp::error::bad_field || ec == bhttp::error::bad_value || ec == bhttp::error::bad_content_length ||
        ec == bhttp::error::bad_transfer_encoding || ec == bhttp::error::bad_chunk) {
      return refuse(problem_response(Problem::of(ErrorCode::bad_request, "malformed HTTP request: " + ec.message())));
    }
    close();  // end of stream, timeout (a head or body too slow), reset
  }

  Response body_too_large() const {
    return problem_response(
        Problem::of(ErrorCode::body_too_large, "the request body is larger than this endpoint accepts (JSON " +
                                                   std::to_string(shared_.limits.json_body_limit) + " bytes, images " +
                                                   std::to_string(shared_.limits.upload_body_limit) + " bytes)"));
  }

  void on_body(beast::error_code ec) {
    if (ec) return fail_read(ec);
    auto head = parser_->release();
    keep_alive_ = head.keep_alive();
    has_body_ = false;  // read
    auto req = std::move(req_);
    req->body = std::move(head.body());
    if (shared_.api && shared_.api->hub && req->method == "GET") {
      if (req->path == kLivePath && beast::websocket::is_upgrade(head))
        return start_live(req, std::make_shared<bhttp::request<bhttp::string_body>>(std::move(head)));
      if (req->path == kStreamPath) return start_live(req, nullptr);
    }

    ++shared_.in_flight;
    net::post(shared_.workers, [self = shared_from_this(), req, read_at = std::chrono::steady_clock::now()] {
      Response res;
      try {
        res = self->shared_.router.dispatch(*req);
      } catch (const std::exception& e) {
        std::cerr << "request " << req->method << " " << req->path << " failed: " << e.what() << "\n";
        res = failure_response(e);
      }
      if (res.deferred) {
        // Stays in flight until the handler responds.
        auto deferred = std::move(res.deferred);
        deferred([self, req, read_at](Response later) { self->respond(*req, read_at, std::move(later)); });
        return;
      }
      self->respond(*req, read_at, std::move(res));
    });
  }

  // From any thread: writes the answer to `req` (read at `read_at`) on this
  // session's strand.
  void respond(const Request& req, std::chrono::steady_clock::time_point read_at, Response res) {
    const auto ready = std::chrono::steady_clock::now();
    if (shared_.api)
      shared_.api->requests.observe(req.method, req.route.empty() ? "unmatched" : req.route, res.status,
                                    ready - read_at);
    net::post(stream_.get_executor(), [self = shared_from_this(), res = std::move(res), ready]() mutable {
      if (self->shared_.api) self->shared_.api->requests.observe_io_wait(std::chrono::steady_clock::now() - ready);
      self->write(std::move(res));
      --self->shared_.in_flight;  // write() holds its own count until sent
    });
  }

  // A live request: validated on a worker (it reads the store), then this
  // session hands its stream to a WebSocket (`upgrade` set) or SSE session,
  // with the tickets that count the connection.
  void start_live(const std::shared_ptr<Request>& req,
                  const std::shared_ptr<bhttp::request<bhttp::string_body>>& upgrade) {
    ++shared_.in_flight;
    net::post(shared_.workers, [self = shared_from_this(), req, upgrade] {
      auto& ctx = *self->shared_.api;
      std::function<void()> next;
      try {
        Ticket token_ticket;
        auto refuse_cap = [&] {
          next = [self] {
            self->refuse(too_many(ErrorCode::too_many_live_connections,
                                  "this token has " + std::to_string(self->shared_.limits.max_live_per_token) +
                                      " live connections open; close one or retry later",
                                  kConnectionCapRetryAfter));
          };
        };
        if (upgrade) {
          auto who = prepare_websocket(*req, ctx);
          if (!who)
            next = [self, p = who.problem()] { self->refuse(problem_response(p)); };
          else if (!self->hold_live_place(*req, token_ticket))
            refuse_cap();
          else
            next = [self, upgrade, who = std::move(*who), token_ticket]() mutable {
              live::start_websocket(std::move(self->stream_), std::move(*upgrade), std::move(who),
                                    *self->shared_.api->hub, self->shared_.registry, self->tickets(token_ticket),
                                    *self->shared_.live_io);
            };
        } else {
          auto sub = prepare_stream(*req, ctx);
          if (!sub)
            next = [self, p = sub.problem()] { self->refuse(problem_response(p)); };
          else if (!self->hold_live_place(*req, token_ticket))
            refuse_cap();
          else
            next = [self, sub = std::move(*sub), token_ticket]() mutable {
              std::string extra;
              for (const auto& [k, v] : self->shared_.cors.answer_headers(self->origin_))
                extra += k + ": " + v + "\r\n";
              live::start_sse(std::move(self->stream_), std::move(sub), *self->shared_.api->hub, self->shared_.registry,
                              extra, self->tickets(token_ticket), *self->shared_.live_io);
            };
        }
      } catch (const std::exception& e) {
        std::cerr << "live request " << req->path << " failed: " << e.what() << "\n";
        next = [self, res = failure_response(e)]() mutable { self->write(std::move(res)); };
      }
      net::post(self->stream_.get_executor(), [self, next = std::move(next)] {
        --self->shared_.in_flight;
        if (self->shared_.draining) return self->close();
        next();
      });
    });
  }

  // A place among the token's live connections (the public key is every
  // shopper's, so it is counted per address instead, as every connection is).
  bool hold_live_place(const Request& req, Ticket& out) {
    const auto token = presented_token(req, true);
    if (!token || token->empty() || is_public_key(*token)) return true;
    out = shared_.live_per_token.try_hold(std::string(token->substr(0, 256)));
    return out != nullptr;
  }

  // Everything that counts this connection, for the live session to hold.
  Ticket tickets(Ticket token_ticket) {
    return std::make_shared<std::pair<Ticket, Ticket>>(ticket_, std::move(token_ticket));
  }

  // Answers and closes. A body the client may still be sending is drained
  // first (linger_close).
  void refuse(Response res) {
    keep_alive_ = false;
    unread_body_ = has_body_;
    write(std::move(res));
  }

  // Counts as in flight until the answer is on the wire, so a graceful stop
  // never cuts a response short.
  void write(Response res) {
    ++shared_.in_flight;
    auto msg = std::make_shared<bhttp::response<bhttp::string_body>>();
    msg->version(11);
    msg->result(static_cast<unsigned>(res.status));
    for (auto& [k, v] : res.headers) msg->set(k, v);
    for (auto& [k, v] : shared_.cors.answer_headers(origin_)) msg->set(k, v);
    msg->set(bhttp::field::server, "shelfsync");
    msg->set("X-Content-Type-Options", "nosniff");
    msg->body() = std::move(res.body);
    const bool keep = keep_alive_ && !shared_.draining;
    msg->keep_alive(keep);
    msg->prepare_payload();
    stream_.expires_after(shared_.limits.request_timeout);
    bhttp::async_write(stream_, *msg, [self = shared_from_this(), msg, keep](beast::error_code ec, std::size_t) {
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
    discard_ = std::make_shared<std::array<char, std::size_t{64} * 1024>>();
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
  std::string peer_;
  Ticket ticket_;  // this connection's place among its address's
  bool over_connection_cap_ = false;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<Request> req_;  // the request being read: head first, then its body
  std::string origin_;            // its Origin header, for CORS
  bool has_body_ = false;         // the current request has a body not read yet
  bool keep_alive_ = true;
  bool unread_body_ = false;
  std::shared_ptr<std::array<char, std::size_t{64} * 1024>> discard_;
};

}  // namespace

struct HttpServer::Impl {
  ServerOptions options;
  net::io_context ioc;
  // Live connections (WebSocket, SSE) move here once accepted: a fan-out to
  // thousands of them is written by these threads, never ahead of a request's
  // answer on the HTTP threads (docs/architecture.md "Fan-out").
  net::io_context live_ioc;
  net::executor_work_guard<net::io_context::executor_type> live_work;
  net::thread_pool workers;
  Shared shared;
  tcp::acceptor acceptor{ioc};

  Impl(ServerOptions o, const Router& router)
      : options(std::move(o)),
        ioc(options.io_threads),
        live_ioc(options.live_io_threads),
        live_work(live_ioc.get_executor()),
        workers(static_cast<std::size_t>(options.workers)),
        shared(router, workers, options.limits) {
    shared.live_io = &live_ioc;
  }

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
  void drain(const std::shared_ptr<net::steady_timer>& timer, std::chrono::steady_clock::time_point deadline,
             std::chrono::steady_clock::time_point live_deadline) {
    const auto now = std::chrono::steady_clock::now();
    const bool live_done = shared.registry.size() == 0 || now > live_deadline;
    if ((shared.in_flight == 0 && live_done) || now > deadline) {
      ioc.stop();
      return;
    }
    timer->expires_after(std::chrono::milliseconds(20));
    timer->async_wait(
        [this, timer, deadline, live_deadline](beast::error_code) { drain(timer, deadline, live_deadline); });
  }
};

HttpServer::HttpServer(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

HttpServer::~HttpServer() {
  impl_->ioc.stop();
  impl_->live_ioc.stop();
  impl_->workers.join();
}

void HttpServer::enable_live(ApiContext& ctx) { impl_->shared.api = &ctx; }

live::Registry& HttpServer::live_sessions() { return impl_->shared.registry; }

void HttpServer::post_work(std::function<Response()> work, Respond respond) {
  net::post(impl_->workers, [work = std::move(work), respond = std::move(respond)] {
    Response res;
    try {
      res = work();
    } catch (const std::exception& e) {
      std::cerr << "deferred request failed: " << e.what() << "\n";
      res = failure_response(e);
    }
    respond(std::move(res));
  });
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
  if (ec)
    throw std::runtime_error("cannot listen on " + impl_->options.host + ":" + std::to_string(impl_->options.port) +
                             ": " + ec.message());
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
    impl.drain(std::make_shared<net::steady_timer>(impl.ioc), now + kShutdownGrace, now + kLiveCloseGrace);
  });
  impl.accept();
  std::vector<std::thread> threads;
  for (int i = 0; i < impl.options.live_io_threads; ++i)
    threads.emplace_back([&impl] {
      pthread_setname_np(pthread_self(), "live-io");  // in top -H, perf, gdb
      impl.live_ioc.run();
    });
  for (int i = 1; i < impl.options.io_threads; ++i)
    threads.emplace_back([&impl] {
      pthread_setname_np(pthread_self(), "http-io");
      impl.ioc.run();
    });
  impl.ioc.run();
  // Live sessions took their reconnect hint in drain(); what is left ends now.
  impl.live_work.reset();
  impl.live_ioc.stop();
  for (auto& t : threads) t.join();
  impl.workers.join();
}

}  // namespace shelfsync

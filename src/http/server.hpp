#pragma once
// The HTTP listener: Beast sessions on a fixed pool of IO threads. Handlers
// run on a separate worker pool, because they block on the store; the IO
// threads only read, check the edge limits, dispatch and write.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "http/edge/client_address.hpp"
#include "http/router.hpp"
#include "live/registry.hpp"

namespace shelfsync {

struct ApiContext;

// What one client may cost the server (docs/api.md "Limits"). The defaults
// protect a public deployment; 0 lifts a cap or a rate.
struct EdgeLimits {
  std::chrono::seconds idle_timeout{60};     // a kept-alive connection waiting for a request
  std::chrono::seconds head_timeout{10};     // a request head, from its first byte
  std::chrono::seconds request_timeout{30};  // reading a body; writing an answer
  std::size_t header_limit = std::size_t{16} * 1024;
  std::size_t json_body_limit = 1 << 20;      // 1 MiB
  std::size_t upload_body_limit = 10u << 20;  // 10 MiB, image uploads
  int max_connections_per_ip = 256;           // open TCP connections per client address
  int max_live_per_token = 100;               // WebSocket + SSE per token (not the public key)
  double rate_per_ip = 100;                   // requests per second per client address (burst: twice that)
  double rate_per_token = 200;                // requests per second per token (not the public key)
  std::vector<Cidr> trusted_proxies;          // whose X-Forwarded-For names the client
  std::vector<std::string> cors_origins;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int io_threads = 2;       // HTTP requests and answers
  int live_io_threads = 2;  // writes to WebSocket and SSE connections
  int workers = 64;         // handler threads; each may wait on a group commit
  EdgeLimits limits;
};

class HttpServer {
 public:
  // Throws std::invalid_argument for a bad option (e.g. a CORS origin).
  HttpServer(ServerOptions options, const Router& router);
  ~HttpServer();

  // Serves GET /api/live and /api/stream through ctx.hub (set before run()),
  // and checks the caller of an upload before its body is read.
  void enable_live(ApiContext& ctx);

  // The open WebSocket and SSE sessions (any thread).
  live::Registry& live_sessions();

  // Runs `work` on the handler pool and hands its answer to `respond` (for
  // handlers that finish later); a throw is answered as a handler's is.
  void post_work(std::function<Response()> work, Respond respond);

  // Binds and listens; returns the bound port (useful with port 0).
  // Throws std::runtime_error if the address can't be bound.
  std::uint16_t listen();
  // Serves until SIGTERM/SIGINT, then stops accepting, lets requests in
  // flight finish (up to a grace period) and returns.
  void run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shelfsync

#pragma once
// The HTTP listener: Beast sessions on a fixed pool of IO threads. Handlers
// run on a separate worker pool, because they block on the store; the IO
// threads only read, dispatch and write.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/router.hpp"
#include "live/registry.hpp"

namespace shelfsync {

struct ApiContext;

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  int io_threads = 2;
  int workers = 64;  // handler threads; each may wait on a group commit
};

class HttpServer {
 public:
  HttpServer(ServerOptions options, const Router& router);
  ~HttpServer();

  // Serves GET /api/live and /api/stream through ctx.hub (set before run()).
  void enable_live(ApiContext& ctx);

  // The open WebSocket and SSE sessions (any thread).
  live::Registry& live_sessions();

  // Runs `work` on the handler pool (for handlers that finish later).
  void post_work(std::function<void()> work);

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

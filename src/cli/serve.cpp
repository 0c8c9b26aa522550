#include <chrono>
#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "commerce/sale_timer.hpp"
#include "feed/change_waiters.hpp"
#include "feed/hub.hpp"
#include "feed/retention.hpp"
#include "http/api.hpp"
#include "http/server.hpp"
#include "live/token_recheck.hpp"
#include "store/store.hpp"

namespace shelfsync::cli {

int run_serve(int argc, char** argv) {
  Args args(argc, argv, 2, {});
  const auto db = args.require("db");
  ServerOptions options;
  const auto listen = args.get_or("listen", "127.0.0.1:8080");
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("--listen needs HOST:PORT");
  options.host = listen.substr(0, colon);
  options.port = static_cast<std::uint16_t>(std::stoi(listen.substr(colon + 1)));
  options.workers = std::stoi(args.get_or("workers", "64"));
  options.io_threads = std::stoi(args.get_or("io-threads", "2"));
  if (options.workers < 1 || options.io_threads < 1)
    throw std::invalid_argument("--workers and --io-threads must be at least 1");

  const auto retention = std::chrono::seconds(std::stol(args.get_or("retention", "604800")));
  const auto purge_interval = std::chrono::seconds(std::stol(args.get_or("purge-interval", "60")));
  if (retention.count() < 1 || purge_interval.count() < 1)
    throw std::invalid_argument("--retention and --purge-interval must be at least 1 second");
  // How often open live connections check that their token is not revoked.
  const auto token_recheck = std::chrono::seconds(std::stol(args.get_or("token-recheck", "5")));
  if (token_recheck.count() < 1) throw std::invalid_argument("--token-recheck must be at least 1 second");

  auto store = open_store(db);
  ChangeWaiters waiters(*store);
  RetentionJob retention_job(*store, retention, purge_interval);
  ApiContext ctx(*store, media_dir_for(args, db));
  ctx.waiters = &waiters;
  const auto router = make_api_router(ctx);
  HttpServer server(options, router);
  ctx.post_work = [&server](std::function<void()> work) { server.post_work(std::move(work)); };
  // The hub's store calls (snapshots, replays) get threads of their own, so
  // a burst of subscribers never starves request handlers, and the pool
  // outlives the hub, which waits for its calls when it is destroyed.
  boost::asio::thread_pool live_workers(4);
  Hub hub(*store, [&live_workers](std::function<void()> work) {
    boost::asio::post(live_workers, std::move(work));
  });
  ctx.hub = &hub;
  SaleTimer sale_timer(*store);
  server.enable_live(ctx);
  live::TokenRecheck recheck(*store, server.live_sessions(), token_recheck);
  const auto port = server.listen();
  std::cout << "listening on http://" << options.host << ":" << port << std::endl;
  server.run();
  std::cerr << "shelfsync: stopped\n";
  return 0;
}

}  // namespace shelfsync::cli

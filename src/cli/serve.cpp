#include <iostream>

#include "cli/args.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "http/api.hpp"
#include "http/server.hpp"
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

  auto store = open_store(db);
  ApiContext ctx(*store, media_dir_for(args, db));
  const auto router = make_api_router(ctx);
  HttpServer server(options, router);
  const auto port = server.listen();
  std::cout << "listening on http://" << options.host << ":" << port << std::endl;
  server.run();
  std::cerr << "shelfsync: stopped\n";
  return 0;
}

}  // namespace shelfsync::cli

// shelfsync: the one binary. See README.md and SPEC §8 for the commands.

#include <iostream>
#include <stdexcept>
#include <string>

#include "cli/commands.hpp"

namespace {

constexpr const char* kUsage = R"(usage: shelfsync <command> [flags]

  serve   --listen HOST:PORT --db sqlite:PATH [--media DIR] [--workers N] [--io-threads N] [--live-io-threads N]
          [--retention SECONDS] [--purge-interval SECONDS] [--token-recheck SECONDS]
          [--clock-offset MS] (shifts the server's clock; for tests)
          limits (docs/api.md "Limits"; 0 lifts a cap or a rate):
          [--rate-limit RPS] [--token-rate-limit RPS] [--max-connections-per-ip N]
          [--max-live-per-token N] [--idle-timeout S] [--head-timeout S] [--request-timeout S]
          [--max-body BYTES] [--max-upload BYTES] [--max-ws-message BYTES]
          [--max-subscriptions N] [--max-filter-ids N] [--trusted-proxy CIDR]... [--cors-origin ORIGIN]...
  tenant  create NAME --db URL [--currency USD] [--json]
  token   create --tenant T --role admin|staff|customer|service|public [--customer ID] --db URL [--json]
  token   revoke --token TOKEN --db URL
  demo    --db URL [--media DIR] [--url http://127.0.0.1:8080]
  tail    --url http://HOST:PORT --token T --topic products [--filter JSON] [--since CURSOR]
)";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = argv[1];
  try {
    if (command == "serve") return shelfsync::cli::run_serve(argc, argv);
    if (command == "tenant") return shelfsync::cli::run_tenant(argc, argv);
    if (command == "token") return shelfsync::cli::run_token(argc, argv);
    if (command == "demo") return shelfsync::cli::run_demo(argc, argv);
    if (command == "tail") return shelfsync::cli::run_tail(argc, argv);
    if (command == "--version" || command == "version") {
      std::cout << "shelfsync " << SHELFSYNC_VERSION << "\n";
      return 0;
    }
    if (command == "--help" || command == "help") {
      std::cout << kUsage;
      return 0;
    }
    std::cerr << "unknown command '" << command << "'\n" << kUsage;
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "shelfsync " << command << ": " << e.what() << "\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "shelfsync " << command << ": " << e.what() << "\n";
    return 1;
  }
}

// Orders per second through OrderService alone (no HTTP): how fast the
// store's single writer places orders on one hot product, to tell the
// writer's cost from the HTTP stack's in bench/orders_hot_product.sh.
//
//   build/bench_writer_orders DB_PATH [threads=64] [seconds=10]

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>
#include <vector>

#include <boost/json.hpp>

#include "auth/tokens.hpp"
#include "catalog/record_service.hpp"
#include "commerce/order_service.hpp"
#include "commerce/stock_ledger.hpp"
#include "domain/collection.hpp"
#include "store/store.hpp"

using namespace shelfsync;

namespace {

// user + system CPU of this process's thread named `name`, in µs.
double thread_cpu_us(const std::string& name) {
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream comm(task.path() / "comm");
    std::string line;
    std::getline(comm, line);
    if (line != name) continue;
    std::ifstream stat(task.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
    std::istringstream fields(text.substr(text.rfind(')') + 2));
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i)
      if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
    return ticks * 1e6 / static_cast<double>(sysconf(_SC_CLK_TCK));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench_writer_orders DB_PATH [threads] [seconds]\n";
    return 2;
  }
  const std::string path = argv[1];
  const int threads = argc > 2 ? std::stoi(argv[2]) : 64;
  const int seconds = argc > 3 ? std::stoi(argv[3]) : 10;
  std::filesystem::remove(path);
  auto store = open_store("sqlite:" + path);
  store->write([](WriteTxn& txn) -> std::optional<Problem> {
    txn.put_tenant({"bench", "bench", "USD"});
    return std::nullopt;
  });
  const Principal admin{"bench", "USD", Role::admin, {}, "admin:bench"};
  RecordService records(*store);
  install_stock_ledger(records);
  auto product = records.create(admin, *find_collection("products"),
                                boost::json::parse(R"({"id":"hot","title":"Hot","price":1999,
                                  "status":"active","variants":[{"options":{},"stock":1000000000}]})")
                                    .as_object(),
                                {});
  if (!product) {
    std::cerr << product.problem().detail << "\n";
    return 1;
  }
  const std::string variant(product->at("variants").as_array()[0].at("id").as_string());

  OrderService orders(*store);
  // Transactions that carried orders: how many orders one fsync serves.
  std::atomic<long> commits{0};
  store->add_commit_listener([&](const std::string&, const std::vector<CommittedChange>&) { ++commits; });
  // CPU of the store's writer thread: a per-order cost that the disk's
  // fsync latency does not blur (the figure that decides throughput, as
  // the writer is the one serialization point).
  const double cpu_before = thread_cpu_us("store-writer");
  std::atomic<bool> stop{false};
  std::atomic<long> placed{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const Principal staff{"bench", "USD", Role::staff, {}, "staff:bench"};
      for (long i = 0; !stop; ++i) {
        OrderRequest req;
        req.items = {{"hot", variant, 1, 1999}};
        req.channel = "pos";
        req.idempotency_key = "k-" + std::to_string(t) + "-" + std::to_string(i);
        req.fingerprint = req.idempotency_key;
        auto answer = orders.place(staff, req);
        if (answer && answer->status == 201) ++placed;
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (auto& th : pool) th.join();
  const double cpu = thread_cpu_us("store-writer") - cpu_before;
  std::cout << "orders placed: " << placed << " in " << seconds << " s = " << placed / seconds << "/s with " << threads
            << " threads, " << static_cast<long>(cpu / placed.load()) << " us writer CPU per order, "
            << placed.load() / std::max(1L, commits.load()) << " orders per commit\n";
  return 0;
}

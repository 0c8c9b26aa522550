// Orders per second through OrderService alone (no HTTP): how fast the
// store's single writer places orders on one hot product, to tell the
// writer's cost from the HTTP stack's in bench/orders_hot_product.sh.
//
//   build/bench_writer_orders DB_PATH [threads=64] [seconds=10]

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
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
  std::cout << "orders placed: " << placed << " in " << seconds << " s = " << placed / seconds
            << "/s with " << threads << " threads\n";
  return 0;
}

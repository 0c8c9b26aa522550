// Seeds a shop with N orders spread evenly over the last D days, through the
// real record write path (new_internal_record, so every write carries its
// figure changes) in batches of 1,000 per transaction: seeding a million
// orders over HTTP would take hours. Products are created first.
//
//   build/bench_seed_orders DB_PATH TENANT ORDERS [days=30] [products=200]

#include <iostream>
#include <string>

#include <boost/json.hpp>

#include "catalog/record_writes.hpp"
#include "domain/collection.hpp"
#include "domain/ids.hpp"
#include "store/store.hpp"

using namespace shelfsync;
namespace json = boost::json;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::cerr << "usage: bench_seed_orders DB_PATH TENANT ORDERS [days] [products]\n";
    return 2;
  }
  const std::string tenant = argv[2];
  const long orders = std::stol(argv[3]);
  const long days = argc > 4 ? std::stol(argv[4]) : 30;
  const long product_count = argc > 5 ? std::stol(argv[5]) : 200;
  auto store = open_store(std::string("sqlite:") + argv[1]);
  const auto& products = *find_collection("products");
  const auto& order_coll = *find_collection("orders");
  const NormalizeContext ctx{now_ms(), "USD"};
  auto check = [](std::optional<Problem> p) {
    if (p) throw std::runtime_error(p->detail);
  };
  check(store->write([&](WriteTxn& txn) -> std::optional<Problem> {
    for (long i = 0; i < product_count; ++i) {
      json::object doc{
          {"title", "Bench product " + std::to_string(i)},
          {"price", 100 + i},
          {"status", "active"},
          {"variants", json::array{json::object{
                           {"sku", "B" + std::to_string(i)}, {"options", json::object{}}, {"stock", 1000000}}}}};
      auto w = new_internal_record(products, tenant, "prod_b" + std::to_string(i), doc, ctx, "bench");
      if (!w) return w.problem();
      txn.put(*w);
    }
    return std::nullopt;
  }));
  const Millis span = days * 24 * 3600 * 1000L;
  const Millis start = ctx.now - span;
  constexpr long kBatch = 1000;
  for (long done = 0; done < orders; done += kBatch) {
    check(store->write([&](WriteTxn& txn) -> std::optional<Problem> {
      for (long n = done; n < std::min(orders, done + kBatch); ++n) {
        const auto product = (n * 7919) % product_count;
        const auto at = start + span * n / orders;
        json::object line{{"product_id", "prod_b" + std::to_string(product)},
                          {"variant_id", "var_b" + std::to_string(product)},
                          {"title", "Bench product " + std::to_string(product)},
                          {"qty", 1 + n % 3},
                          {"unit_price", 100 + product}};
        json::object doc{
            {"number", n + 1},
            {"channel", "pos"},
            {"items", json::array{line}},
            {"status", n % 10 == 0 ? "cancelled" : "placed"},
            {"status_history",
             json::array{json::object{{"status", "placed"}, {"at", format_rfc3339(at)}, {"actor", "bench"}},
                         json::object{{"status", n % 10 == 0 ? "cancelled" : "placed"},
                                      {"at", format_rfc3339(at)},
                                      {"actor", "bench"}}}}};
        if (n % 10 != 0) doc["status_history"].as_array().pop_back();
        auto w = new_internal_record(order_coll, tenant, new_id("ord"), doc, ctx, "bench");
        if (!w) return w.problem();
        txn.put(*w);
      }
      return std::nullopt;
    }));
    if ((done / kBatch) % 100 == 0) std::cerr << "seeded " << done << " orders\n";
  }
  std::cerr << "seeded " << orders << " orders over " << days << " days\n";
  return 0;
}

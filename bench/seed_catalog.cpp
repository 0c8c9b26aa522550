// Fills a tenant with N synthetic products straight through the Store (many
// per transaction), for benchmarks that need large catalogs quickly.
//
//   build/bench_seed sqlite:PATH TENANT N
//
// Prints the tenant's admin token. Not a test and not part of the server.

#include <iostream>
#include <string>

#include <boost/json/serialize.hpp>

#include "auth/tenant_admin.hpp"
#include "domain/collection.hpp"
#include "domain/ids.hpp"
#include "domain/view_digest.hpp"
#include "store/store.hpp"

using namespace shelfsync;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::cerr << "usage: bench_seed sqlite:PATH TENANT N\n";
    return 2;
  }
  auto store = open_store(argv[1]);
  const std::string tenant_name = argv[2];
  const long n = std::stol(argv[3]);
  auto tenant = create_tenant(*store, tenant_name, "USD", tenant_name);
  if (!tenant) {
    std::cerr << tenant.problem().detail << "\n";
    return 1;
  }
  const auto* products = find_collection("products");
  constexpr long kPerTransaction = 2000;
  for (long done = 0; done < n;) {
    const long batch = std::min(kPerTransaction, n - done);
    auto problem = store->write([&](WriteTxn& txn) -> std::optional<Problem> {
      const Millis now = now_ms();
      for (long i = 0; i < batch; ++i) {
        const long k = done + i;
        boost::json::object input{
            {"title", "Product " + std::to_string(k)},
            {"price", 100 + k % 10000},
            {"status", k % 10 == 0 ? "draft" : "active"},
            {"tags", boost::json::array{"tag" + std::to_string(k % 50)}},
            {"variants", boost::json::array{{{"options", boost::json::object{}}, {"stock", k % 20}}}}};
        auto doc = products->normalize(input, nullptr, {now, "USD"});
        if (!doc) return doc.problem();
        RecordWrite w;
        const auto id = new_id("prod");
        w.record = {tenant->tenant, "products", id, 1, false, now, now, boost::json::serialize(*doc)};
        w.keys = products->index_keys(*doc);
        w.search_text = products->search_text(*doc);
        w.digests = digest_changes(*products, id, nullptr, 0, &*doc, 1);
        txn.put(w);
      }
      return std::nullopt;
    });
    if (problem) {
      std::cerr << problem->detail << "\n";
      return 1;
    }
    done += batch;
    if (done % 100000 == 0) std::cerr << "seeded " << done << "\n";
  }
  std::cout << tenant->admin_token << std::endl;
  return 0;
}

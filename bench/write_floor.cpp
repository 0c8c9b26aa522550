// The floors under the write path (docs/benchmarks.md "The write path"):
// what this disk takes for one durable commit, and what SQLite alone does
// for the rows a product PATCH writes — the store's own statements
// (SqliteWriteTxn: the record, its keys, its change-log entry), with no
// HTTP, no JSON and no writer thread.
//
//   build/bench_write_floor DIR [products=1000] [seconds=3]
//
// Prints one line per measurement. Run it pinned to one core (taskset).

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "auth/tenant_admin.hpp"
#include "domain/collection.hpp"
#include "domain/ids.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/write_txn.hpp"
#include "store/store.hpp"

using namespace shelfsync;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double micros(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// Appends 4 KiB and fdatasyncs it, like a WAL commit of a small transaction.
void fsync_floor(const fs::path& dir, double seconds) {
  const auto path = dir / "fsync.bin";
  const int fd = ::open(path.c_str(), O_CREAT | O_TRUNC | O_WRONLY, 0644);
  if (fd < 0) throw std::runtime_error("cannot open " + path.string());
  std::string page(4096, 'x');
  std::vector<double> took;
  const auto end = Clock::now() + std::chrono::duration<double>(seconds);
  while (Clock::now() < end) {
    const auto t0 = Clock::now();
    if (::write(fd, page.data(), page.size()) != static_cast<ssize_t>(page.size()) || ::fdatasync(fd) != 0)
      throw std::runtime_error("write or fdatasync failed");
    took.push_back(micros(Clock::now() - t0));
  }
  ::close(fd);
  fs::remove(path);
  std::printf("fsync floor: 4 KiB append + fdatasync: p50 %.0f us, p99 %.0f us, %zu in %.0f s (%.0f/s)\n",
              percentile(took, 0.5), percentile(took, 0.99), took.size(), seconds,
              static_cast<double>(took.size()) / seconds);
}

// One product's two alternating states, ready to write.
struct Product {
  StoredRecord record;
  IndexKeys keys;
  std::string search;
  std::string data[2];
};

std::vector<Product> seed(Store& store, const std::string& tenant, int n) {
  const auto* products = find_collection("products");
  std::vector<Product> out;
  const Millis now = now_ms();
  auto problem = store.write([&](WriteTxn& txn) -> std::optional<Problem> {
    for (int k = 0; k < n; ++k) {
      boost::json::object input{{"title", "Bench " + std::to_string(k)},
                                {"price", 1999},
                                {"status", "active"},
                                {"tags", boost::json::array{"bench"}},
                                {"variants", boost::json::array{{{"options", boost::json::object{}}, {"stock", 100}}}}};
      auto doc = products->normalize(input, nullptr, {now, "USD"});
      if (!doc) return doc.problem();
      Product p;
      p.keys = products->index_keys(*doc);
      p.search = products->search_text(*doc);
      p.data[0] = boost::json::serialize(*doc);
      (*doc)["price"] = 2999;  // an edit that changes no key, like most PATCHes
      p.data[1] = boost::json::serialize(*doc);
      p.record = {tenant, "products", new_id("prod"), 1, false, now, now, p.data[0]};
      RecordWrite w;
      w.record = p.record;
      w.keys = p.keys;
      w.search_text = p.search;
      txn.put(w);
      out.push_back(std::move(p));
    }
    return std::nullopt;
  });
  if (problem) throw std::runtime_error(problem->detail);
  return out;
}

// Edits round-robin, `group` per transaction, each in its savepoint like the
// writer's jobs, for `seconds`.
void edits(const std::string& db_path, std::vector<Product>& products, int group, bool durable, double seconds) {
  sqlite::Connection db(db_path);
  if (!durable) db.exec("PRAGMA synchronous=OFF");
  std::size_t next = 0, done = 0;
  std::vector<double> commits;
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < end) {
    const auto t0 = Clock::now();
    sqlite::SqliteWriteTxn txn(db);
    db.run("BEGIN IMMEDIATE");
    for (int i = 0; i < group; ++i, ++done) {
      auto& p = products[next++ % products.size()];
      db.run("SAVEPOINT job");
      txn.begin_job();
      const auto before = txn.get(p.record.tenant, "products", p.record.id);  // a PATCH reads it first
      RecordWrite w;
      w.record = p.record;
      w.record.version = before->version + 1;
      w.record.updated_at = now_ms();
      w.record.data = p.data[w.record.version % 2];
      w.keys = p.keys;
      w.previous_keys = p.keys;
      w.previous_data = before->data;
      w.search_text = p.search;
      txn.put(w);
      db.run("RELEASE job");
    }
    txn.flush();
    db.run("COMMIT");
    commits.push_back(micros(Clock::now() - t0));
  }
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("sqlite alone: %3d edits per commit, %s: %.0f edits/s, commit p50 %.0f us, p99 %.0f us\n", group,
              durable ? "synchronous=FULL" : "synchronous=OFF ", static_cast<double>(done) / secs,
              percentile(commits, 0.5), percentile(commits, 0.99));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench_write_floor DIR [products=1000] [seconds=3]\n";
    return 2;
  }
  const fs::path dir = argv[1];
  const int n = argc > 2 ? std::stoi(argv[2]) : 1000;
  const double seconds = argc > 3 ? std::stod(argv[3]) : 3;
  fs::create_directories(dir);
  const auto db_path = (dir / "floor.db").string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(db_path + suffix);

  fsync_floor(dir, seconds);
  std::vector<Product> products;
  {
    auto store = open_store("sqlite:" + db_path);
    auto tenant = create_tenant(*store, "floor", "USD", "floor");
    if (!tenant) {
      std::cerr << tenant.problem().detail << "\n";
      return 1;
    }
    products = seed(*store, tenant->tenant, n);
  }
  for (const int group : {1, 32, 512}) edits(db_path, products, group, true, seconds);
  edits(db_path, products, 512, false, seconds);
  return 0;
}

#include "commerce/sale_timer.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>

#include <boost/json/parse.hpp>

#include "catalog/record_writes.hpp"
#include "domain/product_collection.hpp"
#include "domain/time.hpp"
#include "store/store.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

const ProductCollection kProducts;
constexpr std::size_t kBatch = 100;
// How long to wait before looking again when nothing is due, and after a
// failed write (the store is unavailable: do not spin).
constexpr auto kIdleWait = std::chrono::seconds(60);
constexpr auto kRetryWait = std::chrono::milliseconds(200);

// A new version of the product with its document unchanged: what a reader
// sees (price_now, on_sale) changed with the clock. The key found due is
// named as a previous one, so it goes even if the keys stored with the
// record do not list it (a database written while versions could leave it
// behind): a passed key is never found due again. Only if the key is still
// there: another node's timer (or this one, in an earlier batch) may have
// fired it since it was found, and a transition is written once.
std::optional<Problem> write_transition(WriteTxn& txn, const KeyedRecord& due) {
  if (!txn.has_key(due.tenant, "products", due.id, kTimedKeyField, due.value)) return std::nullopt;
  const auto record = txn.get(due.tenant, "products", due.id);
  if (!record || record->deleted) return std::nullopt;
  const auto doc = json::parse(record->data).as_object();
  auto write = next_version_write(kProducts, *record, doc, doc, now_ms(), "sale_timer");
  // The other keys do not move with the clock; the timed one the record
  // has now is the due one (a next one, if any, is written as new).
  IndexKeys previous = kProducts.index_keys(doc);
  std::erase_if(previous, [](const auto& key) { return key.first == kTimedKeyField; });
  previous.emplace_back(kTimedKeyField, due.value);
  write.previous_keys = std::move(previous);
  txn.put(write);
  return std::nullopt;
}

}  // namespace

SaleTimer::SaleTimer(Store& store) : store_(store), thread_("sale-timer", [this] { return tick(); }) {
  // Wake up when a product that has a sale is written: its next transition
  // may be earlier than the one the thread sleeps towards.
  store_.add_commit_listener(commits_.guard([this](const std::string&, const std::vector<CommittedChange>& changes) {
    for (const auto& c : changes)
      if (c.entry.entity == "products" && c.data && c.data->find("\"sale\":{") != std::string::npos) {
        thread_.poke();
        return;
      }
  }));
  thread_.poke();  // the first pass, now that commits wake the thread
}

std::uint64_t SaleTimer::fired() const { return fired_.load(std::memory_order_relaxed); }

bool SaleTimer::fire_due() {
  while (true) {
    auto due = store_.timed_keys_up_to("products", sale_next_value(now_ms()), kBatch);
    // All that is due in one transaction: one commit (fsync) for a burst of
    // sales starting at the same instant. Shop by shop: a job that writes
    // several shops takes their locks in one order on every node (on
    // PostgreSQL a shop's writes are serialized by its lock), so two nodes'
    // timers never wait for each other in a cycle.
    std::stable_sort(due.begin(), due.end(),
                     [](const KeyedRecord& a, const KeyedRecord& b) { return a.tenant < b.tenant; });
    if (!due.empty()) {
      const auto failed = store_.write([&due](WriteTxn& txn) -> std::optional<Problem> {
        for (const auto& d : due)
          if (auto p = write_transition(txn, d)) return p;
        return std::nullopt;
      });
      if (failed) return false;
      fired_.fetch_add(due.size(), std::memory_order_relaxed);
    }
    if (due.size() < kBatch) return true;
  }
}

PeriodicThread::Wake SaleTimer::tick() {
  bool ok = false;
  std::optional<std::string> next;
  try {
    ok = fire_due();
    next = store_.first_timed_key("products");
  } catch (const std::exception&) {
    ok = false;  // a read failed; try again shortly
  }
  const auto now = std::chrono::system_clock::now();
  if (!ok) return now + kRetryWait;
  // On the wall clock: a sale starts at an instant, even if the clock is set meanwhile.
  auto wake = now + kIdleWait;
  if (next) wake = std::min(wake, system_time_at(std::stoll(*next)));
  return wake;
}

}  // namespace shelfsync

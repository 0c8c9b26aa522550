#include "commerce/stats_publisher.hpp"

#include <array>
#include <optional>

#include <boost/json/parse.hpp>

#include "catalog/record_writes.hpp"
#include "commerce/stats_report.hpp"
#include "domain/collection.hpp"
#include "domain/product_collection.hpp"
#include "domain/stats_collection.hpp"
#include "domain/time.hpp"
#include "store/store.hpp"

namespace shelfsync {

namespace json = boost::json;

namespace {

const StatsCollection kStats;
constexpr std::size_t kDueBatch = 1000;
// More records than any store holds: the first pass reads every tenant
// whose figures are kept.
constexpr std::size_t kEveryRecord = std::size_t{1} << 40;
constexpr CivilDay kLast30Days = 30;
constexpr auto kIdleWait = std::chrono::seconds(60);
constexpr auto kRetryWait = std::chrono::milliseconds(500);

bool touches_figures(const std::vector<CommittedChange>& changes) {
  for (const auto& c : changes) {
    const auto& e = c.entry.entity;
    if (e == "orders" || e == "bills" || e == "products") return true;
  }
  return false;
}

// Writes `doc` as record `id` unless it is stored so already.
void put_if_changed(WriteTxn& txn, const std::string& tenant, const char* id, const json::object& doc, Millis now) {
  const auto current = txn.get(tenant, "stats", id);
  if (!current) {
    txn.put(new_record_write(kStats, tenant, id, doc, now, "stats"));
    return;
  }
  const auto previous = json::parse(current->data).as_object();
  if (!current->deleted && previous == doc) return;
  txn.put(next_version_write(kStats, *current, previous, doc, now, "stats"));
}

}  // namespace

StatsPublisher::StatsPublisher(Store& store) : store_(store), thread_("stats-publish", [this] { return tick(); }) {
  store_.add_commit_listener(
      commits_.guard([this](const std::string& tenant, const std::vector<CommittedChange>& changes) {
        if (touches_figures(changes)) refresh(tenant);
      }));
  thread_.poke();  // the first pass: what is due since the last run
}

void StatsPublisher::refresh(const std::string& tenant) {
  {
    MutexLock lock(&mu_);
    dirty_.insert(tenant);
  }
  thread_.poke();
}

void StatsPublisher::follow(const std::string& tenant) {
  {
    MutexLock lock(&mu_);
    if (!followed_.insert(tenant).second) return;
    dirty_.insert(tenant);
  }
  thread_.poke();
}

bool StatsPublisher::followed(const std::string& tenant) {
  {
    MutexLock lock(&mu_);
    if (followed_.count(tenant)) return true;
  }
  return store_.get(tenant, "stats", kStatsToday).has_value();
}

bool StatsPublisher::publish(const std::string& tenant) {
  if (!followed(tenant)) return true;  // nobody looks: keep its log free of figures
  const auto shop = store_.tenant(tenant);
  if (!shop) return true;  // gone: nothing to publish
  const Millis now = now_ms();
  const auto today = local_day_of(shop->time_zone, now);
  const auto next = format_rfc3339(next_stats_change(store_, tenant, shop->time_zone, now));
  const std::array<std::pair<const char*, CivilDay>, 2> periods = {
      std::pair{kStatsToday, today}, std::pair{kStatsLast30Days, today - (kLast30Days - 1)}};
  std::vector<std::pair<const char*, json::object>> docs;
  for (const auto& [id, first] : periods) {
    auto doc = stats_report(store_, tenant, {first, today, shop->time_zone}, now);
    doc[kStatsNextChange] = next;
    docs.emplace_back(id, std::move(doc));
  }
  const auto failed = store_.write([&](WriteTxn& txn) -> std::optional<Problem> {
    for (const auto& [id, doc] : docs) put_if_changed(txn, tenant, id, doc, now);
    return std::nullopt;
  });
  return !failed;
}

void StatsPublisher::collect_due(std::set<std::string>& due) {
  for (const auto& k : store_.timed_keys_up_to("stats", sale_next_value(now_ms()), kDueBatch)) due.insert(k.tenant);
}

void StatsPublisher::collect_kept(std::set<std::string>& tenants) {
  // Each record of the figures carries a timed key (its next midnight at the
  // latest), so the records with a key up to the largest are all of them.
  const std::string after_every_key(kTimedKeyWidth, '9');
  for (const auto& k : store_.timed_keys_up_to("stats", after_every_key, kEveryRecord)) tenants.insert(k.tenant);
}

PeriodicThread::Wake StatsPublisher::tick() {
  // Coalesce: what commits after a pass waits out kStatsMinInterval.
  if (std::chrono::steady_clock::now() < quiet_until_) return quiet_until_;
  std::set<std::string> tenants;
  {
    MutexLock lock(&mu_);
    if (dirty_.empty() && std::chrono::system_clock::now() < next_due_) return next_due_;
    tenants.swap(dirty_);
  }
  bool ok = true;
  std::optional<std::string> next;
  try {
    collect_due(tenants);
    if (!swept_) {
      collect_kept(tenants);
      swept_ = true;
    }
    for (const auto& t : tenants) ok = publish(t) && ok;
    next = store_.first_timed_key("stats");
  } catch (const std::exception&) {
    ok = false;  // a read failed; try again shortly
  }
  if (!ok) {
    MutexLock lock(&mu_);
    dirty_.insert(tenants.begin(), tenants.end());
  }
  // On the wall clock: a shop's midnight is an instant, even if the clock is set meanwhile.
  next_due_ = std::chrono::system_clock::now() + kIdleWait;
  if (next) next_due_ = std::min(next_due_, system_time_at(std::stoll(*next)));
  if (tenants.empty()) return next_due_;
  quiet_until_ = std::chrono::steady_clock::now() + (ok ? kStatsMinInterval : kRetryWait);
  return quiet_until_;
}

}  // namespace shelfsync

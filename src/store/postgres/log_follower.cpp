#include "store/postgres/log_follower.hpp"

#include <poll.h>
#include <pthread.h>

#include <chrono>
#include <iostream>
#include <sstream>

#include "store/postgres/queries.hpp"

namespace shelfsync::pg {
namespace {

// A notification's payload must stay below PostgreSQL's 8000 bytes; a
// commit touching more tenants says "*": every head is compared instead.
constexpr std::size_t kMaxPayload = 7000;
constexpr std::size_t kCatchUpPage = 1000;
constexpr auto kHeadCheckEvery = std::chrono::seconds(1);
constexpr int kPollMs = 200;

std::vector<CommittedChange> read_range(Connection& db, const std::string& tenant, std::int64_t after,
                                        std::int64_t up_to) {
  auto r = db.run(sql::kCommittedRange, tenant, after, up_to, kCatchUpPage);
  std::vector<CommittedChange> out;
  out.reserve(static_cast<std::size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i) {
    // The state before the change is unknown here: a reader judges it as a
    // record it may hold (feed/view.cpp).
    out.push_back(CommittedChange{ChangeEntry{r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3) == "delete",
                                              r.integer(i, 4), r.text(i, 5), r.integer(i, 6)},
                                  r.integer(i, 7), std::make_shared<const std::string>(r.text(i, 9)), nullptr,
                                  static_cast<RoleSet>(r.integer(i, 8))});
  }
  return out;
}

}  // namespace

LogFollower::LogFollower(std::string url, std::string node, Connection& db, Deliver deliver)
    : url_(std::move(url)), node_(std::move(node)), deliver_(std::move(deliver)) {
  auto heads = db.run(sql::kAllHeads);
  for (int i = 0; i < heads.size(); ++i) delivered_[heads.text(i, 0)] = heads.integer(i, 1);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "store-follower");
    run();
  });
}

LogFollower::~LogFollower() {
  stopping_ = true;
  thread_.join();
}

std::string LogFollower::payload(const std::map<std::string, std::vector<CommittedChange>>& changes) const {
  std::string out = node_;
  for (const auto& [tenant, list] : changes) {
    if (list.empty()) continue;
    out += ' ' + tenant + ':' + std::to_string(list.back().entry.seq);
    if (out.size() > kMaxPayload) return node_ + " *";
  }
  return out;
}

void LogFollower::committed(const std::map<std::string, std::vector<CommittedChange>>& changes, Connection& db) {
  MutexLock lock(&mu_);
  for (const auto& [tenant, list] : changes) {
    if (list.empty()) continue;
    try {
      // Another node's commits before ours first (they hold lower seqs).
      catch_up(tenant, list.front().entry.seq - 1, db);
    } catch (const std::exception& e) {
      // Ours wait too, for the follower's next look: never out of order.
      std::cerr << "store: reading other nodes' changes failed: " << e.what() << "\n";
      continue;
    }
    auto& delivered = delivered_[tenant];
    if (delivered != list.front().entry.seq - 1) {
      if (delivered >= list.back().entry.seq) continue;  // the follower was first
      std::vector<CommittedChange> rest;
      for (const auto& c : list)
        if (c.entry.seq > delivered) rest.push_back(c);
      deliver_(tenant, rest);
    } else {
      deliver_(tenant, list);
    }
    delivered = list.back().entry.seq;
  }
}

void LogFollower::catch_up(const std::string& tenant, std::int64_t up_to, Connection& db) {
  auto& delivered = delivered_[tenant];
  while (delivered < up_to) {
    auto page = read_range(db, tenant, delivered, up_to);
    if (page.empty()) {
      // Purged before this node read it: its readers replay from the store.
      std::cerr << "store: changes " << delivered + 1 << ".." << up_to << " of tenant " << tenant
                << " are no longer in the log\n";
      delivered = up_to;
      return;
    }
    delivered = page.back().entry.seq;
    deliver_(tenant, page);
  }
}

void LogFollower::on_notification(const std::string& payload, Connection& db) {
  std::istringstream in(payload);
  std::string node;
  in >> node;
  if (node == node_) return;  // ours: the writer hands them over
  MutexLock gate(&gate_);
  MutexLock lock(&mu_);
  for (std::string item; in >> item;) {
    if (item == "*") {
      check_heads(db);
      return;
    }
    const auto colon = item.rfind(':');
    if (colon == std::string::npos) continue;
    catch_up(item.substr(0, colon), std::strtoll(item.c_str() + colon + 1, nullptr, 10), db);
  }
}

void LogFollower::check_heads(Connection& db) {
  auto heads = db.run(sql::kAllHeads);
  for (int i = 0; i < heads.size(); ++i) catch_up(heads.text(i, 0), heads.integer(i, 1), db);
}

void LogFollower::run() {
  std::unique_ptr<Connection> db;
  auto last_check = std::chrono::steady_clock::now();
  while (!stopping_) {
    try {
      if (!db || !db->ok()) {
        db.reset();
        db = std::make_unique<Connection>(url_);
        db->exec((std::string("LISTEN ") + kLogChannel).c_str());
        // Whatever was committed while not listening.
        MutexLock gate(&gate_);
        MutexLock lock(&mu_);
        check_heads(*db);
      }
      pollfd fd{PQsocket(db->handle()), POLLIN, 0};
      ::poll(&fd, 1, kPollMs);
      if (!PQconsumeInput(db->handle())) throw Error("08006", true, PQerrorMessage(db->handle()));
      while (PGnotify* n = PQnotifies(db->handle())) {
        std::string payload = n->extra;
        PQfreemem(n);
        on_notification(payload, *db);
      }
      if (std::chrono::steady_clock::now() - last_check >= kHeadCheckEvery) {
        last_check = std::chrono::steady_clock::now();
        MutexLock gate(&gate_);
        MutexLock lock(&mu_);
        check_heads(*db);
      }
    } catch (const std::exception& e) {
      std::cerr << "store: following the log: " << e.what() << "\n";
      db.reset();
      for (int i = 0; i < 5 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace shelfsync::pg

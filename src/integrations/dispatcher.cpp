#include "integrations/dispatcher.hpp"

#include <pthread.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include <boost/json/object.hpp>

#include "catalog/record_writes.hpp"
#include "domain/commerce_collections.hpp"
#include "domain/ids.hpp"
#include "domain/time.hpp"
#include "feed/change_batch.hpp"
#include "feed/cursor.hpp"
#include "integrations/signature.hpp"
#include "integrations/webhook_settings.hpp"
#include "util/mutex.hpp"

namespace shelfsync {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kNever = Clock::time_point::max();
constexpr std::size_t kAnswerExcerpt = 2000;
// How often a node asks for the delivery lease and, holding it, reads the
// hooks other nodes' APIs may have changed: the lateness allowed when the
// delivering node dies.
constexpr auto kLeaseRound = std::chrono::seconds(1);

struct Batch {
  std::string body;
  std::string message_id;
  std::int64_t cursor = 0;
  std::int64_t changes = 0;
  std::int64_t attempts = 0;
};

struct Hook {
  WebhookRow row;
  WebhookSettings settings;
  bool busy = false;   // a worker has it
  bool stale = false;  // reloaded while busy: read again when it is back
  bool gone = false;   // deleted
  Clock::time_point due = kNever;
  std::optional<Batch> batch;  // the batch being delivered, resent as it is until acknowledged
  std::int64_t scanned = 0;    // read up to here with nothing to send (kept in memory)
  bool waited = false;         // the batch window (batch_ms) has been waited once
  bool poked = false;          // a commit came while a worker had it
};

using Key = std::pair<std::string, std::string>;  // tenant, id

std::string message_body(const std::string& id, std::int64_t cursor, const std::vector<std::string>& changes) {
  std::string body = R"({"webhook":")" + id + R"(","cursor":")" + encode_cursor(cursor) + R"(","changes":[)";
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (i) body += ',';
    body += changes[i];
  }
  body += "]}";
  return body;
}

}  // namespace

struct WebhookDispatcher::Impl {
  Store& store;
  const HttpClient& http;
  DispatcherOptions options;
  Mutex mu;
  CondVar cv;
  std::map<Key, Hook> hooks GUARDED_BY(mu);
  bool stopping GUARDED_BY(mu) = false;
  bool leading GUARDED_BY(mu) = false;  // this node holds the cluster's "webhooks" lease
  std::vector<std::thread> threads;     // start() and stop(), on the owner's thread

  Impl(Store& s, const HttpClient& h, DispatcherOptions o) : store(s), http(h), options(o) {}

  bool deliverable(const Hook& h) const { return !h.gone && !h.row.paused_at && h.settings.active; }

  void load(const WebhookRow& row) REQUIRES(mu) {
    auto& h = hooks[{row.tenant, row.id}];
    const bool cursor_moved = h.row.cursor != row.cursor || h.row.version != row.version;
    h.row = row;
    h.settings = settings_of(row);
    h.gone = false;
    if (cursor_moved) {
      h.batch.reset();  // a replay or a new filter: the batch is built again
      h.scanned = 0;
      h.waited = false;
    }
    h.due = deliverable(h) ? Clock::now() : kNever;
  }

  void committed(const std::string& tenant) EXCLUDES(mu) {
    MutexLock lock(&mu);
    bool any = false;
    for (auto it = hooks.lower_bound({tenant, ""}); it != hooks.end() && it->first.first == tenant; ++it) {
      auto& h = it->second;
      if (h.busy) {
        h.poked = true;  // its worker may have read the log before this commit
        continue;
      }
      // A hook waiting out a failure keeps its backoff.
      if (!deliverable(h) || h.batch) continue;
      if (h.due == kNever) h.due = Clock::now();
      any = true;
    }
    if (any) cv.notify_all();
  }

  void run() EXCLUDES(mu) {
    pthread_setname_np(pthread_self(), "webhooks");
    MutexLock lock(&mu);
    while (!stopping) {
      if (!leading) {  // another node delivers
        cv.wait(lock);
        continue;
      }
      // The hook due longest ago goes first, so under a steady stream of
      // commits no hook waits behind others that keep coming due.
      auto next = kNever;
      Hook* take = nullptr;
      Key key;
      const auto now = Clock::now();
      for (auto& [k, h] : hooks) {
        if (h.busy || h.due == kNever) continue;
        if (h.due <= now && (!take || h.due < take->due)) {
          take = &h;
          key = k;
        }
        next = std::min(next, h.due);
      }
      if (!take) {
        if (next == kNever)
          cv.wait(lock);
        else
          cv.wait_until(lock, next);
        continue;
      }
      take->busy = true;
      take->due = kNever;
      Hook work = *take;  // a copy: the worker runs without the lock
      lock.unlock();
      Clock::time_point result;
      try {
        result = step(work);
      } catch (const std::exception& e) {
        // The store failed (a full disk, an I/O error): the hook is tried
        // again later; nothing was acknowledged, so nothing is lost.
        std::cerr << "shelfsync: webhook " << key.second << ": " << e.what() << "\n";
        result = Clock::now() + options.backoff_min;
      }
      lock.lock();
      auto it = hooks.find(key);
      if (it == hooks.end()) continue;
      auto& h = it->second;
      h.busy = false;
      if (h.gone) {
        hooks.erase(it);
        continue;
      }
      if (h.stale) {  // changed meanwhile: what the worker learnt is void
        std::optional<WebhookRow> fresh;
        try {
          fresh = store_webhook(key);
        } catch (const std::exception& e) {
          // Still stale: read again after a pause (the database is away).
          std::cerr << "shelfsync: webhook " << key.second << ": " << e.what() << "\n";
          h.due = Clock::now() + options.backoff_min;
          continue;
        }
        h.stale = false;
        if (!fresh) {
          hooks.erase(it);
          continue;
        }
        load(*fresh);
        cv.notify_all();
        continue;
      }
      h.row = work.row;
      h.batch = std::move(work.batch);
      h.scanned = work.scanned;
      h.waited = work.waited;
      h.due = !deliverable(h) ? kNever : h.poked && !h.batch ? std::min(result, Clock::now()) : result;
      h.poked = false;
      cv.notify_all();
    }
  }

  // Keeps the lease, and the hooks as the store has them: on taking the
  // lease every hook is read again (another node may have moved its cursor);
  // while holding it, a hook changed through another node's API (a higher
  // version), created or deleted there, is read again each round.
  void keep_lease() EXCLUDES(mu) {
    pthread_setname_np(pthread_self(), "webhook-lease");
    MutexLock lock(&mu);
    while (!stopping) {
      lock.unlock();
      const bool held = store.holds_lease("webhooks");
      std::vector<WebhookRow> rows;
      bool read = false;
      try {
        if (held) rows = store.webhooks("");
        read = true;
      } catch (const std::exception& e) {
        std::cerr << "shelfsync: webhooks: " << e.what() << "\n";
      }
      lock.lock();
      if (held && read) adopt(rows, /*all=*/!leading);
      if (leading != (held && read)) {
        leading = held && read;
        cv.notify_all();
      }
      const auto round_end = Clock::now() + kLeaseRound;
      while (!stopping && Clock::now() < round_end) cv.wait_until(lock, round_end);
    }
  }

  void adopt(const std::vector<WebhookRow>& rows, bool all) REQUIRES(mu) {
    std::set<Key> stored;
    for (const auto& row : rows) {
      const Key key{row.tenant, row.id};
      stored.insert(key);
      auto it = hooks.find(key);
      if (it != hooks.end() && !all && row.version <= it->second.row.version) continue;
      if (it != hooks.end() && it->second.busy) {
        it->second.stale = true;  // the worker reads it again when done
        continue;
      }
      load(row);
    }
    for (auto it = hooks.begin(); it != hooks.end();) {
      if (stored.count(it->first)) {
        ++it;
      } else if (it->second.busy) {
        it->second.gone = true;
        ++it;
      } else {
        it = hooks.erase(it);
      }
    }
    cv.notify_all();
  }

  std::optional<WebhookRow> store_webhook(const Key& key) {
    for (auto& row : store.webhooks(key.first))
      if (row.id == key.second) return row;
    return std::nullopt;
  }

  Clock::time_point backoff(std::int64_t failures) {
    auto delay = options.backoff_min;
    for (std::int64_t i = 1; i < failures && delay < options.backoff_max; ++i) delay *= 2;
    delay = std::min(delay, options.backoff_max);
    // A random wait in [delay/2, delay]: many hooks failing together do not
    // retry together. Each worker thread has its own generator.
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::uniform_int_distribution<std::int64_t> jitter(delay.count() / 2, delay.count());
    return Clock::now() + std::chrono::milliseconds(jitter(rng));
  }

  // One step of one hook, without the lock: read a batch or send the one it
  // holds. Returns when to look at the hook again.
  Clock::time_point step(Hook& h) {
    if (!h.batch) {
      auto built = build_batch(h);
      if (built) return *built;
    }
    return send(h);
  }

  // Reads the next batch into h.batch; returns a time if there is nothing to
  // send now.
  std::optional<Clock::time_point> build_batch(Hook& h) {
    const auto tenant = store.tenant(h.row.tenant);
    if (!tenant) return kNever;
    Principal who{h.row.tenant, tenant->currency, Role::admin, "", "webhook:" + h.row.id, "", CustomerKind::retail};
    auto view = webhook_view(h.settings, who);
    if (!view) {
      pause(h, "its settings no longer hold: " + view.problem().detail);
      return kNever;
    }
    const auto since = std::max(h.row.cursor, h.scanned);
    auto batch = read_change_batch(store, who, view->topics, view->filter, since, options.batch_limit);
    if (!batch) {
      pause(h, "its cursor lies beyond what the change log keeps: replay it from a newer cursor");
      return kNever;
    }
    if (batch->changes.empty()) {
      h.scanned = batch->cursor;
      return batch->has_more ? Clock::now() : kNever;
    }
    // The batch window: wait once for more changes to come along.
    if (h.settings.batch_ms > 0 && !h.waited && !batch->has_more) {
      h.waited = true;
      return Clock::now() + std::chrono::milliseconds(h.settings.batch_ms);
    }
    h.waited = false;
    const auto id = h.row.id + "_" + encode_cursor(batch->cursor);
    h.batch = Batch{message_body(h.row.id, batch->cursor, batch->changes), id, batch->cursor,
                    static_cast<std::int64_t>(batch->changes.size()), 0};
    return std::nullopt;
  }

  Clock::time_point send(Hook& h) {
    auto& b = *h.batch;
    const auto key = webhook_key(h.row.secret).value_or("");
    const auto t = now_ms() / 1000;
    ++b.attempts;
    const auto answer = http.post(h.settings.url,
                                  {{"Content-Type", "application/json"},
                                   {"X-Shelfsync-Webhook", h.row.id},
                                   {"X-Shelfsync-Signature", shelfsync_signature(key, t, b.body)},
                                   {"webhook-id", b.message_id},
                                   {"webhook-timestamp", std::to_string(t)},
                                   {"webhook-signature", standard_signature(key, b.message_id, t, b.body)}},
                                  b.body);
    WebhookAttempt attempt{now_ms(),
                           b.message_id,
                           b.cursor,
                           b.changes,
                           b.attempts,
                           answer.status,
                           answer.body.substr(0, kAnswerExcerpt),
                           answer.error,
                           answer.duration_ms};
    if (answer.ok()) {
      record(h, attempt, [&](WebhookRow& row) {
        row.cursor = b.cursor;
        row.failures = 0;
      });
      h.scanned = b.cursor;
      h.batch.reset();
      return Clock::now();  // there may be more
    }
    if (attempt.error.empty()) attempt.error = "the receiver answered " + std::to_string(answer.status);
    const auto failures = h.row.failures + 1;
    if (failures >= options.pause_after) {
      pause(h, "the last " + std::to_string(failures) + " attempts failed; the last: " + attempt.error, &attempt);
      return kNever;
    }
    record(h, attempt, [&](WebhookRow& row) { row.failures = failures; });
    return backoff(failures);
  }

  void pause(Hook& h, const std::string& reason, const WebhookAttempt* attempt = nullptr) {
    const auto at = now_ms();
    record(
        h, attempt,
        [&](WebhookRow& row) {
          row.failures += attempt ? 1 : 0;
          row.paused_at = at;
          row.paused_reason = reason.substr(0, 1000);
        },
        reason);
  }

  // Applies `change` to the hook now and stores it with the attempt, unless
  // the hook was changed (or deleted) meanwhile; with `alert`, also raises
  // a webhook_paused alert in the same transaction. The write is not waited
  // for: a cursor stored late only means a batch resent after a crash,
  // which at-least-once allows, and the worker moves on without an fsync.
  template <class Change>
  void record(Hook& h, const WebhookAttempt* attempt, Change change, const std::string& alert = "") {
    const auto expected = h.row.version;
    change(h.row);
    auto job = [row = h.row, expected, attempt = attempt ? std::optional<WebhookAttempt>(*attempt) : std::nullopt,
                alert, url = h.settings.url, keep = options.keep_attempts](WriteTxn& txn) -> std::optional<Problem> {
      auto current = txn.webhook(row.tenant, row.id);
      if (!current) return std::nullopt;
      if (attempt) txn.add_webhook_attempt(row.tenant, row.id, *attempt, keep);
      if (current->version != expected) return std::nullopt;
      // Never back: a node that lost the lease mid-delivery may acknowledge
      // a batch after the node that took over acknowledged a later one.
      current->cursor = std::max(current->cursor, row.cursor);
      current->failures = row.failures;
      current->paused_at = row.paused_at;
      current->paused_reason = row.paused_reason;
      txn.put_webhook(*current);
      if (!alert.empty()) {
        const auto tenant = txn.tenant(row.tenant);
        const NormalizeContext ctx{now_ms(), tenant ? tenant->currency : ""};
        boost::json::object doc{
            {"kind", "webhook_paused"},
            {"webhook_id", row.id},
            {"message", ("Webhook " + row.id + " to " + url + " paused: " + alert).substr(0, kMaxNoteLength)}};
        const auto& alerts = *find_collection("alerts");
        auto w = new_internal_record(alerts, row.tenant, new_id(alerts.id_prefix()), doc, ctx, "");
        if (!w) return w.problem();
        txn.put(*w);
      }
      return std::nullopt;
    };
    store.write_async(std::move(job), [](const std::optional<Problem>&) {});
  }
  template <class Change>
  void record(Hook& h, const WebhookAttempt& attempt, Change change) {
    record(h, &attempt, change);
  }
};

WebhookDispatcher::WebhookDispatcher(Store& store, const HttpClient& http, DispatcherOptions options)
    : impl_(std::make_shared<Impl>(store, http, options)) {}

WebhookDispatcher::~WebhookDispatcher() { stop(); }

void WebhookDispatcher::listen() {
  impl_->store.add_commit_listener(
      [weak = std::weak_ptr<Impl>(impl_)](const std::string& tenant, const std::vector<CommittedChange>&) {
        if (auto impl = weak.lock()) impl->committed(tenant);
      });
}

void WebhookDispatcher::start() {
  impl_->threads.emplace_back([impl = impl_.get()] { impl->keep_lease(); });
  for (std::size_t i = 0; i < std::max<std::size_t>(1, impl_->options.workers); ++i)
    impl_->threads.emplace_back([impl = impl_.get()] { impl->run(); });
}

void WebhookDispatcher::stop() {
  {
    MutexLock lock(&impl_->mu);
    if (impl_->stopping && impl_->threads.empty()) return;
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  for (auto& t : impl_->threads) t.join();
  impl_->threads.clear();
}

void WebhookDispatcher::reload(const std::string& tenant, const std::string& id) {
  const auto row = impl_->store_webhook({tenant, id});
  MutexLock lock(&impl_->mu);
  auto it = impl_->hooks.find({tenant, id});
  if (it != impl_->hooks.end() && it->second.busy) {
    it->second.stale = true;  // the worker reads it again when done
    if (!row) it->second.gone = true;
    return;
  }
  if (!row) {
    if (it != impl_->hooks.end()) impl_->hooks.erase(it);
    return;
  }
  impl_->load(*row);
  impl_->cv.notify_all();
}

}  // namespace shelfsync

#pragma once
// Webhook delivery (SPEC §8): each hook is one more reader of its tenant's
// change log, with its own cursor (feed/change_batch.hpp reads for it, the
// same readers as sync and live). A hook's batches go out in seq order,
// one in flight at a time; a batch is POSTed until the receiver answers
// 2xx, the same body and `webhook-id` each time, with a fresh timestamp and
// signatures, after a backoff that doubles (with jitter); only then does the
// stored cursor move, so a restart or `kill -9` resends from the last batch
// acknowledged (at-least-once). A hook failing `pause_after` times in a row
// is paused (never deleted) and raises a `webhook_paused` alert; an admin
// resumes it (PATCH active, or a replay).
//
// Threads: `workers` delivery threads share the hooks; a commit only marks
// its tenant's hooks due (the store's commit listener must not block).

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "integrations/http_client.hpp"
#include "store/store.hpp"

namespace shelfsync {

struct DispatcherOptions {
  std::size_t workers = 4;
  std::size_t batch_limit = 100;  // changes per batch at most
  std::chrono::milliseconds backoff_min{1000};
  std::chrono::milliseconds backoff_max{300000};
  std::int64_t pause_after = 12;    // failed attempts in a row (with the defaults, about 35 min)
  std::size_t keep_attempts = 100;  // per hook, for GET .../deliveries
};

class WebhookDispatcher {
 public:
  WebhookDispatcher(Store& store, const HttpClient& http, DispatcherOptions options);
  ~WebhookDispatcher();
  WebhookDispatcher(const WebhookDispatcher&) = delete;
  WebhookDispatcher& operator=(const WebhookDispatcher&) = delete;

  // Registers the commit listener: call before the store's first write.
  void listen();
  // Loads every hook and starts delivering.
  void start();
  // Finishes the attempts in flight and stops.
  void stop();

  // A hook was created, changed, replayed or deleted: read it again.
  void reload(const std::string& tenant, const std::string& id);

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;  // the commit listener holds it weakly: it may outlive the dispatcher
};

}  // namespace shelfsync

#pragma once
// What a group-commit transaction keeps in memory beside the database, the
// same for every backend: each tenant's newest seq so far, counters read
// once and bumped in memory (written at the end: one statement per order
// was a twentieth of the writer's time), and the changes committed, for the
// listeners. A job that fails is undone in the database by its savepoint
// and here by abort_job.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace shelfsync {

class TxnJournal {
 public:
  std::map<std::string, std::int64_t> last_seq;                          // per tenant
  std::map<std::pair<std::string, std::string>, std::int64_t> counters;  // (tenant, name)
  std::map<std::string, std::vector<CommittedChange>> changes;           // per tenant, in seq order

  void begin_job() {
    job_last_seq_ = last_seq;
    job_counters_ = counters;
    job_change_counts_.clear();
    for (const auto& [tenant, list] : changes) job_change_counts_[tenant] = list.size();
  }

  void abort_job() {
    last_seq = job_last_seq_;
    counters = job_counters_;
    for (auto it = changes.begin(); it != changes.end();) {
      auto count = job_change_counts_.find(it->first);
      if (count == job_change_counts_.end()) {
        it = changes.erase(it);
      } else {
        it->second.resize(count->second);
        ++it;
      }
    }
  }

 private:
  std::map<std::string, std::int64_t> job_last_seq_;
  std::map<std::pair<std::string, std::string>, std::int64_t> job_counters_;
  std::map<std::string, std::size_t> job_change_counts_;
};

}  // namespace shelfsync

#include "feed/retention.hpp"

#include "store/store.hpp"

namespace shelfsync {

RetentionJob::RetentionJob(Store& store, std::chrono::seconds retention, std::chrono::seconds interval)
    : store_(store), retention_(retention), thread_("retention", interval, [this] { purge(); }) {}

void RetentionJob::purge() {
  store_.purge(now_ms() - std::chrono::duration_cast<std::chrono::milliseconds>(retention_).count());
}

}  // namespace shelfsync

#pragma once
// A SQLite VFS that is the platform's own, except that it times every sync
// (fsync) of a file: what durability costs per commit, on /metrics. The
// writer's connections open through it; readers never sync.

#include "util/histogram.hpp"

namespace shelfsync::sqlite {

// Registers the VFS once (not as the default) and returns its name.
const char* timed_vfs_name();
// Every sync through the VFS in this process, in seconds.
const Histogram& sync_seconds();

}  // namespace shelfsync::sqlite

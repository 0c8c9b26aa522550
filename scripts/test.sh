#!/usr/bin/env bash
# README's second command: install, build, and run every test — unit tests
# (ctest) and the integration suite against the real binary, first on the
# Release build, then again on a Debug build with ASan and UBSan. The browser
# tests of the pages run once, on the Release build; so do the store's
# contract tests and the integration suite on PostgreSQL (a throwaway
# cluster: scripts/pg-sandbox.sh), the multi-node tests included, and the
# static checks (scripts/lint.sh: the format and clang-tidy). After the
# Release suites, a Clang build with ThreadSanitizer checks the thread-safety
# annotations and runs the unit tests and the threads' integration tests,
# and every fuzz target runs for a minute (fuzz/).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}"

run_suite() {
  local dir=$1
  echo "== unit tests ($dir)"
  ctest --test-dir "$dir" --output-on-failure -j2
  echo "== integration tests ($dir)"
  SHELFSYNC_BIN="$PWD/$dir/shelfsync" tests/integration/run.sh
}

# The store contract and the integration suite again, every server on a
# fresh database of a throwaway PostgreSQL cluster (the cluster_* tests run
# only there: several servers share one database only on PostgreSQL).
# `run_postgres_suite DIR contract` runs the store's tests alone (the
# sanitized build's: the backend's own code under ASan and UBSan).
run_postgres_suite() {
  local dir=$1 what=${2:-all} pgdir url
  pgdir=$(mktemp -d)
  # Stopped whatever happens, so a failing run leaves no server behind.
  trap "scripts/pg-sandbox.sh stop '$pgdir'" EXIT
  url=$(scripts/pg-sandbox.sh start "$pgdir")
  echo "== store contract tests on PostgreSQL ($dir)"
  SHELFSYNC_TEST_PG=$url "$dir/shelfsync_unit_tests" --gtest_filter='*StoreContract*:Nodes.*'
  if [ "$what" = all ]; then
    echo "== integration tests on PostgreSQL ($dir)"
    SHELFSYNC_TEST_PG=$url SHELFSYNC_BIN="$PWD/$dir/shelfsync" tests/integration/run.sh
    # Alone: it restarts the database every other test uses.
    echo "== the database restarted under load ($dir)"
    SHELFSYNC_TEST_PG=$url SHELFSYNC_TEST_PG_DIR=$pgdir SHELFSYNC_BIN="$PWD/$dir/shelfsync" \
      node --test tests/integration/cluster_db_restart.test.mjs
  fi
  scripts/pg-sandbox.sh stop "$pgdir"
  trap - EXIT
}

echo "== format check"
scripts/lint.sh format
scripts/build.sh release
echo "== clang-tidy"
scripts/lint.sh tidy build
run_suite build
run_postgres_suite build
echo "== live load smoke (build): bench/live_scenario.sh smoke"
BUILD=build bench/live_scenario.sh smoke
echo "== browser tests (build)"
SHELFSYNC_BIN="$PWD/build/shelfsync" tests/browser/run.sh

# The Clang build is the ThreadSanitizer build: compiling it checks the
# locking rules (GUARDED_BY, REQUIRES; a broken one fails the build), and
# running it reports every data race its tests provoke. The unit tests run
# whole (the store's also on PostgreSQL: the log follower and the leases);
# of the integration suite, the files that drive the server's threads
# against each other: HTTP workers, the writer, the hub and live IO (live
# fan-out over WebSocket and SSE), the webhooks' dispatcher, the sale timer,
# the stats publisher and the long polls. A unit test stops at its first
# race (TSAN_OPTIONS, above). A server goes on (a dead server leaves a live
# test's client retrying for ever) and writes its reports to files; any
# file fails the step, also a race the tests would not notice (in a
# server's shutdown). No suppressions: every race found so far was ours,
# and is fixed.
echo "== ThreadSanitizer build, with -Wthread-safety (build-clang)"
scripts/build.sh clang
echo "== unit tests under ThreadSanitizer (build-clang)"
ctest --test-dir build-clang --output-on-failure -j2
run_postgres_suite build-clang contract
echo "== integration tests of the threads under ThreadSanitizer (build-clang)"
tsan_reports=$(mktemp -d)
if ! TSAN_OPTIONS="$TSAN_OPTIONS:halt_on_error=0:log_path=$tsan_reports/race" SHELFSYNC_BIN="$PWD/build-clang/shelfsync" \
  node --test --test-concurrency=2 \
  tests/integration/{live_random,orders_race,webhooks,stock_property,sale_timer,stats,sync}.test.mjs ||
  compgen -G "$tsan_reports/race.*" >/dev/null; then
  cat "$tsan_reports"/race.* 2>/dev/null || true
  echo "integration tests under ThreadSanitizer failed (its reports, if any, above)" >&2
  exit 1
fi
rm -rf "$tsan_reports"

# The fuzz targets (fuzz/), 60 s each from their committed corpora, under
# ASan and UBSan: a crash, leak or failed check fails CI and names the input.
echo "== fuzz targets, 60 s each (build-fuzz)"
scripts/fuzz.sh 60

if [ "${SHELFSYNC_SKIP_SANITIZE:-0}" != 1 ]; then
  scripts/build.sh sanitize
  # Sanitized code runs several times slower: the slow-reader test streams
  # 30,000 changes here (still past the hub's ring, so the catch-up from the
  # store is exercised) instead of the Release run's 100,000.
  # Memory bounds are looser there: ASan keeps freed memory in quarantine
  # and adds shadow memory (the slow reader's, and the unread snapshots').
  SLOW_READER_PATCHES=${SLOW_READER_PATCHES:-30000} SLOW_READER_RSS_HEADROOM_MIB=1024 \
    SNAPSHOT_MEMORY_RSS_HEADROOM_MIB=1200 \
    run_suite build-asan
  run_postgres_suite build-asan contract
fi
echo "all tests passed"

#!/usr/bin/env bash
# Benchmark: start-up time with a large catalog and a long change log (issue
# 14; docs/benchmarks.md "Start-up"). Seeds N products once (each a create in
# the log) and keeps the database under bench/out/startup for later runs,
# then starts `serve` RUNS times, pinned to CPU 0, and times from the spawn
# to the first answer of /health and of a product page (bench/startup.mjs).
#
#   bench/startup.sh [products=1000000] [runs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
RUNS=${2:-3}
BIN=${SHELFSYNC_BIN:-build/shelfsync}
. bench/common.sh
cmake --build build --target bench_seed -j2 >/dev/null
DIR=bench/out/startup
DB="$DIR/catalog-$N.db"
mkdir -p "$DIR"
if [ ! -s "$DIR/token-$N" ]; then
  rm -f "$DB" "$DB-wal" "$DB-shm"
  build/bench_seed "sqlite:$DB" "startup" "$N" > "$DIR/token-$N"
fi
bench_machine
echo "database: $(du -h "$DB" | cut -f1), $N products, $(sqlite3 "$DB" 'SELECT COUNT(*) FROM changes' 2>/dev/null || echo '?') log entries"
for i in $(seq "$RUNS"); do
  node bench/startup.mjs "$BIN" "sqlite:$DB" "$(cat "$DIR/token-$N")"
done

#!/usr/bin/env bash
# Benchmark: "1 change since cursor" sync latency on a small and a large
# catalog (issue "Live core" 6c; docs/benchmarks.md). Cost must follow the
# number of changes, not the catalog.
#
#   bench/sync_latency.sh [small=1000] [large=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh  # BENCH_LIMITS
SMALL=${1:-1000}
LARGE=${2:-1000000}
BIN=${SHELFSYNC_BIN:-build/shelfsync}
cmake --build build --target bench_seed -j2 >/dev/null
OUT=bench/out/sync
rm -rf "$OUT" && mkdir -p "$OUT"

for N in "$SMALL" "$LARGE"; do
  DB="sqlite:$OUT/catalog-$N.db"
  TOKEN=$(build/bench_seed "$DB" "bench$N" "$N")
  PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  "$BIN" serve --listen "127.0.0.1:$PORT" --db "$DB" $BENCH_LIMITS > "$OUT/server-$N.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do grep -q listening "$OUT/server-$N.log" && break; sleep 0.1; done
  echo -n "$N products: "
  node bench/sync_latency.mjs "http://127.0.0.1:$PORT" "$TOKEN" 300
  kill $SERVER; wait $SERVER 2>/dev/null || true
done

#!/usr/bin/env bash
# GET /api/stats for the last 30 days with 10,000 and with 1,000,000 orders
# in the store (spread over 30 days, seeded in-process through the record
# write path by bench_seed_orders): median and p99 per call, to show the
# cost does not grow with the number of orders (docs/benchmarks.md,
# "Figures (issue 15)").
#   bench/stats.sh [calls=500]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
CALLS=${1:-500}
cmake --build build --target bench_seed_orders -j2 >/dev/null
bench_machine
for N in 10000 1000000; do
  bench_start "stats-$N"
  kill $SERVER; wait $SERVER 2>/dev/null || true
  db="$OUT/stats-$N.db"
  t=$(sqlite3 "$db" 'SELECT id FROM tenants LIMIT 1')
  $PIN_SERVER build/bench_seed_orders "$db" "$t" "$N" 30
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  $PIN_SERVER "$BIN" serve --listen "127.0.0.1:$port" --db "sqlite:$db" $BENCH_LIMITS > "$OUT/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do grep -q listening "$OUT/server.log" && break; sleep 0.1; done
  BASE="http://127.0.0.1:$port"
  $PIN_LOAD node bench/stats.mjs "$BASE" "$TOKEN" "$CALLS" "$N"
  kill $SERVER; wait $SERVER 2>/dev/null || true
done

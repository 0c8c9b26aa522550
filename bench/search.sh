#!/usr/bin/env bash
# Benchmark: `GET /api/products?q=` and a repeated `GET /api/sync/digest`
# on a small and a large catalog (docs/benchmarks.md). Neither may cost a
# scan of the catalog per call.
#
#   bench/search.sh [small=1000] [large=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
SMALL=${1:-1000}
LARGE=${2:-100000}
cmake --build build --target bench_seed -j2 >/dev/null
OUT=bench/out/search
rm -rf "$OUT" && mkdir -p "$OUT"
bench_machine

for N in "$SMALL" "$LARGE"; do
  DB="sqlite:$OUT/catalog-$N.db"
  TOKEN=$(build/bench_seed "$DB" "bench$N" "$N")
  PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  "$BIN" serve --listen "127.0.0.1:$PORT" --db "$DB" $BENCH_LIMITS > "$OUT/server-$N.log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 100); do grep -q listening "$OUT/server-$N.log" && break; sleep 0.1; done
  echo "$N products ($BIN):"
  node bench/search.mjs "http://127.0.0.1:$PORT" "$TOKEN" 200
  kill $SERVER; wait $SERVER 2>/dev/null || true
done

#!/usr/bin/env bash
# GET /api/sync/digest on a catalog of 1,000 and of 1,000,000 products: the
# whole view (admin: every product; public: the active ones) and a 40-id
# scope (what a page of the shop follows), median and p99 per call, to show
# the cost does not grow with the catalog (docs/benchmarks.md, "Digest
# (issue 17)"). Server on CPU 0, load on CPU 1.
#   bench/digest.sh [calls=300] [small=1000] [large=1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
CALLS=${1:-300}
SMALL=${2:-1000}
LARGE=${3:-1000000}
cmake --build build --target bench_seed -j2 >/dev/null
OUT=bench/out/digest
rm -rf "$OUT" && mkdir -p "$OUT"
bench_machine
for N in "$SMALL" "$LARGE"; do
  bench_serve_catalog "bench$N" "$N"
  $PIN_LOAD node bench/digest.mjs "$BASE" "$ADMIN" "$PUBLIC" "$CALLS" "$N"
  kill $SERVER; wait $SERVER 2>/dev/null || true
done

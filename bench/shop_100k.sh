#!/usr/bin/env bash
# The shop on a catalog of 100,000 products in real Chromium (SPEC §9): time
# to the first screen (empty cache and a revisit), the page's JS heap after
# loading and after browsing 30 pages and 10 searches, what the page keeps
# in IndexedDB, and the server's own counters: the ids the page follows and
# the changes it is sent while products on and off screen change
# (docs/benchmarks.md, "The shop on 100,000 products (issue 17)").
# Server on CPU 0, Chromium and the load on CPU 1.
#   bench/shop_100k.sh [products=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
N=${1:-100000}
cmake --build build --target bench_seed -j2 >/dev/null
[ -d tests/browser/node_modules ] || (cd tests/browser && npm ci --no-audit --no-fund --silent)
OUT=bench/out/shop_100k
rm -rf "$OUT" && mkdir -p "$OUT"
bench_machine
bench_serve_catalog shop100k "$N"
$PIN_LOAD node bench/shop_100k.mjs "$BASE" "$ADMIN" "$PUBLIC" "$N"

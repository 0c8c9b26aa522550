#!/usr/bin/env bash
# Benchmark: acknowledged product PATCHes per second with 32 concurrent
# clients (issue "Foundation", docs/benchmarks.md). Every 200 means the
# change is committed durably (WAL fsynced) with its change-log entry.
#
#   bench/patch_throughput.sh [seconds=15] [connections=32] [products=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONNECTIONS=${2:-32}
PRODUCTS=${3:-1000}
. bench/common.sh
bench_need_wrk
bench_start bench

# Seed products in parallel batches.
BASE="$BASE" TOKEN=$TOKEN N=$PRODUCTS node -e '
  const {BASE, TOKEN, N} = process.env; const ids = [];
  (async () => {
    for (let i = 0; i < N; i += 50) {
      const batch = await Promise.all(Array.from({length: Math.min(50, N - i)}, (_, k) =>
        fetch(BASE + "/api/products", {method: "POST", headers: {authorization: "Bearer " + TOKEN,
          "content-type": "application/json"}, body: JSON.stringify({title: "Bench " + (i + k),
          price: 1999, status: "active", tags: ["bench"], variants: [{options: {}, stock: 100}]})})
          .then(r => r.json())));
      for (const p of batch) ids.push(p.id);
    }
    require("fs").writeFileSync("bench/out/ids.txt", ids.join("\n") + "\n");
  })();'

bench_machine
echo "PATCH throughput: $CONNECTIONS connections, $DURATION s, $PRODUCTS products"
BENCH_TOKEN=$TOKEN BENCH_IDS=$OUT/ids.txt $PIN_LOAD wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
  -s bench/patch.lua "$BASE" | tee "$OUT/wrk.txt"
bench_writer_figures
if grep -q "Non-2xx" "$OUT/wrk.txt"; then echo "FAILED: some PATCHes were not acknowledged" >&2; exit 1; fi

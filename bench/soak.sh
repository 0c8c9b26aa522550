#!/usr/bin/env bash
# A soak: SOAK_SECONDS (default 1800) of mixed load on one server — edits
# delivered to WebSocket and SSE subscribers, orders, stock adjusts, syncs,
# payments, subscriber churn, a webhook (bench/soak.mjs says what and how
# much). The server runs pinned to CPU 0, the load to CPU 1. Every 10 s a
# line of bench/out/soak/soak.csv: the server's RSS, open descriptors and
# threads, delivery and request latency (from each action's due time).
# The last lines compare the first and the last fifth of the run.
#
#   bench/soak.sh            # 30 minutes
#   SOAK_SECONDS=120 bench/soak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh  # BENCH_LIMITS, PIN_SERVER, PIN_LOAD, bench_start
SECONDS_TO_RUN=${SOAK_SECONDS:-1800}
[ -d tests/integration/node_modules ] || (cd tests/integration && npm ci --no-audit --no-fund --silent)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
SERVE_FLAGS="--webhook-allow 127.0.0.1/32 ${SERVE_FLAGS:-}" bench_start soak
OUT=bench/out/soak
mkdir -p "$OUT"
bench_machine
echo "server: $("$BIN" --version 2>/dev/null || echo "$BIN"), pid $SERVER; load for $SECONDS_TO_RUN s"
$PIN_LOAD node bench/soak.mjs "$BASE" "$TOKEN" "$SERVER" "$SECONDS_TO_RUN" "$OUT/soak.csv"

# First fifth against last fifth: medians of each column's samples.
node -e '
const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n");
const head = lines[0].split(","), rows = lines.slice(1).map((l) => l.split(",").map(Number));
const fifth = Math.max(1, Math.floor(rows.length / 5));
const median = (rs, i) => { const v = rs.map((r) => r[i]).sort((a, b) => a - b); return v[Math.floor(v.length / 2)]; };
const max = (rs, i) => Math.max(...rs.map((r) => r[i]));
for (const name of ["rss_mib", "fds", "sockets", "other_fds", "live_connections", "http_pool", "threads", "delivery_p50_ms", "delivery_p99_ms", "request_p50_ms", "request_p99_ms"]) {
  const i = head.indexOf(name);
  console.log(`${name.padEnd(16)} first fifth ${median(rows.slice(0, fifth), i)}  last fifth ${median(rows.slice(-fifth), i)}  max ${max(rows, i)}`);
}
const errors = head.indexOf("errors");
console.log(`errors: ${rows.reduce((s, r) => s + r[errors], 0)}`);
' "$OUT/soak.csv"

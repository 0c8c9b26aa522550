#!/usr/bin/env bash
# Live fan-out benchmark: edit → change received latency and deliveries/s
# with 1,000 and 10,000 WebSocket subscribers of one product (batch_ms 0).
#   bench/live_fanout.sh [subscriber counts...]   (default: 1000 10000)
# Environment: BUILD (default build), SHELFSYNC_BIN, SERVE_FLAGS (extra
# `serve` options), LOAD_FLAGS (extra bench_live_load options, e.g.
# "--rounds 100 --flood 10 --threads 1").
set -euo pipefail
# The load comes from one address, far past a public deployment's abuse
# limits (docs/api.md "Limits"): benchmarks lift them.
BENCH_LIMITS="--rate-limit 0 --token-rate-limit 0 --max-connections-per-ip 0 --max-live-per-token 0"
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
BIN=${SHELFSYNC_BIN:-$BUILD/shelfsync}
cmake --build "$BUILD" --target bench_live_load -j2 > /dev/null
LOAD=$BUILD/bench_live_load
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # 10,000 sockets on each side
OUT=bench/out/live
rm -rf "$OUT" && mkdir -p "$OUT"
for n in ${@:-1000 10000}; do
  DB="sqlite:$OUT/live-$n.db"
  TOKEN=$("$BIN" tenant create "live$n" --db "$DB" --json | sed -n 's/.*"admin_token": *"\([^"]*\)".*/\1/p')
  # shellcheck disable=SC2086
  "$BIN" serve --listen 127.0.0.1:0 --db "$DB" $BENCH_LIMITS ${SERVE_FLAGS:-} > "$OUT/server-$n.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do grep -q listening "$OUT/server-$n.log" && break; sleep 0.1; done
  URL=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$OUT/server-$n.log")
  echo "== $n subscribers"
  # shellcheck disable=SC2086
  "$LOAD" "$URL" "$TOKEN" "$n" ${LOAD_FLAGS:-}
  echo "server RSS: $(grep VmRSS /proc/$SERVER/status)"
  kill $SERVER; wait $SERVER 2>/dev/null || true
done

#!/usr/bin/env bash
# Live fan-out benchmark: edit → change received latency and deliveries/s
# with 1,000 and 10,000 WebSocket subscribers of one product (batch_ms 0).
#   bench/live_fanout.sh [subscriber counts...]   (default: 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SHELFSYNC_BIN:-build/shelfsync}
[ -d tests/integration/node_modules ] || (cd tests/integration && npm ci --no-audit --no-fund --silent)
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # 10,000 sockets on each side
OUT=bench/out/live
rm -rf "$OUT" && mkdir -p "$OUT"
for N in "${@:-1000 10000}"; do
  for n in $N; do
    DB="sqlite:$OUT/live-$n.db"
    TOKEN=$("$BIN" tenant create "live$n" --db "$DB" --json | node -pe 'JSON.parse(require("fs").readFileSync(0)).admin_token')
    PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    "$BIN" serve --listen "127.0.0.1:$PORT" --db "$DB" > "$OUT/server-$n.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 100); do grep -q listening "$OUT/server-$n.log" && break; sleep 0.1; done
    echo "== $n subscribers"
    node bench/live_fanout.mjs "http://127.0.0.1:$PORT" "$TOKEN" "$n" 50 10
    echo "server RSS: $(grep VmRSS /proc/$SERVER/status)"
    kill $SERVER; wait $SERVER 2>/dev/null || true
  done
done

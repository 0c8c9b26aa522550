#!/usr/bin/env bash
# Live delivery under load (docs/benchmarks.md "Live delivery under load"):
# the server pinned to CPU 0, the load client (bench/live_load) to CPU 1,
# WebSocket or SSE subscribers with batch_ms 0, edits as product PATCHes on a
# fixed schedule by 32 connections, latency from each edit's due time.
#
#   bench/live_scenario.sh SCENARIO [runs=3]
#     S1        1,000 subscribers of one product, 100 edits/s
#     S2        10,000 subscribers of one product, 20 edits/s
#     S3        10,000 subscribers over 1,000 products (10 each), 1,000 edits/s
#     S1-sse, S3-sse   the same over SSE
#     ceiling   S2 with the edit rate doubled from 5/s (CEILING_START) until p99
#               passes 100 ms (CEILING_P99)
#     idle      15,000 idle WebSocket subscribers: server RSS per subscriber
#     smoke     100 subscribers over 10 products, 50 edits/s for 10 s, one run (CI)
#
# Each run starts a fresh server on a fresh database; the figures printed last
# are the medians over the runs, with the loopback floor (bench_loopback_floor,
# pinned the same way) beside them. Environment: BUILD (default build),
# SHELFSYNC_BIN, SERVE_FLAGS, SECONDS_PER_RUN (default 10).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh  # BENCH_LIMITS, PIN_SERVER and PIN_LOAD
BUILD=${BUILD:-build}
BIN=${SHELFSYNC_BIN:-$BUILD/shelfsync}
SCENARIO=${1:?usage: bench/live_scenario.sh S1|S2|S3|S1-sse|S3-sse|ceiling|idle|smoke [runs]}
RUNS=${2:-3}
DURATION=${SECONDS_PER_RUN:-10}
cmake --build "$BUILD" --target bench_live_load bench_loopback_floor -j2 > /dev/null
LOAD=$BUILD/bench_live_load
FLOOR=$BUILD/bench_loopback_floor
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true  # 15,000 sockets on each side
OUT=bench/out/live-$SCENARIO
rm -rf "$OUT" && mkdir -p "$OUT"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# run NAME LOAD_ARGS...: one server, one load run; appends its result line.
run() {
  local name=$1; shift
  local db="sqlite:$OUT/$name.db" token url server ticks
  token=$("$BIN" tenant create "$name" --db "$db" --json | sed -n 's/.*"admin_token": *"\([^"]*\)".*/\1/p')
  # shellcheck disable=SC2086
  $PIN_SERVER "$BIN" serve --listen 127.0.0.1:0 --db "$db" $BENCH_LIMITS ${SERVE_FLAGS:-} > "$OUT/$name.server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do grep -q listening "$OUT/$name.server.log" && break; sleep 0.1; done
  url=$(sed -n 's/^listening on \(http:[^ ]*\).*/\1/p' "$OUT/$name.server.log")
  ticks=$(cpu_ticks $server)
  $PIN_LOAD "$LOAD" "$url" "$token" --server-pid $server "$@" | tee "$OUT/$name.txt"
  echo "server CPU during the run: $(( ($(cpu_ticks $server) - ticks) * 10 )) ms (user + system)" | tee -a "$OUT/$name.txt"
  curl -s "$url/metrics" | grep -E '^shelfsync_live_(versions_coalesced|catchups)|^shelfsync_http_io_wait' > "$OUT/$name.metrics" || true
  kill $server; wait $server 2>/dev/null || true
  grep '^result ' "$OUT/$name.txt" >> "$OUT/results"
}

# medians of every key=value over the result lines
medians() {
  local key line=""
  for key in $(head -1 "$1" | tr ' ' '\n' | sed -n 's/=.*//p'); do
    line+="$key=$(tr ' ' '\n' < "$1" | sed -n "s/^$key=//p" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}') "
  done
  echo "$line"
}

floor() {
  echo "== floor: bench_loopback_floor $1 connections, one sender on CPU 0, the reader on CPU 1"
  $FLOOR "$1" 30 1 --pin 0,1 --flood 3 | tail -3
}

scenario() {
  local subs=$1 products=$2 rate=$3; shift 3
  for r in $(seq "$RUNS"); do
    echo "== $SCENARIO run $r: $subs subscribers, $products product(s), $rate edits/s for $DURATION s $*"
    run "run$r" --subscribers "$subs" --products "$products" --rate "$rate" --seconds "$DURATION" "$@"
  done
  echo "== $SCENARIO median of $RUNS: $(medians "$OUT/results")"
}

echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1048576)}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
case $SCENARIO in
  S1) scenario 1000 1 100; floor 1000 ;;
  S2) scenario 10000 1 20; floor 9900 ;;
  S3) scenario 10000 1000 1000; floor 10 ;;
  S1-sse) scenario 1000 1 100 --transport sse; floor 1000 ;;
  S3-sse) scenario 10000 1000 1000 --transport sse; floor 10 ;;
  smoke)
    # CI: the load generator against the real server must still run, and
    # every version must reach every subscriber, once and in order.
    RUNS=1 scenario 100 10 50
    grep -q 'delivered_pct=100.000 .*duplicates=0 backwards=0 failed=0' "$OUT/results" ||
      { echo "smoke: a version was lost, repeated or out of order" >&2; exit 1; } ;;
  idle)
    for r in $(seq "$RUNS"); do run "idle$r" --subscribers 15000 --hold 5; done
    echo "== idle median of $RUNS: $(medians "$OUT/results")" ;;
  ceiling)
    rate=${CEILING_START:-5}
    while true; do
      : > "$OUT/results"
      for r in $(seq "$RUNS"); do
        echo "== ceiling $rate edits/s run $r"
        run "rate$rate-$r" --subscribers 10000 --products 1 --rate "$rate" --seconds "$DURATION"
      done
      m=$(medians "$OUT/results")
      echo "== ceiling $rate edits/s median of $RUNS: $m"
      p99=$(sed -n 's/.* p99_ms=\([0-9.]*\).*/\1/p' <<< " $m")
      awk -v p="$p99" -v bound="${CEILING_P99:-100}" 'BEGIN {exit !(p > bound)}' && break
      [ "$rate" -ge 5120 ] && break
      rate=$((rate * 2))
    done
    floor 9900 ;;
  *) echo "unknown scenario $SCENARIO" >&2; exit 2 ;;
esac

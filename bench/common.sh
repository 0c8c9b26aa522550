# Sourced by the bench scripts: installs wrk when asked, creates a tenant on
# a fresh database under bench/out and starts the server on a free port.
# After `bench_start NAME`: BASE, TOKEN (admin), SERVER (pid); the server is
# stopped when the script exits.
BIN=${SHELFSYNC_BIN:-build/shelfsync}
OUT=bench/out
# The server on CPU 0 and the load on CPU 1, so a figure is the server's
# (BENCH_PIN=0: unpinned, as the figures before issue 14 were taken).
if [ "${BENCH_PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ]; then
  PIN_SERVER="taskset -c 0" PIN_LOAD="taskset -c 1"
else
  PIN_SERVER="" PIN_LOAD=""
fi
# The load comes from one address, far past a public deployment's abuse
# limits (docs/api.md "Limits"): benchmarks lift them.
BENCH_LIMITS="--rate-limit 0 --token-rate-limit 0 --max-connections-per-ip 0 --max-live-per-token 0"

bench_need_wrk() {
  command -v wrk >/dev/null && return
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -qq wrk >/dev/null
}

bench_machine() {
  echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1048576)}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
}

bench_start() {
  rm -rf "$OUT" && mkdir -p "$OUT"
  local db="sqlite:$OUT/$1.db" port
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  TOKEN=$("$BIN" tenant create "$1" --db "$db" --json | node -pe 'JSON.parse(require("fs").readFileSync(0)).admin_token')
  $PIN_SERVER "$BIN" serve --listen "127.0.0.1:$port" --db "$db" $BENCH_LIMITS ${SERVE_FLAGS:-} > "$OUT/server.log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 50); do grep -q listening "$OUT/server.log" && break; sleep 0.1; done
  BASE="http://127.0.0.1:$port"
}

# Seeds PRODUCTS products for tenant NAME into a fresh database under $OUT
# (bench_seed, straight into the store) and serves it. After
# `bench_serve_catalog NAME PRODUCTS`: BASE, ADMIN and PUBLIC (tokens),
# SERVER (pid, stopped when the script exits).
bench_serve_catalog() {
  local db="sqlite:$OUT/catalog-$2.db" port
  ADMIN=$(build/bench_seed "$db" "$1" "$2" 2>/dev/null)
  PUBLIC=$("$BIN" token create --tenant "$1" --role public --db "$db" --json |
    node -pe 'JSON.parse(require("fs").readFileSync(0)).token')
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  $PIN_SERVER "$BIN" serve --listen "127.0.0.1:$port" --db "$db" $BENCH_LIMITS > "$OUT/server-$2.log" 2>&1 &
  SERVER=$!
  trap 'kill $SERVER 2>/dev/null || true' EXIT
  for _ in $(seq 100); do grep -q listening "$OUT/server-$2.log" && break; sleep 0.1; done
  BASE="http://127.0.0.1:$port"
}

# The writer's figures from /metrics since the server started: commits,
# their mean size and duration, fsyncs and their mean duration.
bench_writer_figures() {
  curl -s "$BASE/metrics" | awk '
    /^shelfsync_writer_group_commit_size_sum / {gs=$2} /^shelfsync_writer_group_commit_size_count / {gc=$2}
    /^shelfsync_writer_commit_seconds_sum / {cs=$2}
    /^shelfsync_store_fsync_seconds_sum / {fs=$2} /^shelfsync_store_fsync_seconds_count / {fc=$2}
    END { if (gc > 0) printf "writer: %d commits, %.1f writes per commit, commit mean %.2f ms; %d fsyncs, mean %.3f ms\n",
          gc, gs/gc, 1000*cs/gc, fc, (fc > 0 ? 1000*fs/fc : 0) }'
}

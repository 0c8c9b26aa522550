#!/usr/bin/env bash
# Benchmark: the PostgreSQL backend on 1 and 3 nodes (issue "Scale out",
# docs/benchmarks.md): acknowledged PATCHes/s and orders/s, and edit →
# delivery latency from one node to subscribers on the others. A throwaway
# PostgreSQL cluster (scripts/pg-sandbox.sh) and every node run on CPU 0,
# the load on CPU 1: on two cores three nodes share one, so the 3-node
# figures are the cost of coordinating (the tenant's lock, the
# notifications), not a scale-out.
#
#   bench/postgres_nodes.sh [seconds=15] [connections=30]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONNECTIONS=${2:-30}
. bench/common.sh
bench_need_wrk
rm -rf "$OUT" && mkdir -p "$OUT"
PGDIR=$(mktemp -d)
NODES=()
cleanup() {
  for pid in "${NODES[@]}"; do kill "$pid" 2>/dev/null || true; done
  scripts/pg-sandbox.sh stop "$PGDIR"
}
trap cleanup EXIT
URL=$(scripts/pg-sandbox.sh start "$PGDIR")
taskset -cp 0 "$(head -1 "$PGDIR/data/postmaster.pid")" >/dev/null  # the postmaster; its backends inherit CPU 0

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# start_nodes DB N: N nodes on database DB; fills BASES.
start_nodes() {
  local db=$1 n=$2 i port
  BASES=()
  for i in $(seq "$n"); do
    port=$(free_port)
    $PIN_SERVER "$BIN" serve --listen "127.0.0.1:$port" --db "$db" --media "$OUT/media" $BENCH_LIMITS \
      > "$OUT/node-$i.log" 2>&1 &
    NODES+=($!)
    for _ in $(seq 100); do grep -q listening "$OUT/node-$i.log" && break; sleep 0.1; done
    BASES+=("http://127.0.0.1:$port")
  done
}

stop_nodes() {
  for pid in "${NODES[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${NODES[@]}"; do wait "$pid" 2>/dev/null || true; done
  NODES=()
}

# run_wrk SCRIPT: wrk against every node at once, the connections split
# between them; prints the summed requests/s.
run_wrk() {
  local script=$1 per=$((CONNECTIONS / ${#BASES[@]})) i=0 base pids=()
  rm -f "$OUT"/wrk-*.txt
  for base in "${BASES[@]}"; do
    i=$((i + 1))
    $PIN_LOAD wrk -t1 -c"$per" -d"${DURATION}s" --latency -s "$script" "$base" > "$OUT/wrk-$i.txt" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}"
  if grep -q "Non-2xx\|unexpected status" "$OUT"/wrk-*.txt; then echo "FAILED: some requests were not acknowledged" >&2; exit 1; fi
  awk '/^Requests\/sec/ {s += $2} END {printf "%.0f", s}' "$OUT"/wrk-*.txt
  echo -n "  (p99 per node:"; awk '/ 99%/ {printf " %s", $2}' "$OUT"/wrk-*.txt; echo ")"
}

bench_machine
echo "PostgreSQL $(psql "$URL" -Atc 'SHOW server_version'), fsync on, synchronous_commit on"
for n in 1 3; do
  db="${URL%/*}/bench_$n"
  psql "$URL" -qc "CREATE DATABASE bench_$n" >/dev/null
  TOKEN=$("$BIN" tenant create bench --db "$db" --json | node -pe 'JSON.parse(require("fs").readFileSync(0)).admin_token')
  start_nodes "$db" "$n"
  BASE=${BASES[0]} TOKEN=$TOKEN node -e '
    const {BASE, TOKEN} = process.env; const ids = [];
    const post = (body) => fetch(BASE + "/api/products", {method: "POST", headers: {authorization: "Bearer " + TOKEN,
      "content-type": "application/json"}, body: JSON.stringify(body)}).then((r) => r.json());
    (async () => {
      for (let i = 0; i < 1000; i += 50)
        for (const p of await Promise.all(Array.from({length: 50}, (_, k) => post({title: "Bench " + (i + k),
          price: 1999, status: "active", variants: [{options: {}, stock: 100}]})))) ids.push(p.id);
      require("fs").writeFileSync("bench/out/ids.txt", ids.join("\n") + "\n");
      const hot = await post({id: "hot", title: "Hot", price: 1999, status: "active", variants: [{options: {}, stock: 1e9}]});
      require("fs").writeFileSync("bench/out/order.json", JSON.stringify({items: [{product_id: "hot",
        variant_id: hot.variants[0].id, qty: 1, unit_price: 1999}]}));
    })();'
  echo "== $n node(s), $CONNECTIONS connections, $DURATION s each"
  echo -n "PATCH /api/products/{id} (1,000 products): acknowledged/s "
  BENCH_TOKEN=$TOKEN BENCH_IDS=$OUT/ids.txt run_wrk bench/patch.lua
  echo -n "POST /api/orders (one hot product): orders/s "
  BENCH_TOKEN=$TOKEN BENCH_ORDER=$(cat "$OUT/order.json") run_wrk bench/order.lua
  if [ "$n" -gt 1 ]; then
    echo -n "edit → delivery across nodes: "
    $PIN_LOAD node bench/cross_node_latency.mjs "$TOKEN" 200 10 "${BASES[@]}"
  else
    echo -n "edit → delivery on one node: "
    $PIN_LOAD node bench/cross_node_latency.mjs "$TOKEN" 200 10 "${BASES[0]}" "${BASES[0]}"
  fi
  stop_nodes
done

#!/usr/bin/env bash
# Benchmark: orders per second on one hot product (issue "Commerce",
# docs/benchmarks.md). Every 201 is a committed, fsynced order with its
# stock cut, ledger entry and alert. Afterwards it checks that nothing was
# oversold: units sold + stock left = the starting stock, and the stock
# equals the sum of the variant's movements.
#
#   bench/orders_hot_product.sh [seconds=15] [connections=64] [stock=1000000000]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-15}
CONNECTIONS=${2:-64}
STOCK=${3:-1000000000}
. bench/common.sh
bench_need_wrk
bench_start bench

ORDER=$(BASE=$BASE TOKEN=$TOKEN STOCK=$STOCK node -e '
  const {BASE, TOKEN, STOCK} = process.env;
  (async () => {
    const r = await fetch(BASE + "/api/products", {method: "POST", headers: {authorization:
      "Bearer " + TOKEN, "content-type": "application/json"}, body: JSON.stringify({id: "hot",
      title: "Hot product", price: 1999, status: "active", variants: [{options: {}, stock: +STOCK}]})});
    const p = await r.json();
    console.log(JSON.stringify({items: [{product_id: p.id, variant_id: p.variants[0].id, qty: 1,
      unit_price: 1999}]}));
  })();')

bench_machine
echo "orders on one product: $CONNECTIONS connections, $DURATION s, starting stock $STOCK"
BENCH_TOKEN=$TOKEN BENCH_ORDER=$ORDER $PIN_LOAD wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency \
  -s bench/order.lua "$BASE" | tee "$OUT/wrk.txt"
bench_writer_figures

# No oversell: every unit is either sold (one per order) or still in stock,
# and the ledger agrees with the stock.
BASE=$BASE TOKEN=$TOKEN STOCK=$STOCK node -e '
  const {BASE, TOKEN, STOCK} = process.env;
  const get = (p) => fetch(BASE + p, {headers: {authorization: "Bearer " + TOKEN}}).then(r => r.json());
  (async () => {
    const p = await get("/api/products/hot");
    const stock = p.variants[0].stock;
    let orders = 0, after = null, movements = 0;
    do {
      const page = await get("/api/orders?limit=1000" + (after ? "&after=" + after : ""));
      orders += page.data.length; after = page.next;
    } while (after);
    after = null;
    do {
      const page = await get("/api/stock_movements?limit=1000&variant_id=" + p.variants[0].id +
                             (after ? "&after=" + after : ""));
      for (const m of page.data) movements += m.delta;
      after = page.next;
    } while (after);
    console.log(`orders ${orders}, stock ${stock}, sum of movements ${movements}`);
    if (stock < 0 || orders + stock !== +STOCK || movements !== stock) {
      console.error("FAILED: oversold or ledger mismatch"); process.exit(1);
    }
    console.log("no oversell: orders + stock = starting stock; ledger = stock");
  })();'

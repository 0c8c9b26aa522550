#!/usr/bin/env bash
# Sale-timer lateness: how long after a sale's starts_at / ends_at the
# product's new version is written and delivered to a live subscriber.
#   bench/sale_timer.sh [products=200] [spread_seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d tests/integration/node_modules ] || (cd tests/integration && npm ci --no-audit --no-fund --silent)
. bench/common.sh
bench_start timer
bench_machine
node bench/sale_timer.mjs "$BASE" "$TOKEN" "${1:-200}" "${2:-10}"

#!/usr/bin/env bash
# Webhook delivery (issue 18; docs/benchmarks.md "Webhooks"): for one hook and
# for 100 hooks on one shop, delivering to a receiver on 127.0.0.1,
#   - throughput: a backlog of new products (hooks switched on after the writes)
#     drained, in changes delivered per second over all hooks;
#   - lag: writes paced at a steady rate, from the moment each write was due
#     to its arrival at the receiver (p50, p99).
# Server on CPU 0, writer and receiver on CPU 1.
#   bench/webhooks.sh [backlog=5000] [rate=200] [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/common.sh
bench_machine
SERVE_FLAGS="--webhook-allow 127.0.0.0/8" bench_start webhooks
$PIN_LOAD node bench/webhooks.mjs "$BASE" "$TOKEN" "${1:-5000}" "${2:-200}" "${3:-10}"

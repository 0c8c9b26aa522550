#!/usr/bin/env bash
# Browser tests of the pages (/admin, /shop, ...) against build/shelfsync
# (or $SHELFSYNC_BIN), in Debian's chromium driven by playwright-core.
# Screenshots land in tests/browser/out/screenshots, timings in
# tests/browser/out/timings.txt (printed at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -d tests/browser/node_modules ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --silent)
fi
# The shared server helpers live with the integration suite.
if [ ! -d tests/integration/node_modules ]; then
  (cd tests/integration && npm ci --no-audit --no-fund --silent)
fi
mkdir -p tests/browser/out
rm -f tests/browser/out/timings.txt
status=0
node --test --test-concurrency=1 tests/browser/*.test.mjs "$@" || status=$?
if [ -f tests/browser/out/timings.txt ]; then
  echo "== save-to-visible timings"
  cat tests/browser/out/timings.txt
fi
exit $status

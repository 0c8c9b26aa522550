#!/usr/bin/env bash
# Runs the HTTP integration suite against build/shelfsync (or $SHELFSYNC_BIN).
# Each test file starts its own server on a temp db, so files run in parallel.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The live tests need the `ws` WebSocket client (pinned in package-lock.json).
if [ ! -d tests/integration/node_modules ]; then
  (cd tests/integration && npm ci --no-audit --no-fund --silent)
fi
# The JavaScript client's tests run against the same binary; they need its
# dev dependencies (`ws`, `@tanstack/query-core`, pinned in its lock file).
if [ ! -d clients/js/node_modules ]; then
  (cd clients/js && npm ci --no-audit --no-fund --silent)
fi
exec node --test --test-concurrency=2 tests/integration/*.test.mjs clients/js/test/*.test.mjs "$@"

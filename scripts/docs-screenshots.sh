#!/usr/bin/env bash
# Refreshes the pictures in docs/screenshots/ (shown by docs/pages.md): runs
# the browser test that takes them on the demo shop
# (tests/browser/docs_screens.test.mjs, against build/shelfsync or
# $SHELFSYNC_BIN) and copies them over. Look at them before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
for dir in tests/browser tests/integration; do
  [ -d "$dir/node_modules" ] || (cd "$dir" && npm ci --no-audit --no-fund --silent)
done
rm -f tests/browser/out/screenshots/docs-*.png
SHELFSYNC_BIN="${SHELFSYNC_BIN:-$PWD/build/shelfsync}" node --test tests/browser/docs_screens.test.mjs
mkdir -p docs/screenshots
for shot in tests/browser/out/screenshots/docs-*.png; do
  cp "$shot" "docs/screenshots/${shot##*/docs-}"
done
ls -l docs/screenshots

#!/usr/bin/env bash
# README's first command: install, build, fill the demo shop, serve it, and
# — once the server answers — print the four pages' URLs with their keys.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
DB="${SHELFSYNC_DB:-sqlite:shelfsync-demo.db}"
LISTEN="${SHELFSYNC_LISTEN:-127.0.0.1:8080}"
URLS=$(mktemp)
trap 'rm -f "$URLS"' EXIT
build/shelfsync demo --db "$DB" --url "http://$LISTEN" > "$URLS"
build/shelfsync serve --listen "$LISTEN" --db "$DB" &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER; rm -f "$URLS"' INT TERM
for _ in $(seq 100); do
  curl -fsS "http://$LISTEN/health" >/dev/null 2>&1 && break
  kill -0 $SERVER 2>/dev/null || exit 1
  sleep 0.1
done
sed 's/ (after `shelfsync serve`)//' "$URLS"
wait $SERVER

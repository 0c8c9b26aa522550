#!/usr/bin/env bash
# README's first command: install, build, fill the demo shop, serve it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh release
DB="${SHELFSYNC_DB:-sqlite:shelfsync-demo.db}"
LISTEN="${SHELFSYNC_LISTEN:-127.0.0.1:8080}"
build/shelfsync demo --db "$DB" --url "http://$LISTEN"
exec build/shelfsync serve --listen "$LISTEN" --db "$DB"

#!/usr/bin/env bash
# Installs what building and testing Shelfsync needs, from Debian 12 packages.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  # the thread-safety check (scripts/build.sh clang)
  clang
  # the fuzz targets (scripts/build.sh fuzz): libFuzzer and Clang's ASan/UBSan
  # runtimes, only recommended by clang, so not there without recommends
  libclang-rt-14-dev
  libboost1.81-dev libboost-json1.81-dev
  libsqlite3-dev libssl-dev libjemalloc-dev libcurl4-openssl-dev
  libhowardhinnant-date-dev tzdata
  libgtest-dev libgmock-dev
  curl
  # the static checks (scripts/lint.sh)
  clang-format clang-tidy
  # the PostgreSQL backend and its tests (a throwaway cluster: scripts/pg-sandbox.sh)
  postgresql-15 postgresql-client-15 libpq-dev
)
command -v node >/dev/null 2>&1 || PACKAGES+=(nodejs)
# `npm ci` installs the tests' pinned dev packages (ws, @tanstack/query-core).
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

#!/usr/bin/env bash
# Builds build/shelfsync (Release) or, with an argument, another flavour:
#   scripts/build.sh            -> build/         Release
#   scripts/build.sh sanitize   -> build-asan/    Debug + ASan + UBSan
#   scripts/build.sh clang      -> build-clang/   clang++ with ThreadSanitizer, -O1 and
#                                                 line tables (-g1) for its reports; the
#                                                 compiler also checks the thread-safety
#                                                 annotations (util/thread_annotations.hpp)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-release}" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  sanitize) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DSHELFSYNC_SANITIZE=ON) ;;
  clang) dir=build-clang; flags=(-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1"
           -DSHELFSYNC_TSAN=ON) ;;
  *) echo "unknown flavour $1" >&2; exit 2 ;;
esac
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
cmake -S . -B "$dir" "${generator[@]}" "${flags[@]}" >/dev/null
cmake --build "$dir" -j2

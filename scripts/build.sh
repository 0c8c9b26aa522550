#!/usr/bin/env bash
# Builds build/shelfsync (Release) or, with an argument, another flavour:
#   scripts/build.sh            -> build/         Release
#   scripts/build.sh sanitize   -> build-asan/    Debug + ASan + UBSan
#   scripts/build.sh clang      -> build-clang/   clang++ with ThreadSanitizer, -O1 and
#                                                 line tables (-g1) for its reports; the
#                                                 compiler also checks the thread-safety
#                                                 annotations (util/thread_annotations.hpp)
#   scripts/build.sh fuzz       -> build-fuzz/    clang++ -O1, libFuzzer + ASan + UBSan:
#                                                 the fuzz targets of fuzz/ (scripts/fuzz.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-release}" in
  release) dir=build; flags=(-DCMAKE_BUILD_TYPE=Release) ;;
  sanitize) dir=build-asan; flags=(-DCMAKE_BUILD_TYPE=Debug -DSHELFSYNC_SANITIZE=ON) ;;
  clang) dir=build-clang; flags=(-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -g1"
           -DSHELFSYNC_TSAN=ON) ;;
  fuzz) dir=build-fuzz; flags=(-DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug
    "-DCMAKE_CXX_FLAGS_DEBUG=-O1 -gline-tables-only" -DSHELFSYNC_FUZZ=ON -DSHELFSYNC_TESTS=OFF -DSHELFSYNC_BENCH=OFF) ;;
  *) echo "unknown flavour $1" >&2; exit 2 ;;
esac
# The fuzz flavour builds its targets only (and the layers they link).
targets=()
[ "${1:-}" = fuzz ] && targets=(--target fuzz_targets)
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
cmake -S . -B "$dir" "${generator[@]}" "${flags[@]}" >/dev/null
cmake --build "$dir" -j2 "${targets[@]}"

#!/usr/bin/env bash
# Builds the fuzz flavour (build-fuzz/) and runs fuzz targets (fuzz/):
#   scripts/fuzz.sh                  every target for 60 s
#   scripts/fuzz.sh 300 cursor ...   the named targets for 300 s each
# One target at a time, on one core. Each starts from its committed corpus
# (fuzz/corpus/<name>, read only) and its regressions; what it finds new goes
# to a scratch corpus (FUZZ_WORK, default build-fuzz/work/<name>), so a run
# leaves the repository as it was. Fails on the first crash, leak, timeout
# or failed check, printing the saved input: copy it into
# fuzz/regressions/<name>/ with the fix, where every build's ctest replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^  \([a-z_]*\):shelfsync_[a-z]*$/\1/p' fuzz/CMakeLists.txt)
fi
scripts/build.sh fuzz
work_root=${FUZZ_WORK:-$PWD/build-fuzz/work}
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
for name in "${targets[@]}"; do
  work=$work_root/$name
  artifacts=$work_root/$name-artifacts
  mkdir -p "$work" "$artifacts"
  args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1
        -artifact_prefix="$artifacts/")
  [ -f "fuzz/$name.dict" ] && args+=(-dict="fuzz/$name.dict")
  seeds=(fuzz/corpus/"$name")
  [ -d "fuzz/regressions/$name" ] && seeds+=(fuzz/regressions/"$name")
  echo "== fuzz_$name for ${seconds}s"
  log=$work_root/$name.log
  # The first folder is the one libFuzzer writes to: the scratch corpus.
  if ! build-fuzz/fuzz/fuzz_"$name" "${args[@]}" "$work" "${seeds[@]}" > "$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz_$name failed; the input: $(ls -t "$artifacts"/* 2>/dev/null | head -1) (log: $log)" >&2
    exit 1
  fi
  grep -E '^(#[0-9]+\s+DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' "$log" || true
done

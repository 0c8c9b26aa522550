#!/usr/bin/env bash
# The static checks CI runs on the C++ sources (src/, fuzz/ and bench/):
#   scripts/lint.sh format    the layout .clang-format describes (fails on any difference)
#   scripts/lint.sh tidy DIR  clang-tidy's checks (.clang-tidy), with DIR's compile_commands.json
#   scripts/lint.sh fix       formats every file in place
# The layers' includes are checked by the build itself (cmake/check_layers.cmake).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files 'src/*.cpp' 'src/*.hpp' 'fuzz/*.cpp' 'fuzz/*.hpp' 'bench/*.cpp' 'bench/*.hpp')
case "${1:-}" in
  format)
    clang-format --dry-run -Werror "${files[@]}"
    echo "format: ${#files[@]} files as .clang-format says"
    ;;
  fix)
    clang-format -i "${files[@]}"
    ;;
  tidy)
    dir=${2:?the build directory whose compile_commands.json to use}
    # Sources of the libraries, the server, the unit tests and the fuzz
    # targets (the benchmarks are not in the compile database unless built).
    run-clang-tidy -p "$dir" -j 2 -quiet \
      -header-filter="^$PWD/(src|fuzz)/" "^$PWD/(src|fuzz)/.*\.cpp$" > "$dir/clang-tidy.log" 2>&1 || {
      grep -E "(warning|error):" "$dir/clang-tidy.log" | sort -u
      echo "clang-tidy: findings above (the whole output: $dir/clang-tidy.log)" >&2
      exit 1
    }
    echo "clang-tidy: clean"
    ;;
  *) echo "usage: scripts/lint.sh format|tidy DIR|fix" >&2; exit 2 ;;
esac

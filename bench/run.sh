#!/usr/bin/env bash
# Runs every benchmark script in bench/ (bench/*_bench.sh), each with the
# release build directory as its first argument. Each prints a markdown
# report and writes it to bench/results/<name>.md.
#   bench/run.sh BUILD_DIR [NAME...]   (./run bench calls it)
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/run.sh BUILD_DIR [NAME...]}" && pwd)
shift
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$HERE/results"
status=0
for script in "$HERE"/*_bench.sh; do
  [ -e "$script" ] || continue
  name=$(basename "$script" _bench.sh)
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  printf '\033[1m==> bench %s\033[0m\n' "$name" >&2
  if bash "$script" "$BUILD" | tee "$HERE/results/$name.md"; then :; else
    echo "bench $name failed" >&2
    status=1
  fi
done
exit $status

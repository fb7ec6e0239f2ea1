#!/usr/bin/env bash
# Runs every benchmark script in bench/ (every bench/*.sh but this one), each
# with the release build directory as its first argument; what a script
# prints (a markdown report) is also written to bench/results/<name>.md.
# Add a benchmark by dropping a script here.
#   bench/run.sh BUILD_DIR [NAME...]   (./run bench calls it)
set -euo pipefail
BUILD=$(cd "${1:?usage: bench/run.sh BUILD_DIR [NAME...]}" && pwd)
shift
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$HERE/results"
status=0
for script in "$HERE"/*.sh; do
  [ "$(basename "$script")" = run.sh ] && continue
  name=$(basename "$script" .sh)
  name=${name%_bench}
  if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then continue; fi
  printf '\033[1m==> bench %s\033[0m\n' "$name" >&2
  if bash "$script" "$BUILD" | tee "$HERE/results/$name.md"; then :; else
    echo "bench $name failed" >&2
    status=1
  fi
done
exit $status

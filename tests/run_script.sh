#!/usr/bin/env bash
# ./run as a user meets it: --help prints only the usage and exits 0; an
# unknown command prints the usage to stderr and exits 2.
set -uo pipefail
run=$1/run
fail() { echo "FAIL: $*" >&2; exit 1; }
out=$("$run" --help) || fail "./run --help exited $?"
[[ $out == "libworkspace's one entry point."* ]] || fail "--help does not start with the usage: $out"
grep -q 'set -euo' <<<"$out" && fail "--help prints script lines: $out"
grep -q '\./run install \[PREFIX\]' <<<"$out" || fail "--help does not list ./run install"
err=$("$run" no-such-command 2>&1 >/dev/null); code=$?
[ "$code" = 2 ] || fail "an unknown command exited $code"
[[ $err == "libworkspace's one entry point."* ]] || fail "an unknown command printed: $err"
echo "./run --help and an unknown command behave (2 passed)"

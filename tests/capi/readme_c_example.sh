#!/usr/bin/env bash
# README's C example compiles as strict C99 against libworkspace.so and runs
# as written (its paths moved into a temp dir): hydrate, then one sync cycle,
# on the local-directory store.
set -euo pipefail
src=$1
libdir=$2
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sed -n '/^```c$/,/^```$/p' "$src/README.md" | sed '1d;$d' | sed "s|/tmp/lw-example|$tmp|g" > "$tmp/example.c"
[ -s "$tmp/example.c" ] || { echo "README.md has no \`\`\`c block" >&2; exit 1; }
mkdir -p "$tmp/store/ambient-sessions"
"$cc" -std=c99 -Wall -Wextra -Werror -pedantic -I"$src/include" "$tmp/example.c" \
  -L"$libdir" -lworkspace -Wl,-rpath,"$libdir" -o "$tmp/example"
"$tmp/example"
for d in repos artifacts file-uploads .claude; do
  [ -d "$tmp/ws/$d" ] || { echo "hydrate did not create $d/" >&2; exit 1; }
done
meta="$tmp/store/ambient-sessions/default/sess-1/metadata.json"
grep -q '"pathsSynced"' "$meta" || { echo "sync did not write $meta" >&2; exit 1; }
echo "README C example: 1 passed, 0 failed"

#!/usr/bin/env bash
# README's environment table is generated: it must equal what the code's one
# table (lib/config/env_table.hpp) prints, between the two marker lines.
set -euo pipefail
cli=$1
readme=$2
expected=$("$cli" env --markdown)
actual=$(sed -n '/<!-- env-table:begin -->/,/<!-- env-table:end -->/p' "$readme" | sed '1d;$d')
if [ "$expected" != "$actual" ]; then
  echo "README.md's env table differs from 'ambient-workspace env --markdown':" >&2
  diff <(echo "$expected") <(echo "$actual") >&2 || true
  echo "regenerate it: ./run build && build/examples/ambient-workspace/ambient-workspace env --markdown" >&2
  exit 1
fi
echo "README env table matches the code (1 passed, 0 failed)"

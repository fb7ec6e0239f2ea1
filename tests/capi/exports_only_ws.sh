#!/bin/sh
# libworkspace.so exports only ws_* symbols: nothing of C++, Boost, libgit2,
# curl or OpenSSL leaks into the ABI (STYLE.md).
set -eu
lib="$1"
symbols=$(nm -D --defined-only "$lib" | awk '{print $3}')
[ -n "$symbols" ] || { echo "no exported symbols in $lib" >&2; exit 1; }
foreign=$(printf '%s\n' "$symbols" | grep -v '^ws_' || true)
if [ -n "$foreign" ]; then
	echo "exported symbols without the ws_ prefix:" >&2
	printf '%s\n' "$foreign" >&2
	exit 1
fi
for required in ws_version ws_error_last ws_string_free ws_config_from_env ws_pod_plan; do
	printf '%s\n' "$symbols" | grep -qx "$required" || { echo "missing export: $required" >&2; exit 1; }
done
echo "$(printf '%s\n' "$symbols" | wc -l) symbols, all ws_*"

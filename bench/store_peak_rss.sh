#!/usr/bin/env bash
# Peak memory of the store while it moves one large file (default 1 GiB)
# to and from s3rver, against rclone moving the same file to the same server:
# PUT (multipart, streamed from disk) and GET (streamed to a temporary file)
# must not hold the file in memory. Not part of `./run test`.
#
#   bench/store_peak_rss.sh [BUILD_DIR] [SIZE_MIB]
# Prints wall time and peak RSS for each, and ours/rclone ratios.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
SIZE_MIB=${2:-1024}
CLI=$BUILD/examples/ambient-workspace/ambient-workspace
S3RVER=$ROOT/tests/peers/node_modules/.bin/s3rver
[ -x "$CLI" ] || { echo "no CLI at $CLI: build first" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/store-rss.XXXXXX")
S3PID=
cleanup() { [ -n "$S3PID" ] && kill "$S3PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/s3" "$WORK/up" "$WORK/ours" "$WORK/rclone"
# s3rver's DES continuation tokens need Node's legacy OpenSSL provider.
NODE_OPTIONS=--openssl-legacy-provider "$S3RVER" -d "$WORK/s3" -a 127.0.0.1 -p "$PORT" -s \
  --configure-bucket bench >"$WORK/s3rver.log" 2>&1 &
S3PID=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done

echo "generating a ${SIZE_MIB} MiB file" >&2
head -c "$((SIZE_MIB << 20))" /dev/urandom >"$WORK/up/large.bin"
SUM=$(md5sum <"$WORK/up/large.bin" | cut -d' ' -f1)

export S3_ENDPOINT="http://127.0.0.1:$PORT" S3_BUCKET=bench AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
RCLONE_ENV=(env -u AWS_CA_BUNDLE RCLONE_CONFIG=/dev/null RCLONE_CONFIG_S3_TYPE=s3 RCLONE_CONFIG_S3_PROVIDER=Other
  RCLONE_CONFIG_S3_ENDPOINT="$S3_ENDPOINT" RCLONE_CONFIG_S3_ACCESS_KEY_ID=S3RVER
  RCLONE_CONFIG_S3_SECRET_ACCESS_KEY=S3RVER RCLONE_CONFIG_S3_FORCE_PATH_STYLE=true)

# measure NAME CMD...: appends "NAME seconds peak_kib" to $WORK/results.
measure() {
  local name=$1; shift
  /usr/bin/time -f "$name %e %M" -a -o "$WORK/results" "$@" >/dev/null 2>"$WORK/$name.err" ||
    { cat "$WORK/$name.err" >&2; exit 1; }
}

measure ours_put "$CLI" store sync "$WORK/up" s3://bench/ours --max-size $((SIZE_MIB << 21))
measure rclone_put "${RCLONE_ENV[@]}" rclone copy --transfers 4 "$WORK/up" s3:bench/rclone
measure ours_get "$CLI" store copy s3://bench/ours "$WORK/ours"
measure rclone_get "${RCLONE_ENV[@]}" rclone copy --transfers 4 s3:bench/rclone "$WORK/rclone"

for f in "$WORK/ours/large.bin" "$WORK/rclone/large.bin"; do
  [ "$(md5sum <"$f" | cut -d' ' -f1)" = "$SUM" ] || { echo "corrupt download: $f" >&2; exit 1; }
done

awk -v size="$SIZE_MIB" '
  { t[$1] = $2; m[$1] = $3 }
  END {
    printf "file: %d MiB (multipart up, streamed down)\n", size
    printf "%-6s %12s %14s %14s %16s %14s\n", "op", "ours wall s", "ours peak MiB", "rclone wall s", "rclone peak MiB", "RSS ours/rclone"
    split("put get", ops, " ")
    for (i = 1; i <= 2; i++) {
      o = ops[i]
      printf "%-6s %12.2f %14.1f %14.2f %16.1f %14.2f\n", o, t["ours_" o], m["ours_" o] / 1024,
        t["rclone_" o], m["rclone_" o] / 1024, m["ours_" o] / m["rclone_" o]
    }
  }' "$WORK/results"

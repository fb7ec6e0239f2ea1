#!/usr/bin/env bash
# The tree sync against the tools the scripts use, on TESTING.md's reference
# state workload (5,000 files of 2 KiB in 50 directories, 50 artifacts of
# 1 MiB, 20 uploads of 512 KiB; generated, never committed), all against one
# s3rver in one run:
#   first upload   ours (store sync)  vs curl --parallel-max 8 PUTs (the floor)
#                                     vs rclone sync --fast-list --checksum --transfers 4
#   no-change sync ours (state db)    vs rclone sync --fast-list --checksum --transfers 4
#   download       ours (store copy)  vs curl --parallel-max 8 GETs (the floor)
#                                     vs rclone copy --fast-list --transfers 8
#   1 GiB file     peak RSS of ours up and down
# Wall time and peak RSS from /usr/bin/time; HTTP requests counted in
# s3rver's request log, the same way for every client.
#   bench/sync_bench.sh BUILD_DIR      prints a markdown report
set -euo pipefail
BUILD=$(cd "${1:?usage: sync_bench.sh BUILD_DIR}" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AW=$BUILD/examples/ambient-workspace/ambient-workspace
S3RVER=$ROOT/tests/peers/node_modules/.bin/s3rver
for tool in "$AW" "$S3RVER" /usr/bin/time; do [ -x "$tool" ] || { echo "missing $tool" >&2; exit 1; }; done
command -v rclone >/dev/null && command -v curl >/dev/null || { echo "needs rclone and curl" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ws-bench-sync.XXXXXX")
S3PID=
cleanup() {
  [ -n "$S3PID" ] && kill "$S3PID" 2>/dev/null && wait "$S3PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
log() { printf '%s\n' "$*" >&2; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ENDPOINT=http://127.0.0.1:$PORT
mkdir -p "$WORK/s3"
NODE_OPTIONS=--openssl-legacy-provider "$S3RVER" -d "$WORK/s3" -a 127.0.0.1 -p "$PORT" \
  --configure-bucket bench >"$WORK/s3rver.log" 2>&1 &
S3PID=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.2; done

log "generating the workload in $WORK/tree"
python3 - "$WORK/tree" <<'PY'
import os, sys
root = sys.argv[1]
def put(rel, size):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "wb") as f:
        f.write(os.urandom(size))
for i in range(5000):
    put(f"state/d{i % 50:02d}/f{i:04d}.json", 2048)
for i in range(50):
    put(f"artifacts/a{i:02d}.bin", 1 << 20)
for i in range(20):
    put(f"file-uploads/u{i:02d}.dat", 512 << 10)
PY
(cd "$WORK/tree" && find . -type f | sed 's|^\./||' | sort) >"$WORK/files.txt"
NFILES=$(wc -l <"$WORK/files.txt")

export S3_ENDPOINT=$ENDPOINT AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1
# --fast-list: s3rver mis-answers delimiter listings of nested prefixes
# (TESTING.md), which would make rclone miss or re-upload most of the state
# tree; one recursive listing is also rclone's fastest mode.
RCLONE_ENV=(env -u AWS_CA_BUNDLE RCLONE_CONFIG=/dev/null RCLONE_CONFIG_S3_TYPE=s3 RCLONE_CONFIG_S3_PROVIDER=Other
  RCLONE_CONFIG_S3_ENDPOINT="$ENDPOINT" RCLONE_CONFIG_S3_ACCESS_KEY_ID=S3RVER
  RCLONE_CONFIG_S3_SECRET_ACCESS_KEY=S3RVER RCLONE_CONFIG_S3_REGION=us-east-1 RCLONE_CONFIG_S3_FORCE_PATH_STYLE=true)
EXCLUDES=()
for e in 'repos/**' 'node_modules/**' '.venv/**' '__pycache__/**' '.cache/**' '*.pyc' 'target/**' 'dist/**' \
         'build/**' '.git/**' 'debug/**'; do EXCLUDES+=(--exclude "$e"); done
# curl 7.88 signs without x-amz-content-sha256, which s3rver (like S3) requires.
CURL_SIGN=(--aws-sigv4 "aws:amz:us-east-1:s3" --user S3RVER:S3RVER -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")

requests() { grep -cE ' [1-5][0-9]{2} [0-9.]+m?s' "$WORK/s3rver.log" || true; }

# measure NAME CMD...: wall seconds, peak RSS (MiB) and s3rver requests of
# one run; called again with the same NAME, the fastest run is kept. The
# machine is shared, so each scenario runs REPEAT times, interleaved.
REPEAT=${REPEAT:-3}
declare -A WALL RSS REQ
measure() {
  local name=$1; shift
  local before; before=$(requests)
  /usr/bin/time -f '%e %M' -o "$WORK/time.$name" "$@" >"$WORK/out.$name" 2>&1 || {
    log "$name failed:"; tail -20 "$WORK/out.$name" >&2; exit 1; }
  sleep 0.3  # s3rver logs a request after answering it
  local wall kb
  read -r wall kb <"$WORK/time.$name"
  local req=$(( $(requests) - before ))
  log "$name: $wall s, $((kb / 1024)) MiB, $req requests"
  if [ -z "${WALL[$name]:-}" ] || python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$wall" "${WALL[$name]}"; then
    WALL[$name]=$wall
    RSS[$name]=$((kb / 1024))
    REQ[$name]=$req
  fi
}

# curl configs for the floor: one PUT or GET per object, 8 at a time.
while read -r f; do
  printf 'url = "%s/bench/floor@REP@/%s"\nupload-file = "%s"\noutput = "/dev/null"\n' "$ENDPOINT" "$f" "$WORK/tree/$f"
done <"$WORK/files.txt" >"$WORK/curl-put.cfg.in"
while read -r f; do
  printf 'url = "%s/bench/floor1/%s"\noutput = "%s"\n' "$ENDPOINT" "$f" "$WORK/down-floor/$f"
done <"$WORK/files.txt" >"$WORK/curl-get.cfg"
# No "Expect: 100-continue" round trip for the 1 MiB bodies: the floor at its fastest.
CURL=(curl -sS --fail --parallel --parallel-max 8 --create-dirs -H "Expect:" "${CURL_SIGN[@]}")

for rep in $(seq "$REPEAT"); do
  log "first upload, round $rep (each into a fresh prefix)"
  sed "s/@REP@/$rep/" "$WORK/curl-put.cfg.in" >"$WORK/curl-put.cfg"
  measure floor_up "${CURL[@]}" -K "$WORK/curl-put.cfg"
  measure ours_up "$AW" store sync "$WORK/tree" "s3://bench/ours$rep" --state-db "$WORK/state$rep.db"
  measure rclone_up "${RCLONE_ENV[@]}" rclone sync --fast-list --checksum --transfers 4 "${EXCLUDES[@]}" \
    "$WORK/tree" "s3:bench/rclone$rep"
done
for rep in $(seq "$REPEAT"); do
  log "no-change sync, round $rep"
  measure ours_nochange "$AW" store sync "$WORK/tree" s3://bench/ours1 --state-db "$WORK/state1.db"
  measure rclone_nochange "${RCLONE_ENV[@]}" rclone sync --fast-list --checksum --transfers 4 "${EXCLUDES[@]}" \
    "$WORK/tree" s3:bench/rclone1
  # Every 10th cycle lists the prefix to verify the manifest: that cycle too.
  measure ours_verify "$AW" store sync "$WORK/tree" s3://bench/ours1
done
for rep in $(seq "$REPEAT"); do
  log "download, round $rep (into an empty directory)"
  rm -rf "$WORK/down-floor" "$WORK/down-ours" "$WORK/down-rclone"
  measure floor_down "${CURL[@]}" -K "$WORK/curl-get.cfg"
  measure ours_down "$AW" store copy s3://bench/ours1 "$WORK/down-ours"
  measure rclone_down "${RCLONE_ENV[@]}" rclone copy --fast-list --transfers 8 s3:bench/rclone1 "$WORK/down-rclone"
done
diff -rq "$WORK/tree" "$WORK/down-ours" >&2 || { log "our download differs"; exit 1; }
diff -rq "$WORK/tree" "$WORK/down-rclone" >&2 || { log "rclone's download differs"; exit 1; }

log "1 GiB file"
mkdir -p "$WORK/big"
head -c $((1 << 30)) /dev/urandom >"$WORK/big/one-gib.bin"
measure ours_big_up "$AW" store sync "$WORK/big" s3://bench/big
measure ours_big_down "$AW" store copy s3://bench/big "$WORK/big-down"
cmp "$WORK/big/one-gib.bin" "$WORK/big-down/one-gib.bin" || { log "1 GiB download differs"; exit 1; }

ratio() { python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); print(f'{a / b:.2f}' if b > 0 else 'inf')" "$1" "$2"; }
speedup() { ratio "$2" "$1"; }

cat <<MD
## Tree sync benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, s3rver on loopback)

Workload: $NFILES files, $(du -sm "$WORK/tree" | cut -f1) MiB (TESTING.md's state tree). Each scenario ran
$REPEAT times, interleaved with its baselines; the fastest run of each is shown (the machine is
shared). Requests are counted in s3rver's log for every client alike.

| scenario | ours | baseline | ratio ours/baseline | target | ours peak RSS | baseline peak RSS | requests ours / baseline |
|---|---|---|---|---|---|---|---|
| first upload vs floor (curl --parallel-max 8) | ${WALL[ours_up]} s | ${WALL[floor_up]} s | $(ratio "${WALL[ours_up]}" "${WALL[floor_up]}")× | ≤ 1.3× | ${RSS[ours_up]} MiB | ${RSS[floor_up]} MiB | ${REQ[ours_up]} / ${REQ[floor_up]} |
| first upload vs rclone sync --fast-list --checksum --transfers 4 | ${WALL[ours_up]} s | ${WALL[rclone_up]} s | $(ratio "${WALL[ours_up]}" "${WALL[rclone_up]}")× ($(speedup "${WALL[ours_up]}" "${WALL[rclone_up]}")× faster) | ≥ 2.5× faster | ${RSS[ours_up]} MiB | ${RSS[rclone_up]} MiB | ${REQ[ours_up]} / ${REQ[rclone_up]} |
| no-change sync (state db) vs rclone sync (same flags) | ${WALL[ours_nochange]} s | ${WALL[rclone_nochange]} s | $(ratio "${WALL[ours_nochange]}" "${WALL[rclone_nochange]}")× ($(speedup "${WALL[ours_nochange]}" "${WALL[rclone_nochange]}")× faster) | ≥ 10× faster | ${RSS[ours_nochange]} MiB | ${RSS[rclone_nochange]} MiB | ${REQ[ours_nochange]} / ${REQ[rclone_nochange]} |
| no-change sync, verifying cycle (full listing, no state db) vs rclone | ${WALL[ours_verify]} s | ${WALL[rclone_nochange]} s | $(ratio "${WALL[ours_verify]}" "${WALL[rclone_nochange]}")× | — | ${RSS[ours_verify]} MiB | ${RSS[rclone_nochange]} MiB | ${REQ[ours_verify]} / ${REQ[rclone_nochange]} |
| download vs floor (curl --parallel-max 8) | ${WALL[ours_down]} s | ${WALL[floor_down]} s | $(ratio "${WALL[ours_down]}" "${WALL[floor_down]}")× | ≤ 1.3× | ${RSS[ours_down]} MiB | ${RSS[floor_down]} MiB | ${REQ[ours_down]} / ${REQ[floor_down]} |
| download vs rclone copy --fast-list --transfers 8 | ${WALL[ours_down]} s | ${WALL[rclone_down]} s | $(ratio "${WALL[ours_down]}" "${WALL[rclone_down]}")× | — | ${RSS[ours_down]} MiB | ${RSS[rclone_down]} MiB | ${REQ[ours_down]} / ${REQ[rclone_down]} |
| 1 GiB file up (multipart) | ${WALL[ours_big_up]} s | — | — | RSS ≤ 64 MiB | ${RSS[ours_big_up]} MiB | — | ${REQ[ours_big_up]} |
| 1 GiB file down | ${WALL[ours_big_down]} s | — | — | RSS ≤ 64 MiB | ${RSS[ours_big_down]} MiB | — | ${REQ[ours_big_down]} |
MD

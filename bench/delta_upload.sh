#!/usr/bin/env bash
# Delta uploads (issue #15) on Ceph RGW: bytes sent and time per sidecar
# cycle for a workspace whose .claude holds a 64 MiB transcript growing by
# 64 KiB a cycle and a 128 MiB SQLite database (WAL mode) with 20 random
# rows updated a cycle and checkpointed, beside TESTING.md's reference state
# trees (5,000 files of 2 KiB in 50 directories, 50 artifacts of 1 MiB, 20
# uploads of 512 KiB; no repository: the cycles are state-only). Three
# clients sync the same workspace after each change, each to its own bucket:
#   ours, delta      sync --once --state-only (SYNC_DELTA_THRESHOLD default, 16 MiB)
#   ours, whole      the same with SYNC_DELTA_THRESHOLD=0
#   rclone           rclone sync --checksum --transfers 4, per tree (the scripts)
# Bytes sent are counted the same way for all three, at a TCP relay on
# loopback in front of RGW (bench/lib/count_proxy.py: request lines,
# headers and bodies). Reported: mean bytes sent and mean wall time per
# change cycle (CYCLES, default 5, after a first full save), the ratio
# against rclone, and the largest peak RSS. Needs radosgw ceph-mon ceph-osd
# ceph-common (./run install). Not part of `./run test`.
#
#   bench/delta_upload.sh [BUILD_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
CLI=$BUILD/examples/ambient-workspace/ambient-workspace
[ -x "$CLI" ] || { echo "no CLI at $CLI: build first" >&2; exit 2; }
CYCLES=${CYCLES:-5}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ws-delta-bench.XXXXXX")
PROXY_PID=
cleanup() {
  [ -n "$PROXY_PID" ] && kill "$PROXY_PID" 2>/dev/null
  bash "$ROOT/bench/lib/rgw.sh" stop "$WORK/rgw" >/dev/null 2>&1 || true
  wait 2>/dev/null; rm -rf "$WORK"
}
trap cleanup EXIT
say() { echo "== $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

RGW_PORT=$(free_port)
say "starting RGW on $RGW_PORT"
RGW_ACCESS_KEY=BENCHKEY RGW_SECRET_KEY=BENCHSECRET RGW_BUCKETS="delta whole rclone" \
  bash "$ROOT/bench/lib/rgw.sh" start "$WORK/rgw" "$RGW_PORT" >&2
PROXY_PORT=$(free_port)
python3 "$ROOT/bench/lib/count_proxy.py" "$PROXY_PORT" "$RGW_PORT" "$WORK/sent" &
PROXY_PID=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$PROXY_PORT") 2>/dev/null && break; sleep 0.1; done
ENDPOINT="http://127.0.0.1:$PROXY_PORT"

say "generating the workload"
W=$WORK/ws
mkdir -p "$W/.claude/projects/bench" "$W/artifacts" "$W/file-uploads"
for d in $(seq 1 50); do
  mkdir -p "$W/.claude/projects/p$d"
  for f in $(seq 1 100); do head -c 2048 /dev/urandom >"$W/.claude/projects/p$d/f$f.json"; done
done
for i in $(seq 1 50); do head -c 1048576 /dev/urandom >"$W/artifacts/a$i.bin"; done
for i in $(seq 1 20); do head -c 524288 /dev/urandom >"$W/file-uploads/u$i.bin"; done
TRANSCRIPT=$W/.claude/projects/bench/session.jsonl
DB=$W/.claude/state.sqlite
head -c $((48 << 20)) /dev/urandom | base64 -w 190 >"$TRANSCRIPT"  # 64 MiB of lines
/usr/bin/python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("PRAGMA journal_mode=WAL")
db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, payload BLOB)")
with db:
    db.executemany("INSERT INTO t(payload) VALUES(randomblob(1000))", ([] for _ in range(120000)))
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
PY
change() {
  head -c 49152 /dev/urandom | base64 -w 190 >>"$TRANSCRIPT"  # 64 KiB
  /usr/bin/python3 - "$DB" <<'PY'
import random, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
with db:
    for _ in range(20):
        db.execute("UPDATE t SET payload = randomblob(1000) WHERE id = ?", (random.randint(1, 120000),))
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
PY
}
say "transcript $(stat -c %s "$TRANSCRIPT") bytes, database $(stat -c %s "$DB") bytes"

export AWS_ACCESS_KEY_ID=BENCHKEY AWS_SECRET_ACCESS_KEY=BENCHSECRET S3_ENDPOINT=$ENDPOINT
export NAMESPACE=bench SESSION_NAME=bench WORKSPACE_ROOT=$W SYNC_INITIAL_DELAY=0
unset AWS_CA_BUNDLE
RCLONE=(env RCLONE_CONFIG=/dev/null RCLONE_CONFIG_S3_TYPE=s3 RCLONE_CONFIG_S3_PROVIDER=Ceph
  RCLONE_CONFIG_S3_ENDPOINT="$ENDPOINT" RCLONE_CONFIG_S3_ACCESS_KEY_ID=BENCHKEY
  RCLONE_CONFIG_S3_SECRET_ACCESS_KEY=BENCHSECRET RCLONE_CONFIG_S3_FORCE_PATH_STYLE=true rclone)
cat >"$WORK/rclone.sh" <<EOF2
set -e
for t in .claude artifacts file-uploads; do
  ${RCLONE[*]} sync --checksum --transfers 4 "$W/\$t" "s3:rclone/bench/bench/\$t"
done
EOF2
client() {  # the command line of client $1
  case $1 in
    delta) echo env S3_BUCKET=delta "$CLI" sync --once --state-only ;;
    whole) echo env S3_BUCKET=whole SYNC_DELTA_THRESHOLD=0 "$CLI" sync --once --state-only ;;
    rclone) echo bash "$WORK/rclone.sh" ;;
  esac
}

# measure PHASE CLIENT: "PHASE CLIENT wall_s bytes_sent peak_kib" into $WORK/results.
measure() {
  local before after t0 t1 rss
  before=$(cat "$WORK/sent")
  t0=$(date +%s%N)
  # shellcheck disable=SC2046
  /usr/bin/time -f "%M" -o "$WORK/time" $(client "$2") >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  t1=$(date +%s%N)
  sleep 0.3  # the relay's last chunks
  after=$(cat "$WORK/sent")
  rss=$(tail -1 "$WORK/time")
  echo "$1 $2 $(echo "scale=3; ($t1 - $t0) / 1000000000" | bc) $((after - before)) $rss" >>"$WORK/results"
  say "$1 $2: $(echo "scale=2; ($t1 - $t0) / 1000000000" | bc) s, $((after - before)) bytes"
}

for c in delta whole rclone; do measure first "$c"; done
for i in $(seq 1 "$CYCLES"); do
  change
  for c in delta whole rclone; do measure cycle "$c"; done
done

stats() {  # stats CLIENT: mean wall, mean bytes, max rss over the change cycles
  awk -v c="$1" '$1 == "cycle" && $2 == c { n++; w += $3; b += $4; if ($5 > r) r = $5 }
    END { printf "%.3f %.0f %d\n", w / n, b / n, r }' "$WORK/results"
}
first() { awk -v c="$1" '$1 == "first" && $2 == c { printf "%.3f %d %d\n", $3, $4, $5 }' "$WORK/results"; }
read -r rw rb rr <<<"$(stats rclone)"
mib() { echo "scale=2; $1 / 1048576" | bc; }
echo "## Delta uploads on Ceph RGW ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, RGW memstore on loopback)"
echo
echo "Workload: a 64 MiB transcript + 64 KiB a cycle and a 128 MiB SQLite database (WAL, 20 random"
echo "rows of 1 KB updated and checkpointed a cycle) in .claude, beside the reference state trees"
echo "(5,070 files, 80 MiB). Mean of $CYCLES change cycles after a first save; bytes sent counted at"
echo "a TCP relay in front of RGW, the same way for every client."
echo
echo "| Client | First save | Bytes sent / cycle | vs rclone | Cycle time | vs rclone | Peak RSS |"
echo "|---|---|---|---|---|---|---|"
for c in delta whole rclone; do
  read -r w b r <<<"$(stats "$c")"
  read -r fw fb _ <<<"$(first "$c")"
  case $c in delta) label="ours, delta uploads" ;; whole) label="ours, SYNC_DELTA_THRESHOLD=0" ;; rclone) label="rclone sync --checksum" ;; esac
  echo "| $label | ${fw} s, $(mib "$fb") MiB | $(mib "$b") MiB | $(echo "scale=1; $rb / $b" | bc)x fewer | ${w} s | $(echo "scale=1; $rw / $w" | bc)x faster | $((r / 1024)) MiB |"
done

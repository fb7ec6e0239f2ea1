#!/usr/bin/env bash
# The whole pipeline against what the state-sync scripts run (rclone + the
# git CLI), on the same s3rver and the same generated workload (TESTING.md):
# a state directory of 5,000 files of 2 KiB in 50 sub-directories, 50
# artifacts of 1 MiB, 20 uploads of 512 KiB, one repository of ~4,000 files
# and 400 commits with a local change. Phases:
#   first full save     ours: sync --once            scripts: bundle+diffs+rclone sync/copy
#   no-change state     ours: sync --once --state-only  scripts: rclone sync --checksum
#   no-change repos     ours: sync --once --repos-only  scripts: bundle+diffs+rclone copy
#   hydrate             ours: hydrate                scripts: rclone copy + clone + fetch + apply
# plus the server's floor for the trees' first upload (curl --parallel 8).
# Reports wall time, CPU (user+sys), peak RSS and S3 requests (counted in
# s3rver's log) per phase, and ours/scripts ratios. Not part of `./run test`.
#
#   bench/workspace_pipeline.sh [BUILD_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
CLI=$BUILD/examples/ambient-workspace/ambient-workspace
S3RVER=$ROOT/tests/peers/node_modules/.bin/s3rver
[ -x "$CLI" ] || { echo "no CLI at $CLI: build first" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ws-bench.XXXXXX")
S3PID=
cleanup() { [ -n "$S3PID" ] && kill "$S3PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
say() { echo "== $*" >&2; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$WORK/s3"
# s3rver's DES continuation tokens need Node's legacy OpenSSL provider; not
# silent: one log line per request is how requests are counted.
NODE_OPTIONS=--openssl-legacy-provider "$S3RVER" -d "$WORK/s3" -a 127.0.0.1 -p "$PORT" \
  --configure-bucket ours --configure-bucket scripts --configure-bucket floor >"$WORK/s3rver.log" 2>&1 &
S3PID=$!
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done
ENDPOINT="http://127.0.0.1:$PORT"

GIT=(git -c user.name=Bench -c user.email=bench@example.com -c init.defaultBranch=main)
say "generating the workload"
W=$WORK/ws
mkdir -p "$W/.claude" "$W/artifacts" "$W/file-uploads" "$W/repos"
for d in $(seq 1 50); do
  mkdir -p "$W/.claude/projects/p$d"
  for f in $(seq 1 100); do head -c 2048 /dev/urandom >"$W/.claude/projects/p$d/f$f.json"; done
done
for i in $(seq 1 50); do head -c 1048576 /dev/urandom >"$W/artifacts/a$i.bin"; done
for i in $(seq 1 20); do head -c 524288 /dev/urandom >"$W/file-uploads/u$i.bin"; done
SRC=$WORK/src
mkdir -p "$SRC" && "${GIT[@]}" init -q "$SRC"
(cd "$SRC"
  for d in $(seq 1 40); do mkdir -p "d$d"; for f in $(seq 1 100); do echo "file $d/$f" >"d$d/f$f.txt"; done; done
  "${GIT[@]}" add -A && "${GIT[@]}" commit -qm "initial"
  for c in $(seq 2 400); do echo "change $c" >>"d$((c % 40 + 1))/f$((c % 100 + 1)).txt"; "${GIT[@]}" commit -qam "commit $c"; done)
"${GIT[@]}" clone -q --bare "$SRC" "$WORK/app.git"
"${GIT[@]}" clone -q "$WORK/app.git" "$W/repos/app"
echo "local change" >>"$W/repos/app/d1/f1.txt"
echo "staged" >>"$W/repos/app/d2/f2.txt" && git -C "$W/repos/app" add d2/f2.txt

export SESSION_NAME=bench NAMESPACE=bench AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
export S3_ENDPOINT=$ENDPOINT SYNC_INITIAL_DELAY=0
unset AWS_CA_BUNDLE
RCLONE_ENV=(env RCLONE_CONFIG=/dev/null RCLONE_CONFIG_S3_TYPE=s3 RCLONE_CONFIG_S3_PROVIDER=Other
  RCLONE_CONFIG_S3_ENDPOINT="$ENDPOINT" RCLONE_CONFIG_S3_ACCESS_KEY_ID=S3RVER
  RCLONE_CONFIG_S3_SECRET_ACCESS_KEY=S3RVER RCLONE_CONFIG_S3_FORCE_PATH_STYLE=true)
# The scripts' steps, as shell functions run under /usr/bin/time.
cat >"$WORK/scripts.sh" <<'EOF'
set -euo pipefail
REMOTE=s3:scripts/bench/bench
EXCLUDES=(--exclude 'repos/**' --exclude 'node_modules/**' --exclude '.venv/**' --exclude '__pycache__/**'
  --exclude '.cache/**' --exclude '*.pyc' --exclude 'target/**' --exclude 'dist/**' --exclude 'build/**'
  --exclude '.git/**' --exclude 'debug/**')
first() { repos; trees; }
repos() {
  RS=$(mktemp -d)
  for d in "$W"/repos/*/; do
    name=$(basename "$d"); mkdir -p "$RS/$name"
    (cd "$d"
     git bundle create "$RS/$name/repo.bundle" --all 2>/dev/null
     git diff HEAD >"$RS/$name/uncommitted.patch"; git diff --cached >"$RS/$name/staged.patch"
     printf '{"remoteUrl":"%s","currentBranch":"%s","headSha":"%s"}\n' "$(git remote get-url origin)" \
       "$(git rev-parse --abbrev-ref HEAD)" "$(git rev-parse HEAD)" >"$RS/$name/metadata.json")
  done
  rclone copy "$RS" "$REMOTE/repo-state"; rm -rf "$RS"
}
trees() {
  for t in .claude artifacts file-uploads; do
    rclone sync --fast-list --checksum --transfers 4 "${EXCLUDES[@]}" "$W/$t" "$REMOTE/$t"
  done
}
hydrate() {
  H=$1; mkdir -p "$H/repos"
  for t in .claude artifacts file-uploads; do rclone copy --fast-list --transfers 8 "$REMOTE/$t" "$H/$t"; done
  git clone -q "$ORIGIN" "$H/repos/app"
  RS=$(mktemp -d); rclone copy --fast-list "$REMOTE/repo-state" "$RS"
  for d in "$RS"/*/; do
    name=$(basename "$d"); branch=$(sed -E 's/.*"currentBranch":"([^"]*)".*/\1/' "$d/metadata.json")
    (cd "$H/repos/$name"
     git fetch -q --update-head-ok "$d/repo.bundle" '+refs/heads/*:refs/heads/*'
     git checkout -q -f "$branch"
     [ -s "$d/uncommitted.patch" ] && git apply "$d/uncommitted.patch"
     [ -s "$d/staged.patch" ] && git apply --cached "$d/staged.patch"; true)
  done
  rm -rf "$RS"
}
"$@"
EOF
SCRIPTS=("${RCLONE_ENV[@]}" W="$W" ORIGIN="$WORK/app.git" bash "$WORK/scripts.sh")

# s3rver logs every request as one line ending in "<status> <ms>ms <size>"
# (plus other lines for some operations).
requests() { grep -cE ' [0-9]{3} [0-9]+ms [0-9.]+[kmg]?b' "$WORK/s3rver.log" || true; }

# measure NAME CMD...: "NAME wall cpu peak_kib requests" into $WORK/results.
measure() {
  local name=$1; shift
  local before; before=$(requests)
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.$name" "$@" >/dev/null 2>"$WORK/$name.err" ||
    { cat "$WORK/$name.err" >&2; exit 1; }
  sleep 0.2
  local after; after=$(requests)
  read -r wall user sys rss <"$WORK/time.$name"
  echo "$name $wall $(echo "$user + $sys" | bc) $rss $((after - before))" >>"$WORK/results"
  say "$name: ${wall}s"
}

OURS=(env S3_BUCKET=ours WORKSPACE_ROOT="$W" "$CLI")
say "first full save"
measure ours_first "${OURS[@]}" sync --once
measure scripts_first "${SCRIPTS[@]}" first
say "the server's floor: curl --parallel 8 PUTs of the trees' files"
python3 - "$W" "$ENDPOINT/floor/bench" >"$WORK/curl.cfg" <<'PY'
import os, sys, urllib.parse
root, base = sys.argv[1], sys.argv[2]
for tree in (".claude", "artifacts", "file-uploads"):
    for d, _, files in os.walk(os.path.join(root, tree)):
        for f in files:
            path = os.path.join(d, f)
            key = urllib.parse.quote(os.path.relpath(path, root))
            print(f'url = "{base}/{key}"\nupload-file = "{path}"\noutput = "/dev/null"')
PY
measure floor_trees curl -s --parallel --parallel-max 8 --aws-sigv4 "aws:amz:us-east-1:s3" \
  --user S3RVER:S3RVER -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" -K "$WORK/curl.cfg"
say "no-change cycles"
measure ours_nochange_state "${OURS[@]}" sync --once --state-only
measure scripts_nochange_state "${SCRIPTS[@]}" trees
measure ours_nochange_repos "${OURS[@]}" sync --once --repos-only
measure scripts_nochange_repos "${SCRIPTS[@]}" repos
say "hydrate"
measure ours_hydrate env S3_BUCKET=ours WORKSPACE_ROOT="$WORK/h-ours" REPOS_JSON="[{\"url\":\"file://$WORK/app.git\"}]" "$CLI" hydrate
measure scripts_hydrate "${SCRIPTS[@]}" hydrate "$WORK/h-scripts"

for h in h-ours h-scripts; do
  [ "$(git -C "$WORK/$h/repos/app" status --porcelain | sort)" = "$(git -C "$W/repos/app" status --porcelain | sort)" ] ||
    echo "warning: $h/repos/app status differs from the source" >&2
done

awk '
  { wall[$1] = $2; cpu[$1] = $3; rss[$1] = $4; req[$1] = $5 }
  END {
    printf "%-22s %9s %9s %10s %9s | %9s %9s %10s %9s | %8s %8s\n", "phase", "ours s", "cpu s", "peak MiB", "requests",
      "scripts s", "cpu s", "peak MiB", "requests", "wall x", "cpu x"
    n = split("first nochange_state nochange_repos hydrate", ph, " ")
    for (i = 1; i <= n; i++) {
      o = "ours_" ph[i]; s = "scripts_" ph[i]
      printf "%-22s %9.2f %9.2f %10.1f %9d | %9.2f %9.2f %10.1f %9d | %8.2f %8.2f\n", ph[i], wall[o], cpu[o], rss[o] / 1024,
        req[o], wall[s], cpu[s], rss[s] / 1024, req[s], wall[o] / wall[s], (cpu[s] > 0 ? cpu[o] / cpu[s] : 0)
    }
    printf "floor (curl --parallel 8, trees only): %.2f s, %d requests\n", wall["floor_trees"], req["floor_trees"]
    printf "(ratios are ours/scripts: below 1 is better)\n"
  }' "$WORK/results"

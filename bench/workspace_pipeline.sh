#!/usr/bin/env bash
# The whole pipeline against what the state-sync scripts run (rclone + the
# git CLI), on the same s3rver and the same generated workload (TESTING.md):
# a state directory of 5,000 files of 2 KiB in 50 sub-directories, 50
# artifacts of 1 MiB, 20 uploads of 512 KiB, one repository of ~4,000 files
# and 400 commits with a local change. Phases and targets (issue #6):
#   first full save   ours: sync --once                 scripts: bundle+diffs+rclone sync/copy   >= 2.5x faster
#   no-change state   ours: sync --once --state-only    scripts: rclone sync --checksum          >= 10x faster, >= 20x less CPU
#   no-change repos   ours: sync --once --repos-only    scripts: bundle+diffs+rclone copy        >= 20x faster
#   hydrate           ours: hydrate                     scripts: rclone copy + clone + fetch + apply  >= 1.3x faster,
#                     and <= 1.3x the floor: curl --parallel-max 8 GETs of the same objects + git clone
# plus the server's floor for the trees' first upload (curl --parallel-max 8 PUTs).
# Every phase runs ROUNDS times (default 5; no-change phases QUICK_ROUNDS,
# default 10), ours and the baselines interleaved; each upload round writes
# fresh prefixes, each hydrate round a fresh directory. Reported: the
# fastest run's wall time; CPU (user+sys) as the median over the runs
# (time(1) counts in 10 ms steps, too coarse for one no-change cycle) and,
# for the no-change state cycle, also the mean (one of ten cycles verifies
# the manifest with a full listing, as in the sidecar); the largest peak
# RSS; S3 requests (counted in s3rver's log, for every client alike) of the
# first run. Every run's numbers go to stderr. Prints a markdown report.
# Not part of `./run test`.
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
REMOTE=s3:scripts/bench/bench${ROUND:-1}
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
ROUNDS=${ROUNDS:-5}
QUICK_ROUNDS=${QUICK_ROUNDS:-10}

# s3rver logs every request as one line ending in "<status> <ms>ms <size>"
# (plus other lines for some operations).
requests() { grep -cE ' [0-9]{3} [0-9]+ms [0-9.]+[kmg]?b' "$WORK/s3rver.log" || true; }

# measure NAME CMD...: "NAME wall cpu peak_kib requests" into $WORK/results.
# Wall time from a nanosecond clock around time(1) (whose own %e counts in
# 10 ms steps, too coarse for a no-change cycle); CPU and RSS from time(1).
measure() {
  local name=$1; shift
  local before; before=$(requests)
  local t0; t0=$(date +%s%N)
  /usr/bin/time -f "%U %S %M" -o "$WORK/time.$name" "$@" >/dev/null 2>"$WORK/$name.err" ||
    { cat "$WORK/$name.err" >&2; exit 1; }
  local t1; t1=$(date +%s%N)
  sleep 0.2
  local after; after=$(requests)
  read -r user sys rss <"$WORK/time.$name"
  local wall; wall=$(echo "scale=3; ($t1 - $t0) / 1000000000" | bc)
  echo "$name $wall $(echo "$user + $sys" | bc) $rss $((after - before))" >>"$WORK/results"
  say "$name: ${wall}s"
}

# The command line of ours for round $1 on the workspace root $2 (paths
# here hold no spaces). Session "bench<round>" for ours, "bench/bench<round>" for the scripts and
# the floor: every upload round starts from an empty prefix.
ours() { echo env S3_BUCKET=ours SESSION_NAME="bench$1" WORKSPACE_ROOT="$2" "$CLI"; }
floor_cfg() {
  python3 - "$@" <<'PY'
import os, sys, urllib.parse
mode, root, base, out = sys.argv[1:5]
for tree in (".claude", "artifacts", "file-uploads"):
    for d, _, files in os.walk(os.path.join(root, tree)):
        for f in files:
            path = os.path.join(d, f)
            rel = os.path.relpath(path, root)
            print(f'url = "{base}/{urllib.parse.quote(rel)}"')
            print(f'upload-file = "{path}"\noutput = "/dev/null"' if mode == "put" else f'output = "{out}/{rel}"')
PY
}
CURL=(curl -s --parallel --parallel-max 8 --aws-sigv4 "aws:amz:us-east-1:s3" --user S3RVER:S3RVER
  -H "x-amz-content-sha256: UNSIGNED-PAYLOAD")

for r in $(seq 1 "$ROUNDS"); do
  say "first full save, round $r"
  floor_cfg put "$W" "$ENDPOINT/floor/bench/bench$r" - >"$WORK/put$r.cfg"
  # A first save starts without the caches an earlier round left.
  rm -rf "$W/.libworkspace"
  measure "ours_first.$r" $(ours "$r" "$W") sync --once
  measure "scripts_first.$r" env ROUND="$r" "${SCRIPTS[@]}" first
  measure "floor_first.$r" "${CURL[@]}" -K "$WORK/put$r.cfg"
done
# On the last round's session, whose caches are in place.
for r in $(seq 1 "$QUICK_ROUNDS"); do
  say "no-change cycles, round $r"
  measure "ours_nochange_state.$r" $(ours "$ROUNDS" "$W") sync --once --state-only
  measure "scripts_nochange_state.$r" env ROUND="$ROUNDS" "${SCRIPTS[@]}" trees
  measure "ours_nochange_repos.$r" $(ours "$ROUNDS" "$W") sync --once --repos-only
  measure "scripts_nochange_repos.$r" env ROUND="$ROUNDS" "${SCRIPTS[@]}" repos
done
# The hydrate floor reads round 1's objects, as ours does, into files.
floor_cfg get "$W" "$ENDPOINT/ours/bench/bench1" "$WORK/h-floor" >"$WORK/get.cfg"
for r in $(seq 1 "$ROUNDS"); do
  say "hydrate, round $r"
  measure "ours_hydrate.$r" env REPOS_JSON="[{\"url\":\"file://$WORK/app.git\"}]" $(ours 1 "$WORK/h-ours$r") hydrate
  measure "scripts_hydrate.$r" env ROUND=1 "${SCRIPTS[@]}" hydrate "$WORK/h-scripts$r"
  sed "s|$WORK/h-floor/|$WORK/h-floor$r/|" "$WORK/get.cfg" >"$WORK/get$r.cfg"
  measure "floor_get.$r" "${CURL[@]}" --create-dirs -K "$WORK/get$r.cfg"
  measure "floor_clone.$r" git clone -q "file://$WORK/app.git" "$WORK/h-clone$r/repos/app"
done

for h in h-ours1 h-scripts1; do
  [ "$(git -C "$WORK/$h/repos/app" status --porcelain | sort)" = "$(git -C "$W/repos/app" status --porcelain | sort)" ] ||
    echo "warning: $h/repos/app status differs from the source" >&2
done
[ "$(find "$WORK/h-ours1/.claude" "$WORK/h-ours1/artifacts" "$WORK/h-ours1/file-uploads" -type f | wc -l)" = 5070 ] ||
  echo "warning: h-ours1 does not hold the 5070 state files" >&2

echo "## Workspace pipeline benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, s3rver on loopback)"
echo
echo "Workload: TESTING.md's (5,070 state files, 80 MiB; one repository of ~4,000 files, 400"
echo "commits, a local change). Ours: \`ambient-workspace\`; scripts: the init container's and"
echo "the sidecar's shell pipelines (rclone 1.60 with --fast-list, git CLI). Upload and hydrate"
echo "phases ran $ROUNDS times, no-change phases $QUICK_ROUNDS times, interleaved with their"
echo "baselines. Time: the fastest run; CPU (user+sys): the median over the runs; peak RSS: the"
echo "largest of the runs; requests (counted in s3rver's log): those of the first run."
echo
echo "every run: name wall_s cpu_s peak_kib requests" >&2
cat "$WORK/results" >&2
awk -v rounds="$ROUNDS" '
  {
    split($1, nr, "."); n = nr[1]
    if (!(n in wall) || $2 < wall[n]) wall[n] = $2
    run_wall[n, nr[2]] = $2
    cpu_sum[n] += $3; runs[n]++; cpus[n, runs[n]] = $3
    if ($4 > rss[n]) rss[n] = $4
    if (nr[2] == 1) req[n] = $5
  }
  function x(a, b) { return b > 0 ? a / b : 0 }
  function row(phase, o, s, target) {
    printf "| %s | %.3f s | %.3f s | %.1fx | %.3f s | %.3f s | %.1fx | %.0f / %.0f MiB | %d / %d | %s |\n", phase,
      wall[o], wall[s], x(wall[s], wall[o]), cpu[o], cpu[s], x(cpu[s], cpu[o]), rss[o] / 1024, rss[s] / 1024,
      req[o], req[s], target
  }
  END {
    for (n in runs) {
      k = runs[n]
      for (i = 1; i <= k; i++) v[i] = cpus[n, i]
      for (i = 2; i <= k; i++) for (j = i; j > 1 && v[j - 1] > v[j]; j--) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
      cpu[n] = k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
      mean[n] = cpu_sum[n] / k
    }
    print "| phase | ours | scripts | faster | ours CPU | scripts CPU | less CPU | peak RSS ours / scripts | S3 requests ours / scripts | target |"
    print "|---|---|---|---|---|---|---|---|---|---|"
    row("first full save", "ours_first", "scripts_first", "≥ 2.5x faster")
    row("no-change state cycle", "ours_nochange_state", "scripts_nochange_state", "≥ 10x faster, ≥ 20x less CPU")
    row("no-change repo backup", "ours_nochange_repos", "scripts_nochange_repos", "≥ 20x faster")
    row("hydrate", "ours_hydrate", "scripts_hydrate", "≥ 1.3x faster")
    floor = wall["floor_get"] + wall["floor_clone"]
    print ""
    printf "Mean CPU of the %d no-change state cycles, the verifying one included: ours %.3f s, scripts %.3f s (%.1fx less).\n",
      runs["ours_nochange_state"], mean["ours_nochange_state"], mean["scripts_nochange_state"],
      x(mean["scripts_nochange_state"], mean["ours_nochange_state"])
    print ""
    print "| floor | time | requests | ours | ours / floor | target |"
    print "|---|---|---|---|---|---|"
    printf "| first save of the trees: curl --parallel-max 8 PUTs | %.2f s | %d | %.2f s (trees and repo) | %.2f | — |\n",
      wall["floor_first"], req["floor_first"], wall["ours_first"], x(wall["ours_first"], wall["floor_first"])
    printf "| hydrate: curl --parallel-max 8 GETs (%.2f s) + git clone (%.2f s) | %.2f s | %d | %.2f s | %.2f | ≤ 1.3 |\n",
      wall["floor_get"], wall["floor_clone"], floor, req["floor_get"], wall["ours_hydrate"], x(wall["ours_hydrate"], floor)
    print ""
    printf "Per round (time of the scripts / ours, same round): first save"
    for (i = 1; i <= rounds; i++) printf " %.2fx", x(run_wall["scripts_first", i], run_wall["ours_first", i])
    printf "; hydrate"
    for (i = 1; i <= rounds; i++) printf " %.2fx", x(run_wall["scripts_hydrate", i], run_wall["ours_hydrate", i])
    printf "; hydrate / its floor"
    for (i = 1; i <= rounds; i++) {
      printf " %.2f", x(run_wall["ours_hydrate", i], run_wall["floor_get", i] + run_wall["floor_clone", i])
    }
    printf ". The server bounds the first save: its floor (curl) is %.2fx faster than the scripts.\n",
      x(wall["scripts_first"], wall["floor_first"])
    maxrss = 0
    for (k in rss) if (k ~ /^ours_/ && rss[k] > maxrss) maxrss = rss[k]
    print ""
    printf "Peak RSS of ours over all phases: %.1f MiB (target ≤ 100 MiB).\n", maxrss / 1024
  }' "$WORK/results"

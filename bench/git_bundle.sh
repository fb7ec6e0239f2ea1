#!/usr/bin/env bash
# The git layer's backup against the git CLI on the reference repository of
# TESTING.md (about 4,000 files, 400 commits, a local change), generated here:
#   - bundle creation: `ambient-workspace repo backup --force` (bundle, both
#     patches, metadata) vs `git bundle create --all` (the bundle alone):
#     time (target <= 2x) and bundle size (target <= 1.2x);
#   - an unchanged repository's backup (target <= 50 ms, process start included);
#   - peak RSS of each.
# Not part of `./run test`.
#
#   bench/git_bundle.sh [BUILD_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$ROOT/build}" && pwd)
CLI=$BUILD/examples/ambient-workspace/ambient-workspace
[ -x "$CLI" ] || { echo "no CLI at $CLI: build first" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/git-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench \
  GIT_COMMITTER_EMAIL=bench@example.com GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

echo "generating the repository (4,000 files, 400 commits)" >&2
git init -q -b main "$WORK/repo"
# fast-import: 4,000 files of source-like text in 80 directories, then 399
# commits each editing ten files; packed the way a clone would be.
python3 - <<'PY' | git -C "$WORK/repo" fast-import --quiet
import random
random.seed(7)
words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()
def body(n):
    return "".join(f"{random.choice(words)} = {random.randint(0, 10**6)}  # {' '.join(random.choices(words, k=6))}\n"
                   for _ in range(n)).encode()
files = {f"pkg{d:02d}/module_{i:03d}.py": body(random.randint(20, 60)) for d in range(80) for i in range(50)}
out = []
def commit(n, changes):
    out.append(f"commit refs/heads/main\ncommitter bench <bench@example.com> {1700000000 + n} +0000\n"
               f"data {len(f'commit {n}')}\ncommit {n}\n".encode())
    for path in changes:
        data = files[path]
        out.append(f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n")
    out.append(b"\n")
commit(0, list(files))
paths = list(files)
for n in range(1, 400):
    changed = random.sample(paths, 10)
    for p in changed:
        lines = files[p].splitlines(keepends=True)
        lines[random.randrange(len(lines))] = body(1)
        files[p] = b"".join(lines)
    commit(n, changed)
import sys
sys.stdout.buffer.write(b"".join(out))
PY
git -C "$WORK/repo" checkout -q -f main
git -C "$WORK/repo" repack -adq
git -C "$WORK/repo" branch -q feature main~50
git -C "$WORK/repo" tag v1 main~100
# The local change: edits staged and not, a new binary, untracked files.
( cd "$WORK/repo"
  for f in pkg00/module_000.py pkg01/module_001.py pkg02/module_002.py; do echo "local = 1" >> "$f"; done
  git add pkg00/module_000.py && echo "again = 2" >> pkg00/module_000.py
  head -c 65536 /dev/urandom > data.bin
  mkdir -p notes && for i in $(seq 20); do echo "note $i" > "notes/n$i.txt"; done )

# The same history with loose objects only: no pack to reuse, so both git
# and libgit2's packbuilder compute every delta.
git init -q -b main "$WORK/loose"
git -C "$WORK/loose" unpack-objects -q <"$(ls "$WORK"/repo/.git/objects/pack/*.pack)"
git -C "$WORK/repo" for-each-ref --format='update %(refname) %(objectname)' refs/heads refs/tags |
  git -C "$WORK/loose" update-ref --stdin

RESULTS=$WORK/results
# measure NAME CMD...: best wall time of 3 runs and peak RSS (KiB) of the last.
measure() {
  local name=$1; shift
  local best=
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" >/dev/null 2>"$WORK/stderr" ||
      { cat "$WORK/stderr" >&2; exit 1; }
    read -r secs kib <"$WORK/time"
    if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
  done
  echo "$name $best $kib" >>"$RESULTS"
}
# A higher-resolution timer for the fast path (/usr/bin/time has 10 ms steps).
measure_ms() {
  local name=$1; shift
  python3 - "$@" <<'PY' >>"$RESULTS"
import resource, subprocess, sys, time
best = None
for _ in range(5):
    t = time.perf_counter()
    subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    dt = time.perf_counter() - t
    best = dt if best is None else min(best, dt)
print("unchanged_backup", f"{best:.4f}", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}

echo "measuring" >&2
measure git_bundle_create git -C "$WORK/repo" bundle create -q "$WORK/git.bundle" --all
measure ours_backup "$CLI" repo backup --force "$WORK/repo" "$WORK/state"
measure git_bundle_loose git -C "$WORK/loose" bundle create -q "$WORK/git-loose.bundle" --all
measure ours_backup_loose "$CLI" repo backup --force "$WORK/loose" "$WORK/state-loose"
measure_ms unchanged_backup "$CLI" repo backup "$WORK/repo" "$WORK/state"
"$CLI" repo backup "$WORK/repo" "$WORK/state" | grep -qx unchanged || { echo "second backup was not 'unchanged'" >&2; exit 1; }
git -C "$WORK/repo" bundle verify -q "$WORK/state/repo.bundle" 2>/dev/null

files=$(git -C "$WORK/repo" ls-files | wc -l)
commits=$(git -C "$WORK/repo" rev-list --count main)
git_size=$(stat -c %s "$WORK/git.bundle")
our_size=$(stat -c %s "$WORK/state/repo.bundle")
read -r _ git_s git_kib < <(grep '^git_bundle_create ' "$RESULTS")
read -r _ our_s our_kib < <(grep '^ours_backup ' "$RESULTS")
read -r _ unch_s unch_kib < <(grep '^unchanged_backup ' "$RESULTS")
read -r _ gitl_s gitl_kib < <(grep '^git_bundle_loose ' "$RESULTS")
read -r _ ourl_s ourl_kib < <(grep '^ours_backup_loose ' "$RESULTS")
gitl_size=$(stat -c %s "$WORK/git-loose.bundle")
ourl_size=$(stat -c %s "$WORK/state-loose/repo.bundle")
echo "git layer: repository of $files files, $commits commits, with local changes"
printf '  %-34s %8.3f s  %8d KiB peak  bundle %d bytes\n' "git bundle create --all" "$git_s" "$git_kib" "$git_size"
printf '  %-34s %8.3f s  %8d KiB peak  bundle %d bytes\n' "ambient-workspace repo backup" "$our_s" "$our_kib" "$our_size"
printf '  %-34s %8.3f s  %8d KiB peak  bundle %d bytes\n' "loose only: git bundle create --all" "$gitl_s" "$gitl_kib" "$gitl_size"
printf '  %-34s %8.3f s  %8d KiB peak  bundle %d bytes\n' "loose only: repo backup" "$ourl_s" "$ourl_kib" "$ourl_size"
printf '  %-34s %8.1f ms %8d KiB peak\n' "unchanged repo backup" "$(awk "BEGIN{print $unch_s*1000}")" "$unch_kib"
awk -v a="$our_s" -v b="$git_s" -v c="$our_size" -v d="$git_size" -v u="$unch_s" \
    -v la="$ourl_s" -v lb="$gitl_s" -v lc="$ourl_size" -v ld="$gitl_size" 'BEGIN{
  printf "  ratios: time %.2fx (target <= 2), size %.3fx (target <= 1.2); unchanged %.1f ms (target <= 50)\n",
         (b > 0 ? a / b : 0), c / d, u * 1000
  printf "  loose-only ratios (packbuilder path): time %.2fx, size %.3fx\n", (lb > 0 ? la / lb : 0), lc / ld }'

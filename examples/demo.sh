#!/usr/bin/env bash
# ./run demo: libworkspace end to end with no server, on the local-directory
# object store (S3_ENDPOINT=file://...). It plays one agent session:
#   1. origin repositories are created with the git CLI;
#   2. `ambient-workspace hydrate` prepares workspace #1 (layout + clones);
#   3. the "agent" works: a new branch with commits, staged, unstaged, binary,
#      deleted and untracked files, state files (with a SQLite WAL database),
#      artifacts and uploads with odd names, plus junk the sync excludes;
#   4. `ambient-workspace sync --once` saves it;
#   5. `ambient-workspace hydrate` restores it into a fresh workspace #2;
#   6. both are compared (git status, branches, HEADs, file checksums and
#      modes) and a verdict line is printed;
#   7. for contrast, the old scripts' save/restore procedure is replayed on
#      the same repo, showing what it loses.
# Usage: examples/demo.sh <path to the ambient-workspace binary>
set -euo pipefail
BIN=${1:?usage: demo.sh path/to/ambient-workspace}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ws-demo.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
START=$(date +%s.%N)

bold() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
git_q() { git -c init.defaultBranch=main -c user.name=Demo -c user.email=demo@example.com "$@"; }
# Run as root, hydrate gives the repos to the pod's runner (UID 1001); this
# demo plays the runner as the same user, so git's ownership check is off
# for its own git commands (tests/pod plays the real users).
if [ "$(id -u)" = 0 ]; then
  export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=safe.directory GIT_CONFIG_VALUE_0='*'
fi

export S3_ENDPOINT="file://$TMP/store" S3_BUCKET=ambient-sessions
export AWS_ACCESS_KEY_ID=demo-access AWS_SECRET_ACCESS_KEY=demo-secret
export SESSION_NAME=demo-session NAMESPACE=demo-project RUNNER_STATE_DIR=.claude
mkdir -p "$TMP/store/$S3_BUCKET"

bold "1. origin repositories (git CLI)"
make_origin() {  # name, number of commits
  local name=$1 n=$2 src="$TMP/src/$1"
  git_q init -q "$src"
  for i in $(seq 1 "$n"); do
    printf 'line %s of %s\n' "$i" "$name" >>"$src/README.md"
    printf '#!/bin/sh\necho %s\n' "$i" >"$src/run.sh"; chmod +x "$src/run.sh"
    git_q -C "$src" add -A; git_q -C "$src" commit -qm "commit $i"
  done
  head -c 4096 /dev/urandom >"$src/logo.png"
  printf 'to be deleted\n' >"$src/obsolete.txt"
  git_q -C "$src" add -A; git_q -C "$src" commit -qm "assets"
  git_q clone -q --bare "$src" "$TMP/origins/$name.git"
  echo "  origins/$name.git: $(git -C "$TMP/origins/$name.git" rev-list --count HEAD) commits"
}
make_origin app 5
make_origin lib 3
export REPOS_JSON="[{\"url\":\"file://$TMP/origins/app.git\"},{\"url\":\"file://$TMP/origins/lib.git\",\"branch\":\"main\"}]"

bold "2. hydrate workspace #1 (fresh session: layout + clones)"
WORKSPACE_ROOT="$TMP/ws1" "$BIN" hydrate

bold "3. the agent works in workspace #1"
W=$TMP/ws1
(
  cd "$W/repos/app"
  git_q checkout -qb feature/login
  echo "login()" >login.py; git_q add login.py; git_q commit -qm "add login"
  echo "logout()" >>login.py; git_q commit -qam "add logout"
  echo "staged line" >>README.md; git_q add README.md                 # staged
  echo "unstaged line" >>README.md                                    # staged + unstaged
  printf '#!/bin/sh\necho changed\n' >run.sh                          # unstaged, mode 0755 kept
  head -c 3000 /dev/urandom >logo.png                                 # binary change
  git_q rm -q obsolete.txt                                            # staged deletion
  echo "notes, never committed" >"meeting notes.md"                   # untracked
  mkdir -p node_modules/x && echo junk >node_modules/x/index.js       # untracked junk
)
(
  cd "$W/repos/lib"
  echo "wip" >>README.md                                              # unstaged only
)
mkdir -p "$W/.claude/projects/demo" "$W/.claude/todos"
echo '{"theme":"dark"}' >"$W/.claude/settings.json"
for i in 1 2 3; do echo "{\"turn\":$i}" >>"$W/.claude/projects/demo/session.jsonl"; done
sqlite3 "$W/.claude/history.db" 'PRAGMA journal_mode=WAL; CREATE TABLE h(x); INSERT INTO h VALUES (1),(2),(3);' >/dev/null
echo "# Report" >"$W/artifacts/report.md"
head -c 200000 /dev/urandom >"$W/artifacts/plot data (final).bin"
mkdir -p "$W/artifacts/node_modules/pkg" "$W/artifacts/__pycache__"
echo junk >"$W/artifacts/node_modules/pkg/index.js"; echo junk >"$W/artifacts/__pycache__/m.pyc"
printf 'a,b\n1,2\n' >"$W/file-uploads/data #1 ünïcode.csv"
echo "  branch feature/login with 2 commits, staged/unstaged/binary/deleted/untracked changes,"
echo "  state files + SQLite WAL database, artifacts and uploads (+ excluded junk)"

# The "before" side of step 6 is described now, before the sync: a sync
# that altered workspace #1 would otherwise be compared with its own result.
EXCLUDED='(^|/)(node_modules|\.venv|__pycache__|\.cache|target|dist|build|\.git|debug)(/|$)|\.pyc$'
describe_repo() {  # repo dir
  local r=$1
  echo "HEAD: $(git -C "$r" rev-parse --abbrev-ref HEAD) $(git -C "$r" rev-parse HEAD)"
  git -C "$r" for-each-ref --format='branch %(refname:short) %(objectname)' refs/heads
  echo "status:"; git -C "$r" status --porcelain=v1 -uall | sed 's/^/  /'
  echo "staged diff sha256: $(git -C "$r" diff --cached --binary | sha256sum | cut -c1-16)"
  echo "unstaged diff sha256: $(git -C "$r" diff --binary | sha256sum | cut -c1-16)"
  (cd "$r" && find . -type f ! -path './.git/*' -printf '%m %p\n' | sort | while read -r m p; do
     echo "file $m $(sha256sum "$p" | cut -c1-16) $p"; done)
}
describe_trees() {  # workspace root
  (cd "$1" && find .claude artifacts file-uploads -type f -printf '%p\n' | grep -Ev "$EXCLUDED" | grep -v '\.db-\(wal\|shm\)$' | sort |
     while read -r p; do echo "$(sha256sum "$p" | cut -c1-16) $p"; done)
  echo "history.db rows: $(sqlite3 "$1/.claude/history.db" 'SELECT count(*) FROM h')"
}
# Files the sync excludes on purpose (node_modules, __pycache__, *.pyc, ...)
# are left out of the comparison; they are listed below instead.
strip_excluded() { grep -Ev "file [0-9]+ [0-9a-f]+ \./.*(node_modules|__pycache__)/" || true; }
for repo in app lib; do
  describe_repo "$W/repos/$repo" | strip_excluded >"$TMP/before-$repo.txt"
done
describe_trees "$W" >"$TMP/before-trees.txt"

bold "4. sync --once from workspace #1"
WORKSPACE_ROOT="$W" SYNC_INITIAL_DELAY=0 "$BIN" sync --once
echo "  objects in the store:"
(cd "$TMP/store/$S3_BUCKET" && find . -type f ! -path '*/.ws-tmp/*' | sed 's|^\./|    |' | sort)

bold "5. hydrate a fresh workspace #2 from the store"
WORKSPACE_ROOT="$TMP/ws2" "$BIN" hydrate

bold "6. before (workspace #1, described before the sync) / after (workspace #2)"
ok=1
for repo in app lib; do
  describe_repo "$TMP/ws2/repos/$repo" | strip_excluded >"$TMP/after-$repo.txt"
  echo "--- repos/$repo"
  if diff -u "$TMP/before-$repo.txt" "$TMP/after-$repo.txt" >"$TMP/diff-$repo.txt"; then
    sed 's/^/  same  /' "$TMP/before-$repo.txt"
  else
    ok=0; cat "$TMP/diff-$repo.txt"
  fi
done
describe_trees "$TMP/ws2" >"$TMP/after-trees.txt"
echo "--- state, artifacts, file-uploads"
if diff -u "$TMP/before-trees.txt" "$TMP/after-trees.txt" >"$TMP/diff-trees.txt"; then
  sed 's/^/  same  /' "$TMP/before-trees.txt"
else
  ok=0; cat "$TMP/diff-trees.txt"
fi
echo "--- excluded by design (present in #1, absent in #2):"
while read -r p; do
  if [ -e "$TMP/ws2/$p" ]; then ok=0; echo "  UNEXPECTED in #2: $p"; else echo "  $p"; fi
done < <(cd "$TMP/ws1" && find .claude artifacts file-uploads -type f | grep -E "$EXCLUDED" | sort)
echo "  repos/app/node_modules/x/index.js: untracked junk inside a repo travels with the repo: $( [ -e "$TMP/ws2/repos/app/node_modules/x/index.js" ] && echo restored || echo absent)"

bold "7. for contrast: the old scripts' procedure on the same repos/app"
# git bundle + `git diff HEAD` / `git diff --cached` (no --binary, no
# untracked files), restored with plain git fetch + git apply.
S=$TMP/scripts && mkdir -p "$S"
git -C "$W/repos/app" bundle create "$S/repo.bundle" --all 2>/dev/null
git -C "$W/repos/app" diff HEAD >"$S/uncommitted.patch"
git -C "$W/repos/app" diff --cached >"$S/staged.patch"
git_q clone -q "file://$TMP/origins/app.git" "$S/app"
(cd "$S/app"
  git_q fetch -q --update-head-ok "$S/repo.bundle" '+refs/heads/*:refs/heads/*'
  git_q checkout -q -f feature/login
  git_q apply "$S/uncommitted.patch" 2>"$S/apply.err" || echo "  git apply uncommitted.patch: $(head -1 "$S/apply.err")"
  git_q apply --cached "$S/staged.patch" 2>/dev/null || echo "  git apply --cached staged.patch failed")
describe_repo "$S/app" | strip_excluded >"$TMP/scripts-app.txt"
lost=$(diff "$TMP/before-app.txt" "$TMP/scripts-app.txt" | grep -c '^<' || true)
echo "  the scripts' restore differs from workspace #1 in $lost line(s) of the comparison, e.g.:"
diff "$TMP/before-app.txt" "$TMP/scripts-app.txt" | grep '^[<>]' | sed -n '1,8s/^/    /p' || true
echo "  (libworkspace: 0 differences, see above)"

ELAPSED=$(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo
if [ "$ok" = 1 ]; then
  echo "VERDICT: PASS - workspace #2 is identical to workspace #1 (branches, HEADs, git status, staged and unstaged diffs, file bytes and modes, state, artifacts, uploads) in ${ELAPSED}s"
else
  echo "VERDICT: FAIL - workspace #2 differs from workspace #1 (see the diff above)"
  exit 1
fi

"""The git layer from Python: clone, workflow clone, backup and restore,
with the git CLI building the fixtures and checking the results."""
import os
import subprocess
import sys

import pytest

import libworkspace as lw

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Py Test", "GIT_AUTHOR_EMAIL": "py@example.com",
    "GIT_COMMITTER_NAME": "Py Test", "GIT_COMMITTER_EMAIL": "py@example.com",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
}


def git(cwd, script):
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=GIT_ENV,
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def origin(tmp_path):
    git(tmp_path, """
        git init -q -b main seed && cd seed
        printf 'hello\\n' > README.md && head -c 2000 /dev/urandom > blob.bin
        mkdir -p flows/a && printf 'f\\n' > flows/a/flow.md
        git add -A && git commit -q -m first && git branch feature
        cd .. && git clone -q --bare seed origin.git""")
    return f"file://{tmp_path / 'origin.git'}"


def state_of(repo):
    return git(repo, "git for-each-ref refs/heads; git symbolic-ref -q HEAD || git rev-parse HEAD;"
                     " git ls-files -s; git status --porcelain=v1 -uall")


def test_clone_takes_one_branch_and_writes_no_identity(tmp_path, origin):
    done = lw.clone(origin, tmp_path / "repo", branch="feature")
    assert done["branch"] == "feature"
    assert len(done["head_sha"]) == 40
    assert git(tmp_path / "repo", "git config --local --get-regexp '^user\\.' || true").strip() == ""


def test_clone_failures_raise_classified_errors(tmp_path, origin):
    with pytest.raises(lw.NotFoundError):
        lw.clone(f"file://{tmp_path / 'missing.git'}", tmp_path / "a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("mine")
    with pytest.raises(lw.ConflictError):
        lw.clone(origin, tmp_path / "b")


def test_clone_workflow_keeps_the_sub_directory(tmp_path, origin):
    done = lw.clone_workflow(origin, tmp_path / "workflows", "wf", subpath="flows/a")
    assert done["whole_repo"] is False
    assert (tmp_path / "workflows" / "wf" / "flow.md").read_text() == "f\n"
    with pytest.raises(lw.UnsafePathError):
        lw.clone_workflow(origin, tmp_path / "workflows", "wf2", subpath="../up")


def test_backup_then_restore_gives_back_the_repository(tmp_path, origin):
    git(tmp_path, f"git clone -q {origin} work")
    work = tmp_path / "work"
    git(work, """
        git checkout -q -b topic
        printf 'staged\\n' >> README.md && git add README.md && printf 'unstaged\\n' >> README.md
        head -c 100 /dev/urandom >> blob.bin
        mkdir -p 'new dir' && printf 'u\\n' > 'new dir/ü.txt'""")
    events = []
    first = lw.backup_repo(work, tmp_path / "state", log=lambda *e: events.append(e))
    assert first["unchanged"] is False and first["current_branch"] == "topic"
    assert any(e[1] == "backup.done" for e in events)
    assert lw.backup_repo(work, tmp_path / "state")["unchanged"] is True

    done = lw.restore_repo(tmp_path / "state", tmp_path / "restored")
    assert done["cloned"] is True
    assert done["head_matches"] is True
    assert done["rejected_worktree"] == [] and done["rejected_index"] == []
    assert state_of(tmp_path / "restored") == state_of(work)


def test_restore_of_a_corrupt_bundle_raises_and_leaves_the_repo(tmp_path, origin):
    git(tmp_path, f"git clone -q {origin} work && git clone -q {origin} fresh")
    lw.backup_repo(tmp_path / "work", tmp_path / "state")
    bundle = tmp_path / "state" / "repo.bundle"
    bundle.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
    before = state_of(tmp_path / "fresh")
    with pytest.raises(lw.GitError):
        lw.restore_repo(tmp_path / "state", tmp_path / "fresh")
    assert state_of(tmp_path / "fresh") == before


# backup_repo first reads its state file. Here that file is a FIFO that only a
# Python thread of the same process writes: the call can finish only if it
# released the GIL. The call runs in a child interpreter, so a binding that
# kept the GIL fails on the timeout instead of hanging the suite.
GIL_BACKUP = """
import os, sys, threading
import libworkspace as lw
work, state, fifo = sys.argv[1:4]
os.mkfifo(fifo)

def feed():
    with open(fifo, "w") as f:
        f.write("a fingerprint of nothing")

feeder = threading.Thread(target=feed)
feeder.start()
done = lw.backup_repo(work, state, state_file=fifo)
feeder.join()
print(done["unchanged"], done["has_bundle"])
"""


def test_backup_releases_the_gil(tmp_path, origin):
    git(tmp_path, f"git clone -q {origin} work")
    fifo = tmp_path / "fingerprint"
    try:
        r = subprocess.run([sys.executable, "-c", GIL_BACKUP, str(tmp_path / "work"), str(tmp_path / "state"),
                            str(fifo)], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("backup_repo never read the state file a Python thread was writing: it kept the GIL")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "True"]
    assert (tmp_path / "state" / "repo.bundle").is_file()
    assert fifo.is_file()  # the FIFO was read, then replaced by the new fingerprint

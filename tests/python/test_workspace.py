"""The workspace functions of the installed wheel: hydrate, sync_once and the
Sidecar, on the local-directory store (file://) with the git CLI as oracle."""
import os
import pathlib
import socket
import subprocess
import threading

import pytest

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Py Test", "GIT_AUTHOR_EMAIL": "py@example.com",
    "GIT_COMMITTER_NAME": "Py Test", "GIT_COMMITTER_EMAIL": "py@example.com",
    "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
    # The tests may run as root over repos hydrate gave to the runner (1001).
    "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "safe.directory", "GIT_CONFIG_VALUE_0": "*",
}


def git(*args, cwd):
    env = dict(os.environ, **GIT_ENV)
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def origin(tmp_path) -> str:
    seed = tmp_path / "seed"
    seed.mkdir()
    git("init", "-q", "-b", "main", cwd=seed)
    (seed / "README.md").write_text("hello\n")
    git("add", "-A", cwd=seed)
    git("commit", "-q", "-m", "first", cwd=seed)
    git("clone", "-q", "--bare", str(seed), str(tmp_path / "app.git"), cwd=tmp_path)
    return f"file://{tmp_path / 'app.git'}"


def session(tmp_path, root, **extra):
    store = tmp_path / "store"
    (store / "bucket").mkdir(parents=True, exist_ok=True)
    env = {
        "WORKSPACE_ROOT": str(root), "SESSION_NAME": "s1", "NAMESPACE": "ns",
        "S3_ENDPOINT": f"file://{store}", "S3_BUCKET": "bucket",
        "AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "secret-value",
        "SYNC_INITIAL_DELAY": "0", "SYNC_INTERVAL": "1",
    }
    env.update(extra)
    return env


def test_round_trip_restores_branch_changes_and_state(lw, tmp_path, origin):
    repos = f'[{{"url": "{origin}"}}]'
    first = lw.hydrate(session(tmp_path, tmp_path / "ws1", REPOS_JSON=repos))
    assert first["repos_cloned"] == 1
    repo = tmp_path / "ws1" / "repos" / "app"
    git("checkout", "-q", "-b", "agent", cwd=repo)
    (repo / "README.md").write_text("hello\nchanged\n")
    (repo / "untracked.txt").write_text("new\n")
    (tmp_path / "ws1" / ".claude" / "settings.json").write_text("{}")

    events = []
    report = lw.sync_once(session(tmp_path, tmp_path / "ws1"),
                          log=lambda level, event, message: events.append(event))
    assert report["repos_backed_up"] == 1
    assert report["files_uploaded"] >= 1
    assert "sync.cycle" in events

    second = lw.hydrate(session(tmp_path, tmp_path / "ws2", REPOS_JSON=repos))
    assert second["repos_restored"] == 1
    repo2 = tmp_path / "ws2" / "repos" / "app"
    assert git("rev-parse", "--abbrev-ref", "HEAD", cwd=repo2).strip() == "agent"
    assert git("status", "--porcelain", cwd=repo2) == git("status", "--porcelain", cwd=repo)
    assert (tmp_path / "ws2" / ".claude" / "settings.json").read_text() == "{}"


def test_hydrate_without_persistence_only_makes_the_layout(lw, tmp_path):
    report = lw.hydrate({"WORKSPACE_ROOT": str(tmp_path / "ws")})
    assert report["persistence"] is False
    assert (tmp_path / "ws" / "repos").is_dir()


def test_hydrate_raises_network_error_when_the_store_is_down(lw, tmp_path):
    # Bound but not listening: connections are refused, and nothing else can
    # take the port while the socket is held.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        env = session(tmp_path, tmp_path / "ws", S3_ENDPOINT=f"http://127.0.0.1:{port}")
        with pytest.raises(lw.NetworkError) as info:
            lw.hydrate(env)
    assert "secret-value" not in str(info.value)


def test_sync_once_refuses_conflicting_flags(lw, tmp_path):
    with pytest.raises(lw.InvalidInputError):
        lw.sync_once(session(tmp_path, tmp_path / "ws"), state_only=True, repos_only=True)


def test_sidecar_saves_on_stop_from_another_thread(lw, tmp_path):
    env = session(tmp_path, tmp_path / "ws", SYNC_INITIAL_DELAY="3600")
    lw.hydrate(env)
    (tmp_path / "ws" / "artifacts" / "out.txt").write_text("result")
    sidecar = lw.Sidecar(env)
    runner = threading.Thread(target=sidecar.run)
    runner.start()
    sidecar.stop()
    runner.join(timeout=30)
    assert not runner.is_alive()
    stored = tmp_path / "store" / "bucket" / "ns" / "s1" / "artifacts" / "out.txt"
    assert stored.read_text() == "result"

"""The store and sync layers from Python, against the local-directory store
(and s3rver when the test peers are installed)."""
import os
import pathlib
import shutil
import socket
import subprocess
import threading
import time

import pytest

import libworkspace as lw


@pytest.fixture
def store(tmp_path):
    (tmp_path / "objects" / "bucket").mkdir(parents=True)
    return lw.Store(f"file://{tmp_path / 'objects'}", "bucket")


def make_tree(root: pathlib.Path):
    (root / "dir" / "deep").mkdir(parents=True)
    (root / "node_modules").mkdir()
    (root / "a.txt").write_text("alpha")
    (root / "dir" / "deep" / "c.bin").write_bytes(os.urandom(200_000))
    (root / "node_modules" / "x.js").write_text("excluded")
    (root / "dir" / "x.pyc").write_text("excluded")


def test_default_excludes_are_spec_list():
    ex = lw.default_excludes()
    assert "node_modules/**" in ex and "*.pyc" in ex and "repos/**" in ex


def test_mirror_up_then_copy_down_round_trips_bytes_and_mtimes(store, tmp_path):
    src = tmp_path / "src"
    make_tree(src)
    os.utime(src / "a.txt", (1_600_000_000.5, 1_600_000_000.5))
    s = store.mirror_up(str(src), "ns/s1/artifacts")
    assert s["ok"] and s["transferred"] == 2 and s["failed"] == []
    keys = [o["key"] for o in store.list("ns/s1/")]
    assert keys == ["ns/s1/artifacts/a.txt", "ns/s1/artifacts/dir/deep/c.bin"]
    d = store.copy_down("ns/s1/artifacts", str(tmp_path / "dst"))
    assert d["transferred"] == 2
    assert (tmp_path / "dst/dir/deep/c.bin").read_bytes() == (src / "dir/deep/c.bin").read_bytes()
    assert int((tmp_path / "dst/a.txt").stat().st_mtime) == 1_600_000_000


def test_second_cycle_with_state_db_transfers_nothing(store, tmp_path):
    src = tmp_path / "src"
    make_tree(src)
    db = str(tmp_path / "state" / "sync.db")
    store.mirror_up(str(src), "p", state_db=db)
    again = store.mirror_up(str(src), "p", state_db=db)
    assert again["transferred"] == 0 and again["unchanged"] == 2 and not again["listed"]


def test_deletes_propagate(store, tmp_path):
    src = tmp_path / "src"
    make_tree(src)
    store.mirror_up(str(src), "p")
    (src / "a.txt").unlink()
    s = store.mirror_up(str(src), "p")
    assert s["deleted"] == 1
    assert [o["key"] for o in store.list("p/")] == ["p/dir/deep/c.bin"]


def test_progress_and_log_callbacks_are_called(store, tmp_path):
    src = tmp_path / "src"
    make_tree(src)
    seen, logs = [], []
    store.mirror_up(str(src), "p", progress=seen.append, log=lambda *a: logs.append(a))
    assert seen[-1]["files_done"] == seen[-1]["files_total"] == 2
    assert seen[-1]["bytes_done"] == seen[-1]["bytes_total"] == 200_005
    assert any(event == "sync.mirrored" for _, event, _ in logs)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_raising_callback_does_not_break_the_sync(store, tmp_path):
    src = tmp_path / "src"
    make_tree(src)

    def boom(_):
        raise RuntimeError("callback failure")

    s = store.mirror_up(str(src), "p", progress=boom)
    assert s["ok"] and s["transferred"] == 2


def test_missing_local_root_raises_not_found(store, tmp_path):
    with pytest.raises(lw.NotFoundError):
        store.mirror_up(str(tmp_path / "missing"), "p")


def test_unsafe_prefix_raises(store, tmp_path):
    with pytest.raises(lw.UnsafePathError):
        store.copy_down("../x", str(tmp_path / "dst"))


def test_gil_is_released_during_transfers(store, tmp_path):
    # A Python thread can tick *during* the call only if the call released the
    # GIL; with it held for the whole call, no tick falls inside [start, end].
    src = tmp_path / "src"
    (src).mkdir()
    for i in range(1000):
        (src / f"f{i}").write_bytes(os.urandom(4096))
    ticks = []
    running = threading.Event()
    stop = threading.Event()

    def ticker():
        running.set()
        while not stop.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.001)

    t = threading.Thread(target=ticker)
    t.start()
    running.wait()
    try:
        start = time.monotonic()
        store.mirror_up(str(src), "p")
        end = time.monotonic()
    finally:
        stop.set()
        t.join()
    during = [x for x in ticks if start < x < end]
    assert len(during) >= 1, f"no Python thread ran during a {1000 * (end - start):.0f} ms transfer"


def _s3rver_bin():
    peers = pathlib.Path(os.environ.get("WS_PEERS_DIR", pathlib.Path(__file__).resolve().parents[1] / "peers"))
    exe = peers / "node_modules" / ".bin" / "s3rver"
    return exe if exe.exists() and shutil.which("node") else None


@pytest.mark.skipif(_s3rver_bin() is None, reason="s3rver (test peers) not installed")
def test_round_trip_through_s3rver(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tmp_path / "s3data"
    data.mkdir()
    proc = subprocess.Popen([str(_s3rver_bin()), "-d", str(data), "-p", str(port), "-a", "127.0.0.1",
                             "--configure-bucket", "bucket", "--silent"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            # s3rver's list continuation tokens need Node's legacy OpenSSL provider
                            env={**os.environ, "NODE_OPTIONS": "--openssl-legacy-provider"})
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        store = lw.Store(f"http://127.0.0.1:{port}", "bucket", "S3RVER", "S3RVER")
        store.check_bucket()
        src = tmp_path / "src"
        make_tree(src)
        assert store.mirror_up(str(src), "ns/s/artifacts")["transferred"] == 2
        d = store.copy_down("ns/s/artifacts", str(tmp_path / "dst"))
        assert d["ok"] and (tmp_path / "dst/a.txt").read_text() == "alpha"
    finally:
        proc.terminate()
        proc.wait(timeout=10)

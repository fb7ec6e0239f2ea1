"""The store and sync layers from Python, against the local-directory store
and s3rver."""
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

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


def _s3rver_bin():
    peers = pathlib.Path(os.environ.get("WS_PEERS_DIR", pathlib.Path(__file__).resolve().parents[1] / "peers"))
    exe = peers / "node_modules" / ".bin" / "s3rver"
    return exe if exe.exists() and shutil.which("node") else None


@pytest.fixture
def s3rver_port(tmp_path):
    """An s3rver with bucket "bucket" on a port it picks itself (read back
    from its start line: probing for a free port first races). ./run
    installs it; a missing one fails, as every missing peer does."""
    assert _s3rver_bin(), "s3rver is not installed in tests/peers: run './run install'"
    data = tmp_path / "s3data"
    data.mkdir()
    proc = subprocess.Popen([str(_s3rver_bin()), "-d", str(data), "-p", "0", "-a", "127.0.0.1",
                             "--configure-bucket", "bucket", "--silent"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            # s3rver's list continuation tokens need Node's legacy OpenSSL provider
                            env={**os.environ, "NODE_OPTIONS": "--openssl-legacy-provider"})
    try:
        port = None
        for line in proc.stdout:
            m = re.match(r"S3rver listening on 127\.0\.0\.1:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        assert port, "s3rver did not start"
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_round_trip_through_s3rver(s3rver_port, tmp_path):
    store = lw.Store(f"http://127.0.0.1:{s3rver_port}", "bucket", "S3RVER", "S3RVER")
    store.check_bucket()
    src = tmp_path / "src"
    make_tree(src)
    assert store.mirror_up(str(src), "ns/s/artifacts")["transferred"] == 2
    d = store.copy_down("ns/s/artifacts", str(tmp_path / "dst"))
    assert d["ok"] and (tmp_path / "dst/a.txt").read_text() == "alpha"


# mirror_up talks to s3rver through a relay served by a Python thread of the
# same process: the transfers can finish only if the call released the GIL.
# The call runs in a child interpreter, so a binding that kept the GIL fails
# on the timeout instead of hanging the suite.
GIL_MIRROR = """
import http.client, http.server, json, sys, threading
import libworkspace as lw
upstream_port, src = int(sys.argv[1]), sys.argv[2]
relayed = []


class Relay(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def relay(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("expect", "connection")}
        upstream = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=30)
        upstream.request(self.command, self.path, body, headers)
        answer = upstream.getresponse()
        data = answer.read()
        upstream.close()
        relayed.append(self.command)
        self.send_response(answer.status)
        for k, v in answer.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        # A HEAD answer keeps the object's length; the others carry `data`.
        length = answer.getheader("Content-Length", "0") if self.command == "HEAD" else str(len(data))
        self.send_header("Content-Length", length)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = relay


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Relay)
threading.Thread(target=server.serve_forever, daemon=True).start()
store = lw.Store(f"http://127.0.0.1:{server.server_address[1]}", "bucket", "S3RVER", "S3RVER")
summary = store.mirror_up(src, "p")
print(json.dumps({"transferred": summary["transferred"], "puts": relayed.count("PUT")}))
"""


def test_gil_is_released_during_transfers(s3rver_port, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(20):
        (src / f"f{i}").write_bytes(os.urandom(4096))
    try:
        r = subprocess.run([sys.executable, "-c", GIL_MIRROR, str(s3rver_port), str(src)],
                           capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("mirror_up never got answers from a Python thread of its process: it kept the GIL")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"transferred": 20, "puts": 20}

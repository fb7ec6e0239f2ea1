"""The auth layer from Python: API token, git credentials, host scoping.

The platform's peers are played by a small http.server in a thread of this
process; that it can answer while the library waits also shows the
bindings release the GIL around network I/O.
"""
import http.server
import json
import threading

import pytest

import libworkspace as lw

GITHUB_TOKEN = "ghp_PYTHONgithubSECRET77"
ISSUED_TOKEN = "cp-PYTHON-issued-token-55"
SA_TOKEN = "sa-PYTHON-service-account-66"


class Platform(http.server.BaseHTTPRequestHandler):
    """CP token endpoint (service-account bearer) and backend credentials API."""

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        bearer = self.headers.get("Authorization", "")
        if self.path == "/token":
            if bearer != "Bearer " + SA_TOKEN:
                return self.answer(401, {"error": "unknown bearer"})
            return self.answer(200, {"token": ISSUED_TOKEN})
        if bearer != "Bearer " + ISSUED_TOKEN:
            return self.answer(401, {"error": "unauthorized"})
        if self.path == "/api/projects/proj/agentic-sessions/sess/credentials/github":
            return self.answer(200, {"token": GITHUB_TOKEN, "userName": "octo", "email": "octo@example.com"})
        return self.answer(404, {"error": "not configured"})


@pytest.fixture
def platform():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Platform)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def sa_token_file(tmp_path):
    path = tmp_path / "token"
    path.write_text(SA_TOKEN + "\n")
    return str(path)


def session_env(platform, sa_token_file):
    return {
        "NAMESPACE": "proj",
        "SESSION_NAME": "sess",
        "AMBIENT_CP_TOKEN_URL": platform + "/token",
        "SERVICE_ACCOUNT_TOKEN_FILE": sa_token_file,
        "BACKEND_API_URL": platform + "/api",
    }


def test_api_token_from_the_cp_token_endpoint(platform, sa_token_file):
    assert lw.api_token(session_env(platform, sa_token_file)) == ISSUED_TOKEN


def test_api_token_falls_back_to_bot_token():
    assert lw.api_token({"BOT_TOKEN": "bot-token-value-1"}) == "bot-token-value-1"


def test_api_token_without_configuration_is_not_found():
    with pytest.raises(lw.NotFoundError, match="BOT_TOKEN"):
        lw.api_token({})


def test_a_refused_bearer_is_an_auth_error_naming_the_status(platform, tmp_path):
    wrong = tmp_path / "wrong"
    wrong.write_text("not-the-sa-token")
    env = session_env(platform, str(wrong))
    with pytest.raises(lw.AuthError, match="HTTP 401") as info:
        lw.api_token(env)
    assert "not-the-sa-token" not in str(info.value)


def test_credentials_are_fetched_and_scoped_to_their_hosts(platform, sa_token_file):
    lines = []
    creds = lw.resolve_credentials(session_env(platform, sa_token_file),
                                   log=lambda level, event, message: lines.append((level, event, message)))
    assert creds.outcome("github") == "fetched"
    assert creds.outcome("gitlab") == "not configured"
    assert "404" in creds.message("gitlab")
    assert creds.identity == ("octo", "octo@example.com")
    assert creds.lookup("https", "github.com") == ("x-access-token", GITHUB_TOKEN)
    assert creds.lookup("https", "API.GITHUB.COM") == ("x-access-token", GITHUB_TOKEN)
    for host in ["github.com.evil.io", "notgithub.com", "gitlab.evil.com", "github.com:8443"]:
        assert creds.lookup("https", host) is None, host
    assert creds.lookup("http", "github.com") is None
    assert ("warn", "credentials.not_configured") in [(level, event) for level, event, _ in lines]
    text = repr(creds) + "".join(m for _, _, m in lines)
    for secret in (GITHUB_TOKEN, ISSUED_TOKEN, SA_TOKEN):
        assert secret not in text


def test_environment_tokens_need_no_backend():
    creds = lw.resolve_credentials({"GITHUB_TOKEN": GITHUB_TOKEN, "GITHUB_HOSTS": "ghe.corp.example"})
    assert creds.outcome("github") == "from environment"
    assert creds.outcome("gitlab") == "skipped"
    assert creds.lookup("https", "ghe.corp.example") == ("x-access-token", GITHUB_TOKEN)
    assert creds.identity == ("Ambient Code Bot", "bot@ambient-code.local")
    assert GITHUB_TOKEN not in repr(creds)


def test_plain_http_outside_the_cluster_is_refused_for_bearers():
    with pytest.raises(lw.InvalidInputError, match="plain http"):
        lw.api_token({"AMBIENT_CP_TOKEN_URL": "http://cp.example.com/token", "SESSION_ID": "s"})


def test_unknown_hosting_is_a_value_error():
    creds = lw.resolve_credentials({})
    with pytest.raises(ValueError):
        creds.outcome("bitbucket")

"""A stand-in git HTTP host for credential and error-classification tests.

usage: fake_git_http.py PORT [USER TOKEN]
Every request is answered 401 (with a Basic challenge) unless it carries
Basic USER:TOKEN, which is answered 404: so a test can tell "credentials
refused" from "credentials offered, repository missing".
"""
import base64
import http.server
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        expected = None
        if len(sys.argv) > 3:
            expected = "Basic " + base64.b64encode(f"{sys.argv[2]}:{sys.argv[3]}".encode()).decode()
        if expected is not None and self.headers.get("Authorization") == expected:
            self.send_response(404)
        else:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_POST = do_GET

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()

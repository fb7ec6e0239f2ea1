// The HTTP layer against the Beast test server: statuses, retries and their
// pauses, timeouts, streaming from files and into a sink, and that no secret
// reaches a log line or an error.
#include <doctest/doctest.h>

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

#include "beast_server.hpp"
#include "http/http.hpp"
#include "http/loggable_url.hpp"
#include "support.hpp"

using namespace std::chrono_literals;
using ws::http::Client;
using ws::http::Request;
using ws::http::RetryPolicy;
using wstest::BeastServer;
using wstest::HttpReply;
using wstest::HttpRequest;

namespace {

// A retry policy that records its pauses instead of waiting them out.
struct RecordedPauses {
  std::vector<std::chrono::milliseconds> pauses;
  RetryPolicy policy(int attempts = 4) {
    RetryPolicy p;
    p.max_attempts = attempts;
    p.base_delay = 100ms;
    p.max_delay = 1000ms;
    p.sleeper = [this](std::chrono::milliseconds d) { pauses.push_back(d); };
    return p;
  }
};

Request get(const std::string& url) {
  Request r;
  r.url = url;
  return r;
}

wstest::HttpHandler reply(HttpReply r) {
  return [r](const HttpRequest&) { return r; };
}

// Collects a 2xx body as a transfer streams it; each attempt starts over.
struct CollectingSink final : ws::http::ResponseSink {
  std::string body;
  int restarts = 0;
  bool refuse = false;
  ws::Status restart() override {
    ++restarts;
    body.clear();
    return {};
  }
  ws::Status write(std::string_view bytes) override {
    if (refuse) return ws::Error(ws::Errc::io, "disk full");
    body.append(bytes);
    return {};
  }
};

struct CapturedLog {
  std::mutex mu;
  std::string text;
  ws::Logger logger() {
    return ws::Logger([this](const ws::LogEvent& e) {
      std::lock_guard lock(mu);
      text += std::string(e.event) + " " + std::string(e.message) + "\n";
    });
  }
};

}  // namespace

TEST_CASE("a GET returns status, headers (any case) and body") {
  BeastServer server;
  HttpReply r = HttpReply::text(200, "hello");
  r.headers.emplace_back("X-Thing", "42");
  server.route("GET", "/hello", reply(r));
  Client client;
  auto res = client.perform(get(server.url("/hello")));
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body == "hello");
  CHECK(res->header("x-thing") == "42");
  CHECK(res->header("X-THING") == "42");
  CHECK_FALSE(res->header("missing"));
}

TEST_CASE("a 4xx is an answer, not an error, and is not retried") {
  BeastServer server;
  server.route("GET", "/", reply(HttpReply::text(404, "no such thing")));
  RecordedPauses rec;
  Client client;
  auto res = client.perform(get(server.url("/x")), rec.policy());
  REQUIRE(res);
  CHECK(res->status == 404);
  CHECK(res->body == "no such thing");
  CHECK(server.request_count() == 1);
  CHECK(rec.pauses.empty());
}

TEST_CASE("a 503 is retried with growing pauses until it succeeds") {
  BeastServer server;
  server.route("GET", "/", wstest::fail_first(2, HttpReply::text(503, "busy"),
                                              reply(HttpReply::text(200, "ok"))));
  RecordedPauses rec;
  Client client;
  auto res = client.perform(get(server.url("/flaky")), rec.policy());
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(server.request_count() == 3);
  REQUIRE(rec.pauses.size() == 2);
  CHECK(rec.pauses[0] >= 50ms);
  CHECK(rec.pauses[0] <= 100ms);
  CHECK(rec.pauses[1] >= 100ms);
  CHECK(rec.pauses[1] <= 200ms);
  CHECK(client.stats().requests == 3);
  CHECK(client.stats().retries == 2);
}

TEST_CASE("a 429 is retried after the pause its Retry-After asks for") {
  BeastServer server;
  HttpReply slow_down = HttpReply::text(429, "slow down");
  slow_down.headers.emplace_back("Retry-After", "3");
  server.route("GET", "/", wstest::fail_first(1, slow_down, reply(HttpReply::text(200, "ok"))));
  RecordedPauses rec;
  Client client;
  auto res = client.perform(get(server.url("/")), rec.policy());
  REQUIRE(res);
  CHECK(res->status == 200);
  REQUIRE(rec.pauses.size() == 1);
  CHECK(rec.pauses[0] == 3000ms);
}

TEST_CASE("retries are bounded: the last 5xx answer is returned") {
  BeastServer server;
  server.route("GET", "/", reply(HttpReply::text(500, "broken")));
  RecordedPauses rec;
  Client client;
  auto res = client.perform(get(server.url("/")), rec.policy(3));
  REQUIRE(res);
  CHECK(res->status == 500);
  CHECK(server.request_count() == 3);
  CHECK(rec.pauses.size() == 2);
}

TEST_CASE("retry_5xx = false returns a 5xx at once") {
  BeastServer server;
  server.route("GET", "/", reply(HttpReply::text(503, "busy")));
  RecordedPauses rec;
  auto policy = rec.policy();
  policy.retry_5xx = false;
  Client client;
  auto res = client.perform(get(server.url("/")), policy);
  REQUIRE(res);
  CHECK(res->status == 503);
  CHECK(server.request_count() == 1);
}

TEST_CASE("a refused connection is a network error after every attempt") {
  const wstest::RefusingPort refusing;
  RecordedPauses rec;
  Client client;
  auto res = client.perform(get(refusing.url() + "/x"), rec.policy(3));
  REQUIRE_FALSE(res);
  CHECK(res.error().code == ws::Errc::network);
  CHECK(res.error().message.find("127.0.0.1") != std::string::npos);
  CHECK(rec.pauses.size() == 2);
}

TEST_CASE("an answer that is not HTTP is a network error, retried") {
  BeastServer server;
  server.route("GET", "/", wstest::fail_first(1, HttpReply::garbage(), reply(HttpReply::text(200, "ok"))));
  RecordedPauses rec;
  Client client;
  auto res = client.perform(get(server.url("/")), rec.policy());
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(server.request_count() == 2);
}

TEST_CASE("a connection reset mid-body is retried and the sink holds only the full body") {
  const std::string body(200'000, 'b');
  BeastServer server;
  server.route("GET", "/", wstest::fail_first(1, HttpReply::reset_after(50'000, std::string(200'000, 'x')),
                                              reply(HttpReply::text(200, body))));
  RecordedPauses rec;
  CollectingSink sink;
  Request req = get(server.url("/big"));
  req.response_sink = &sink;
  Client client;
  auto res = client.perform(req, rec.policy());
  REQUIRE(res);
  CHECK(res->status == 200);
  CHECK(res->body.empty());
  CHECK(sink.body == body);
  CHECK(sink.restarts == 2);
  CHECK(rec.pauses.size() == 1);
}

TEST_CASE("a stalled server hits the timeout instead of hanging") {
  BeastServer server;
  server.route("GET", "/", reply(HttpReply::stalled(10s, HttpReply::text(200, "late"))));
  Request req = get(server.url("/slow"));
  req.timeout = 300ms;
  RecordedPauses rec;
  Client client;
  const auto t0 = std::chrono::steady_clock::now();
  auto res = client.perform(req, rec.policy(2));
  const auto took = std::chrono::steady_clock::now() - t0;
  REQUIRE_FALSE(res);
  CHECK(res.error().code == ws::Errc::network);
  CHECK(res.error().message.find("imeout") != std::string::npos);
  CHECK(took < 3s);
}

TEST_CASE("a transfer slower than the low-speed limit is aborted") {
  BeastServer server;
  server.route("GET", "/", reply(HttpReply::stalled(10s, HttpReply::text(200, "late"))));
  Request req = get(server.url("/slow"));
  req.low_speed_bytes = 1000;
  req.low_speed_time = 1s;
  RecordedPauses rec;
  Client client;
  const auto t0 = std::chrono::steady_clock::now();
  auto res = client.perform(req, rec.policy(1));
  REQUIRE_FALSE(res);
  CHECK(res.error().code == ws::Errc::network);
  CHECK(std::chrono::steady_clock::now() - t0 < 5s);
}

TEST_CASE("a 2xx body streams into the sink; an error body stays in memory") {
  BeastServer server;
  server.route("GET", "/ok", reply(HttpReply::text(200, "file content")));
  server.route("GET", "/missing", reply(HttpReply::text(404, "<Error>NoSuchKey</Error>")));
  server.route("GET", "/empty", reply(HttpReply::text(200, "")));
  Client client;

  CollectingSink ok_sink;
  Request ok = get(server.url("/ok"));
  ok.response_sink = &ok_sink;
  auto r1 = client.perform(ok);
  REQUIRE(r1);
  CHECK(r1->body.empty());
  CHECK(ok_sink.body == "file content");

  CollectingSink missing_sink;
  Request missing = get(server.url("/missing"));
  missing.response_sink = &missing_sink;
  auto r2 = client.perform(missing);
  REQUIRE(r2);
  CHECK(r2->status == 404);
  CHECK(r2->body == "<Error>NoSuchKey</Error>");
  CHECK(missing_sink.restarts == 0);

  CollectingSink empty_sink;
  Request empty = get(server.url("/empty"));
  empty.response_sink = &empty_sink;
  auto r3 = client.perform(empty);
  REQUIRE(r3);
  CHECK(empty_sink.restarts == 1);  // told of the (empty) body all the same
  CHECK(empty_sink.body.empty());
}

TEST_CASE("error bodies are capped") {
  BeastServer server;
  server.route("GET", "/", reply(HttpReply::text(500, std::string(1'000'000, 'e'))));
  RecordedPauses rec;
  Client client;
  auto res = client.perform(get(server.url("/")), rec.policy(1));
  REQUIRE(res);
  CHECK(res->body.size() == 64 * 1024);
}

TEST_CASE("a sink that refuses the body ends the transfer with its error") {
  BeastServer server;
  server.route("GET", "/", reply(HttpReply::text(200, "data")));
  CollectingSink sink;
  sink.refuse = true;
  Request req = get(server.url("/"));
  req.response_sink = &sink;
  Client client;
  auto res = client.perform(req);
  REQUIRE_FALSE(res);
  CHECK(res.error().code == ws::Errc::io);
  CHECK(res.error().message.find("disk full") != std::string::npos);
}

TEST_CASE("a body streams from a byte range of a file, again on each retry") {
  wstest::TempDir dir("http");
  wstest::write_file(dir / "src", "0123456789abcdefghij");
  BeastServer server;
  server.route("PUT", "/", wstest::fail_first(1, HttpReply::text(503, ""), [](const HttpRequest& r) {
                 return HttpReply::text(200, "got " + r.body);
               }));
  Request req;
  req.method = "PUT";
  req.url = server.url("/part");
  req.body_file = dir / "src";
  req.body_offset = 5;
  req.body_length = 10;
  RecordedPauses rec;
  Client client;
  auto res = client.perform(req, rec.policy());
  REQUIRE(res);
  CHECK(res->body == "got 56789abcde");
  const auto seen = server.requests();
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].body == "56789abcde");
  CHECK(seen[1].header("content-length") == "10");
  CHECK(client.stats().bytes_sent == 20);
}

TEST_CASE("a body from memory, to the end of a file, and an empty PUT") {
  wstest::TempDir dir("http");
  wstest::write_file(dir / "src", "0123456789");
  BeastServer server;
  server.route("*", "/", [](const HttpRequest& r) { return HttpReply::text(200, r.method + ":" + r.body); });
  Client client;
  Request mem;
  mem.method = "POST";
  mem.url = server.url("/m");
  mem.body = "<xml/>";
  auto r1 = client.perform(mem);
  REQUIRE(r1);
  CHECK(r1->body == "POST:<xml/>");

  Request tail;
  tail.method = "PUT";
  tail.url = server.url("/t");
  tail.body_file = dir / "src";
  tail.body_offset = 7;
  auto r2 = client.perform(tail);
  REQUIRE(r2);
  CHECK(r2->body == "PUT:789");

  Request empty;
  empty.method = "PUT";
  empty.url = server.url("/e");
  auto r3 = client.perform(empty);
  REQUIRE(r3);
  CHECK(r3->body == "PUT:");
  CHECK(server.requests().back().header("content-length") == "0");

  Request del;
  del.method = "DELETE";
  del.url = server.url("/d");
  auto r4 = client.perform(del);
  REQUIRE(r4);
  CHECK(r4->body == "DELETE:");

  Request head;
  head.method = "HEAD";
  head.url = server.url("/h");
  auto r5 = client.perform(head);
  REQUIRE(r5);
  CHECK(r5->status == 200);
  CHECK(r5->body.empty());
}

TEST_CASE("a missing body file is not_found, and nothing is sent") {
  BeastServer server;
  Request req;
  req.method = "PUT";
  req.url = server.url("/");
  req.body_file = "/nonexistent/file";
  Client client;
  auto res = client.perform(req);
  REQUIRE_FALSE(res);
  CHECK(res.error().code == ws::Errc::not_found);
  CHECK(server.request_count() == 0);
}

TEST_CASE("a malformed URL or a scheme other than http(s) is invalid input, not retried") {
  RecordedPauses rec;
  Client client;
  auto bad = client.perform(get("http://[::1"), rec.policy());
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == ws::Errc::invalid_input);
  auto ftp = client.perform(get("ftp://127.0.0.1/x"), rec.policy());
  REQUIRE_FALSE(ftp);
  CHECK(ftp.error().code == ws::Errc::invalid_input);
  auto file = client.perform(get("file:///etc/passwd"), rec.policy());
  REQUIRE_FALSE(file);
  CHECK(file.error().code == ws::Errc::invalid_input);
  CHECK(rec.pauses.empty());
}

TEST_CASE("no secret reaches a log line or an error: headers, userinfo, signed query") {
  const std::string token = "tok-SECRET-abc123";
  const std::string password = "pw-SECRET-xyz789";
  const std::string signature = "sig-SECRET-0000";
  BeastServer server;
  server.route("GET", "/", wstest::fail_first(1, HttpReply::text(503, ""), reply(HttpReply::text(200, "ok"))));
  CapturedLog log;
  Client client(log.logger());
  Request req = get("http://user:" + password + "@127.0.0.1:" + std::to_string(server.port()) +
                    "/o?X-Amz-Signature=" + signature + "&partNumber=1");
  req.headers.push_back({"Authorization", "Bearer " + token});
  RecordedPauses rec;
  auto res = client.perform(req, rec.policy());
  REQUIRE(res);
  CHECK(server.requests().at(0).header("authorization") == "Bearer " + token);

  Request dead = req;
  const wstest::RefusingPort refusing;
  dead.url = "http://user:" + password + "@127.0.0.1:" + std::to_string(refusing.port()) +
             "/o?X-Amz-Signature=" + signature;
  auto failed = client.perform(dead, rec.policy(2));
  REQUIRE_FALSE(failed);
  const std::string all = log.text + failed.error().message;
  CHECK(all.find("http.retry") != std::string::npos);
  CHECK(all.find("partNumber=1") != std::string::npos);
  for (const auto& secret : {token, password, signature}) {
    CHECK_MESSAGE(all.find(secret) == std::string::npos, "leaked: " << secret);
  }
}

TEST_CASE("loggable_url masks userinfo and credential query values only") {
  using ws::http::loggable_url;
  CHECK(loggable_url("https://u:p@h/x?a=1&X-Amz-Credential=AKIA%2Fx&b=2") ==
        "https://h/x?a=1&X-Amz-Credential=***&b=2");
  CHECK(loggable_url("https://h/x?uploads") == "https://h/x?uploads");
  CHECK(loggable_url("https://h/x?access_token=t#frag") == "https://h/x?access_token=***#frag");
  CHECK(loggable_url("https://h/x") == "https://h/x");
}

TEST_CASE("TLS is always verified; CURL_CA_BUNDLE names the trusted CA") {
  wstest::TempDir dir("http");
  const auto identity = wstest::TlsIdentity::self_signed_loopback();
  wstest::write_file(dir / "ca.pem", identity.cert_pem);
  BeastServer server(identity);
  server.route("GET", "/", reply(HttpReply::text(200, "secure")));
  RecordedPauses rec;

  const char* saved = std::getenv("CURL_CA_BUNDLE");
  const std::string saved_value = saved != nullptr ? saved : "";
  {
    Client untrusting;
    auto res = untrusting.perform(get(server.url("/")), rec.policy(1));
    REQUIRE_FALSE(res);
    CHECK(res.error().code == ws::Errc::network);
  }
  setenv("CURL_CA_BUNDLE", (dir / "ca.pem").c_str(), 1);
  {
    Client trusting;
    auto res = trusting.perform(get(server.url("/")), rec.policy(1));
    REQUIRE(res);
    CHECK(res->body == "secure");
  }
  if (saved != nullptr) setenv("CURL_CA_BUNDLE", saved_value.c_str(), 1);
  else unsetenv("CURL_CA_BUNDLE");
}

TEST_CASE("proxies come from the environment as curl reads them, NO_PROXY included") {
  BeastServer proxy;
  proxy.route("GET", "http://origin.invalid/", [](const HttpRequest& r) {
    return HttpReply::text(200, "via proxy: " + r.target);
  });
  setenv("http_proxy", proxy.url().c_str(), 1);
  RecordedPauses rec;
  {
    Client client;
    auto res = client.perform(get("http://origin.invalid/thing"), rec.policy(1));
    REQUIRE(res);
    CHECK(res->body == "via proxy: http://origin.invalid/thing");
  }
  setenv("NO_PROXY", "origin.invalid", 1);
  {
    Client client;
    auto res = client.perform(get("http://origin.invalid/thing"), rec.policy(1));
    REQUIRE_FALSE(res);
    CHECK(res.error().code == ws::Errc::network);
  }
  unsetenv("NO_PROXY");
  unsetenv("http_proxy");
  CHECK(proxy.request_count() == 1);
}

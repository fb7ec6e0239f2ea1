// A small HTTP/1.1 server for tests (Boost.Beast) on 127.0.0.1 and a free
// port, serving on its own threads. It plays the peers that speak plain
// HTTP: the CP token endpoint, the backend credentials API, a git smart-HTTP
// host, a flaky S3. Routes map a method and a path prefix to a handler; a
// handler's reply can also misbehave on purpose (stall, reset mid-body,
// answer garbage) so clients' retries and timeouts can be tested.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wstest {

struct HttpRequest {
  std::string method;
  std::string target;  // path and query as sent: "/a/b?x=1"
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  std::string path() const { return target.substr(0, target.find('?')); }
  std::string query() const {
    const auto q = target.find('?');
    return q == std::string::npos ? std::string() : target.substr(q + 1);
  }
  // "" when absent; `name` in any case.
  std::string header(std::string_view name) const;
};

struct HttpReply {
  enum class Misbehaviour {
    none,            // a normal answer
    stall,           // send nothing for `stall_for`, then answer normally
    reset_mid_body,  // announce the whole body, send `body_bytes_before_reset`, reset
    garbage,         // answer bytes that are not HTTP, then close
  };

  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  Misbehaviour misbehaviour = Misbehaviour::none;
  std::chrono::milliseconds stall_for{0};
  size_t body_bytes_before_reset = 0;

  static HttpReply text(int status, std::string body);
  static HttpReply json(int status, std::string body);
  static HttpReply stalled(std::chrono::milliseconds d, HttpReply then);
  static HttpReply reset_after(size_t bytes, std::string full_body);
  static HttpReply garbage();
};

using HttpHandler = std::function<HttpReply(const HttpRequest&)>;

// A certificate and key (PEM) for a TLS server on loopback.
struct TlsIdentity {
  std::string cert_pem;
  std::string key_pem;
  // Self-signed, valid a day, for 127.0.0.1 and localhost; clients trust it
  // by taking cert_pem as their CA bundle.
  static TlsIdentity self_signed_loopback();
};

// Answers `failure` to the first `n` requests, then defers to `then`
// (thread-safe; each wrapper counts on its own).
HttpHandler fail_first(int n, HttpReply failure, HttpHandler then);

class BeastServer {
 public:
  BeastServer();
  // Serves HTTPS with `identity` instead of plain HTTP.
  explicit BeastServer(const TlsIdentity& identity);
  ~BeastServer();
  BeastServer(const BeastServer&) = delete;
  BeastServer& operator=(const BeastServer&) = delete;

  // Routes are tried longest prefix first; `method` "*" matches any.
  // Unrouted requests get 404. Safe to call while serving.
  void route(std::string method, std::string path_prefix, HttpHandler handler);

  int port() const;
  // "http://127.0.0.1:<port>" + path ("https://" when serving TLS).
  std::string url(std::string_view path = "") const;

  // Every request received so far (after the body was read), in order.
  std::vector<HttpRequest> requests() const;
  size_t request_count() const;
  size_t request_count(std::string_view path_prefix) const;
  // Connections accepted so far (tells connection reuse from new connections).
  size_t connection_count() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace wstest

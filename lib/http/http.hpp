// The HTTP layer over libcurl: Client sends blocking single requests on one
// reused connection (curl easy); one Client per thread, not thread-safe
// itself (store/client_pool.hpp gives each thread its own).
// TLS verification is always on (system CAs; CURL_CA_BUNDLE, SSL_CERT_FILE,
// AWS_CA_BUNDLE honoured); proxies follow HTTPS_PROXY/HTTP_PROXY/NO_PROXY as
// curl does. Retries are bounded with exponential backoff and jitter for
// network errors, 5xx and 429 (Retry-After honoured).
// No secret ever reaches a log line or an error: Authorization headers and
// URL userinfo are never printed.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/cancel.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/regular_file.hpp"

namespace ws::http {

struct Header {
  std::string name;
  std::string value;
};

// Takes the body of a 2xx answer as it arrives, in place of Response::body
// (see Request::response_sink).
class ResponseSink {
 public:
  virtual ~ResponseSink() = default;
  // Before the first byte of every attempt answered 2xx, also when its body
  // is empty: what an earlier, retried attempt wrote is void.
  virtual Status restart() = 0;
  // The next bytes of the body. An error ends the attempt and perform()
  // returns it (retried only if it is Errc::network, as any error).
  virtual Status write(std::string_view bytes) = 0;
};

struct Request {
  std::string method = "GET";
  std::string url;
  std::vector<Header> headers;

  // Request body: either `body` in memory, or a byte range of `body_file`
  // streamed from disk (re-opened on each retry).
  std::string body;
  std::filesystem::path body_file;
  Symlinks body_file_links = Symlinks::follow;  // body_file is opened as open_regular_file() opens it
  uint64_t body_offset = 0;
  uint64_t body_length = std::numeric_limits<uint64_t>::max();  // max = to end of file

  // Where the body of a 2xx answer goes instead of Response::body, when set
  // (not owned; it must outlive the perform call and serve only this
  // request). Error bodies always stay in Response::body (capped) for
  // messages.
  ResponseSink* response_sink = nullptr;

  std::chrono::milliseconds timeout{60'000};
  std::chrono::milliseconds connect_timeout{10'000};
  // Abort when fewer than low_speed_bytes/s flow for low_speed_time (stall detection).
  long low_speed_bytes = 1;
  std::chrono::seconds low_speed_time{30};

  // Once requested, the transfer is aborted (curl's progress callback, at
  // least once a second even while nothing flows) and no retry starts:
  // perform() returns Errc::cancelled. Not owned; may be null.
  const CancelToken* cancel = nullptr;
};

struct Response {
  long status = 0;
  std::vector<Header> headers;  // names as received
  std::string body;

  // Case-insensitive lookup; the first match.
  std::optional<std::string> header(std::string_view name) const;
};

struct RetryPolicy {
  int max_attempts = 4;  // 1 = no retry
  std::chrono::milliseconds base_delay{200};
  std::chrono::milliseconds max_delay{5'000};
  bool retry_5xx = true;  // also 429
  // Waits between attempts; tests replace it to stay fast. Empty = sleep.
  // A server's Retry-After is honoured up to 60 s.
  std::function<void(std::chrono::milliseconds)> sleeper;
};

// What a Client has done so far, counted per attempt (for benchmarks and
// tests); bytes are body bytes as curl counts them.
struct Stats {
  uint64_t requests = 0;
  uint64_t retries = 0;
  uint64_t bytes_sent = 0;
  uint64_t bytes_received = 0;
};

class Client {
 public:
  explicit Client(Logger log = {});
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // A non-2xx status is NOT an error here: the caller interprets statuses.
  // Errors are transport failures after retries: Errc::network (connect,
  // DNS, TLS, timeout, reset), Errc::io (body/response file), Errc::invalid_input (bad URL),
  // Errc::cancelled (Request::cancel), or the error a response sink returned.
  Result<Response> perform(const Request& req, const RetryPolicy& retry = {});

  const Stats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ws::http

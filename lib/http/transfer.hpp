// One attempt of one Request on a curl easy handle: configures the handle
// (method, headers, body source, response sink, timeouts, TLS), and once
// curl is done turns what came back into a Response or an Error.
// A Transfer must stay at one address from start() to finish(): curl's
// callbacks point at it.
#pragma once

#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "http/curl_handles.hpp"
#include "http/http.hpp"

namespace ws::http {

// What every transfer of a Client shares, read once from the environment
// when the Client is made.
struct TransportSettings {
  // CURL_CA_BUNDLE, else SSL_CERT_FILE, else AWS_CA_BUNDLE; empty = curl's default.
  std::string ca_bundle;
};

TransportSettings transport_settings_from_environment();

// Error bodies kept in Response::body are capped at this size.
inline constexpr size_t kMaxErrorBody = 64 * 1024;

class Transfer {
 public:
  Transfer(const Request& req, const TransportSettings& settings, CURLSH* share);
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // Resets `easy` and configures it for this attempt; opens the body file.
  Status start(CURL* easy);
  // The outcome once curl reported `code` for `easy`.
  Result<Response> finish(CURL* easy, CURLcode code);

  // "GET https://host/path" without any secret, for messages.
  const std::string& description() const { return description_; }

 private:
  struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
  };
  using File = std::unique_ptr<std::FILE, FileCloser>;

  static size_t on_header(char* data, size_t size, size_t n, void* self);
  static size_t on_write(char* data, size_t size, size_t n, void* self);
  static size_t on_read(char* data, size_t size, size_t n, void* self);
  static int on_seek(void* self, curl_off_t offset, int origin);
  static int on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);

  size_t write_body(const char* data, size_t len);
  Status open_body_file();
  Status start_sink();

  const Request& req_;
  const TransportSettings& settings_;
  CURLSH* share_;
  std::string description_;
  CURL* easy_ = nullptr;
  HeaderList header_list_;
  char error_buffer_[CURL_ERROR_SIZE] = {};

  uint64_t body_size_ = 0;
  uint64_t body_pos_ = 0;
  File body_file_;

  Response response_;
  // Where a 2xx body goes, if not into response_.body.
  ResponseSink* sink_ = nullptr;
  bool sink_started_ = false;
  std::optional<Error> local_error_;  // a failure on our side of a callback
};

}  // namespace ws::http

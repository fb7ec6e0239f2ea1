#include "http/transfer.hpp"

#include <strings.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>
#include <system_error>

#include "common/redact.hpp"
#include "common/url_authority.hpp"
#include "http/loggable_url.hpp"

namespace ws::http {
namespace {

std::string errno_text() { return std::generic_category().message(errno); }

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

struct UrlDeleter {
  void operator()(CURLU* u) const noexcept { curl_url_cleanup(u); }
};
struct CurlStringDeleter {
  void operator()(char* s) const noexcept { curl_free(s); }
};

// Checked before any transfer so that a bad URL is the caller's error
// (invalid_input, not retried) rather than whatever curl makes of it.
Status check_url(const std::string& url, const std::string& description) {
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed) throw std::bad_alloc();
  if (curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return Error(Errc::invalid_input, description + ": not a valid URL");
  }
  char* raw = nullptr;
  curl_url_get(parsed.get(), CURLUPART_SCHEME, &raw, 0);
  const std::unique_ptr<char, CurlStringDeleter> scheme(raw);
  const std::string_view s = scheme ? scheme.get() : "";
  if (s != "http" && s != "https") {
    return Error(Errc::invalid_input, description + ": only http and https URLs are supported");
  }
  return {};
}

bool has_header(const Request& req, std::string_view name) {
  return std::any_of(req.headers.begin(), req.headers.end(), [&](const Header& h) {
    return h.name.size() == name.size() && strncasecmp(h.name.data(), name.data(), name.size()) == 0;
  });
}

bool has_body(const Request& req) {
  return !req.body.empty() || !req.body_file.empty() || req.method == "PUT" ||
         req.method == "POST" || req.method == "PATCH";
}

}  // namespace

TransportSettings transport_settings_from_environment() {
  TransportSettings s;
  for (const char* var : {"CURL_CA_BUNDLE", "SSL_CERT_FILE", "AWS_CA_BUNDLE"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && *v != '\0') {
      s.ca_bundle = v;
      break;
    }
  }
  return s;
}

Transfer::Transfer(const Request& req, const TransportSettings& settings, CURLSH* share)
    : req_(req),
      settings_(settings),
      share_(share),
      description_(req.method + " " + loggable_url(req.url)) {}

Status Transfer::open_body_file() {
  auto opened = open_regular_file(req_.body_file, req_.body_file_links);
  if (!opened) return std::move(opened).error();
  body_file_.reset(fdopen(opened->fd.get(), "rb"));
  if (!body_file_) {
    return Error(Errc::io, "cannot open " + req_.body_file.string() + ": " + errno_text());
  }
  opened->fd.release();
  if (fseeko(body_file_.get(), 0, SEEK_END) != 0) {
    return Error(Errc::io, "cannot seek in " + req_.body_file.string() + ": " + errno_text());
  }
  const auto file_size = static_cast<uint64_t>(ftello(body_file_.get()));
  if (req_.body_offset > file_size) {
    return Error(Errc::io, req_.body_file.string() + " is shorter than the requested offset " +
                               std::to_string(req_.body_offset));
  }
  body_size_ = std::min(req_.body_length, file_size - req_.body_offset);
  if (fseeko(body_file_.get(), static_cast<off_t>(req_.body_offset), SEEK_SET) != 0) {
    return Error(Errc::io, "cannot seek in " + req_.body_file.string() + ": " + errno_text());
  }
  return {};
}

Status Transfer::start(CURL* easy) {
  easy_ = easy;
  response_ = Response();
  sink_ = req_.response_sink;
  sink_started_ = false;
  local_error_.reset();
  body_pos_ = 0;
  body_size_ = req_.body.size();
  error_buffer_[0] = '\0';
  WS_TRY(check_url(req_.url, description_));
  if (!req_.body_file.empty()) WS_TRY(open_body_file());

  curl_easy_reset(easy);
  curl_easy_setopt(easy, CURLOPT_SHARE, share_);
  curl_easy_setopt(easy, CURLOPT_PRIVATE, this);
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(easy, CURLOPT_URL, req_.url.c_str());
  curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!settings_.ca_bundle.empty()) curl_easy_setopt(easy, CURLOPT_CAINFO, settings_.ca_bundle.c_str());
  curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, static_cast<long>(req_.timeout.count()));
  curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req_.connect_timeout.count()));
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, req_.low_speed_bytes);
  curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, static_cast<long>(req_.low_speed_time.count()));
  curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &Transfer::on_write);
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, this);
  if (req_.cancel != nullptr) {
    curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &Transfer::on_progress);
    curl_easy_setopt(easy, CURLOPT_XFERINFODATA, this);
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
  }

  if (req_.method == "HEAD") {
    curl_easy_setopt(easy, CURLOPT_NOBODY, 1L);
  } else if (has_body(req_)) {
    // Upload mode for every body: one code path (the read callback) for
    // memory and file bodies, with an exact Content-Length.
    curl_easy_setopt(easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body_size_));
    curl_easy_setopt(easy, CURLOPT_READFUNCTION, &Transfer::on_read);
    curl_easy_setopt(easy, CURLOPT_READDATA, this);
    curl_easy_setopt(easy, CURLOPT_SEEKFUNCTION, &Transfer::on_seek);
    curl_easy_setopt(easy, CURLOPT_SEEKDATA, this);
  }
  if (req_.method != "GET" && req_.method != "HEAD") {
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, req_.method.c_str());
  }

  header_list_.reset();
  curl_slist* list = nullptr;
  auto append = [&](const std::string& line) {
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (next == nullptr) {
      curl_slist_free_all(list);
      throw std::bad_alloc();
    }
    list = next;
  };
  for (const auto& h : req_.headers) {
    append(h.value.empty() ? h.name + ";" : h.name + ": " + h.value);
  }
  // curl would otherwise wait for "100 Continue" before larger bodies.
  if (!has_header(req_, "Expect")) append("Expect:");
  header_list_.reset(list);
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, header_list_.get());
  return {};
}

size_t Transfer::on_header(char* data, size_t size, size_t n, void* self) {
  auto* t = static_cast<Transfer*>(self);
  const std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new status line (after "100 Continue" or a proxy's CONNECT answer):
    // only the final response's headers count.
    t->response_.headers.clear();
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    t->response_.headers.push_back({trim(line.substr(0, colon)), trim(line.substr(colon + 1))});
  }
  return size * n;
}

size_t Transfer::on_write(char* data, size_t size, size_t n, void* self) {
  return static_cast<Transfer*>(self)->write_body(data, size * n);
}

Status Transfer::start_sink() {
  sink_started_ = true;
  return sink_->restart();
}

size_t Transfer::write_body(const char* data, size_t len) {
  long status = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
  const bool success = status >= 200 && status <= 299;
  if (success && sink_ != nullptr) {
    Status st = sink_started_ ? Status() : start_sink();
    if (st) st = sink_->write(std::string_view(data, len));
    if (!st) {
      local_error_ = std::move(st).error();
      return 0;
    }
    return len;
  }
  const size_t room = success ? len : std::min(len, kMaxErrorBody - std::min(kMaxErrorBody, response_.body.size()));
  response_.body.append(data, room);
  return len;
}

size_t Transfer::on_read(char* data, size_t size, size_t n, void* self) {
  auto* t = static_cast<Transfer*>(self);
  const size_t want = static_cast<size_t>(std::min<uint64_t>(size * n, t->body_size_ - t->body_pos_));
  if (want == 0) return 0;
  if (!t->body_file_) {
    std::memcpy(data, t->req_.body.data() + t->body_pos_, want);
    t->body_pos_ += want;
    return want;
  }
  const size_t got = std::fread(data, 1, want, t->body_file_.get());
  if (got == 0) {
    t->local_error_ = Error(Errc::io, t->req_.body_file.string() + " shrank or became unreadable while uploading");
    return CURL_READFUNC_ABORT;
  }
  t->body_pos_ += got;
  return got;
}

int Transfer::on_seek(void* self, curl_off_t offset, int origin) {
  auto* t = static_cast<Transfer*>(self);
  if (origin != SEEK_SET || offset < 0 || static_cast<uint64_t>(offset) > t->body_size_) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  if (t->body_file_ &&
      fseeko(t->body_file_.get(), static_cast<off_t>(t->req_.body_offset + static_cast<uint64_t>(offset)),
             SEEK_SET) != 0) {
    return CURL_SEEKFUNC_FAIL;
  }
  t->body_pos_ = static_cast<uint64_t>(offset);
  return CURL_SEEKFUNC_OK;
}

int Transfer::on_progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(self);
  if (!t->req_.cancel->requested()) return 0;
  t->local_error_ = Error(Errc::cancelled, t->description_ + ": cancelled");
  return 1;
}

Result<Response> Transfer::finish(CURL* easy, CURLcode code) {
  body_file_.reset();
  if (code == CURLE_OK) {
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &response_.status);
    const bool success = response_.status >= 200 && response_.status <= 299;
    // An empty 2xx body still starts the sink (an empty file is a result).
    Status st = success && sink_ != nullptr && !sink_started_ ? start_sink() : Status();
    if (!st) return std::move(st).error();
    return std::move(response_);
  }
  if (local_error_) return *local_error_;
  std::string detail = curl_easy_strerror(code);
  if (error_buffer_[0] != '\0' && detail != error_buffer_) detail += " (" + std::string(error_buffer_) + ")";
  // curl's own text may quote the URL as given, userinfo and all.
  if (const auto authority = url_authority(req_.url)) detail = scrub(std::move(detail), authority->userinfo);
  const Errc errc = code == CURLE_URL_MALFORMAT ? Errc::invalid_input : Errc::network;
  return Error(errc, description_ + ": " + detail);
}

}  // namespace ws::http

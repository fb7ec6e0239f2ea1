#include "store/s3_store.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "common/base64.hpp"
#include "common/redact.hpp"
#include "store/atomic_file.hpp"
#include "store/digest.hpp"
#include "store/multipart_plan.hpp"
#include "store/rclone_metadata.hpp"
#include "store/s3_response_error.hpp"
#include "store/s3_xml.hpp"

namespace ws::store {
namespace fs = std::filesystem;
namespace {

constexpr size_t kDeleteBatch = 1000;
// SHA-256 of the empty body every GET, HEAD and DELETE signs.
constexpr std::string_view kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
// Data transfers are bounded by stall detection, not by a total time.
constexpr std::chrono::hours kTransferTimeout{12};
// How long a multipart abort may take once the caller has cancelled.
constexpr std::chrono::milliseconds kAbortAfterCancelTimeout{500};

std::string base64_md5(std::string_view md5_hex_text) {
  auto raw = from_hex(md5_hex_text);
  return raw ? base64_encode(*raw) : std::string();
}

bool is_2xx(const http::Response& r) { return r.status >= 200 && r.status < 300; }

// Fills size/etag/md5/mtime from GET or HEAD response headers.
ObjectInfo info_from_headers(std::string key, const http::Response& resp) {
  ObjectInfo info;
  info.key = std::move(key);
  if (auto len = resp.header("Content-Length")) info.size = std::strtoull(len->c_str(), nullptr, 10);
  if (auto etag = resp.header("ETag")) info.etag = unquote_etag(*etag);
  info.md5_hex = md5_from_etag(info.etag);
  if (auto chk = resp.header(kMd5chksumHeader)) {
    if (auto raw = base64_decode(*chk); raw && raw->size() == 16) info.md5_hex = to_hex(*raw);
  }
  if (auto m = resp.header(kMtimeHeader)) info.mtime = parse_mtime(*m);
  return info;
}

Result<struct stat> stat_source(const fs::path& src, Symlinks links) {
  auto file = open_regular_file(src, links);
  if (!file) return std::move(file).error();
  return file->st;
}

// Streams a GET's body into the destination's temporary file, hashing and
// counting on the way, so the download is checked against the object's size
// and MD5 without reading it back.
class DownloadSink final : public http::ResponseSink {
 public:
  explicit DownloadSink(AtomicFile& file) : file_(file) {}

  Status restart() override {
    // The first attempt finds a fresh, empty file: nothing to undo.
    if (size_ == 0) return {};
    size_ = 0;
    md5_ = Digest::md5();
    return file_.rewind();
  }

  Status write(std::string_view bytes) override {
    md5_.update(bytes);
    size_ += bytes.size();
    return file_.write(bytes);
  }

  uint64_t size() const { return size_; }
  std::string md5_hex() { return to_hex(md5_.finish()); }

 private:
  AtomicFile& file_;
  Digest md5_ = Digest::md5();
  uint64_t size_ = 0;
};

// An empty key would address the bucket itself (PUT /bucket/ creates one).
Status check_key(std::string_view key) {
  if (key.empty()) return Error(Errc::invalid_input, "key: empty (an object key is required)");
  return {};
}

}  // namespace

Result<std::unique_ptr<Store>> S3Store::open(const StoreConfig& cfg, Logger log) {
  const auto sep = cfg.endpoint.find("://");
  const std::string scheme = sep == std::string::npos ? "" : cfg.endpoint.substr(0, sep);
  std::string host = sep == std::string::npos ? "" : cfg.endpoint.substr(sep + 3);
  while (!host.empty() && host.back() == '/') host.pop_back();
  if ((scheme != "http" && scheme != "https") || host.empty() ||
      host.find_first_of("/?#@ ") != std::string::npos) {
    return Error(Errc::invalid_input,
                 "endpoint: '" + redact_url(cfg.endpoint) + "' is not http(s)://host[:port]");
  }
  if (cfg.access_key.empty() || cfg.secret_key.empty()) {
    return Error(Errc::invalid_input, "access_key/secret_key: both are required for an S3 endpoint");
  }
  return std::unique_ptr<Store>(new S3Store(cfg, scheme, host, std::move(log)));
}

S3Store::S3Store(StoreConfig cfg, std::string scheme, std::string host, Logger log)
    : cfg_(std::move(cfg)),
      scheme_(std::move(scheme)),
      host_(std::move(host)),
      signer_(cfg_.access_key, cfg_.secret_key, cfg_.region.empty() ? "us-east-1" : cfg_.region),
      clients_(std::make_shared<ClientPool>(log)),
      log_(std::move(log)) {}

std::string S3Store::describe() const {
  return "s3 bucket '" + cfg_.bucket + "' at " + scheme_ + "://" + host_;
}

std::string S3Store::identity() const { return "s3\n" + scheme_ + "://" + host_ + "\n" + cfg_.bucket; }

std::string S3Store::url(std::string_view key, std::string_view query) const {
  std::string out = scheme_ + "://";
  if (cfg_.virtual_hosted) {
    out += cfg_.bucket + "." + host_ + "/";
  } else {
    out += host_ + "/" + uri_encode(cfg_.bucket, false) + "/";
  }
  out += uri_encode(key, true);
  if (!query.empty()) out.append("?").append(query);
  return out;
}

std::unique_ptr<Store> S3Store::cancellable(const CancelToken& cancel) {
  auto view = std::unique_ptr<S3Store>(new S3Store(*this));
  view->cancel_ = &cancel;
  return view;
}

Result<http::Response> S3Store::send(http::Request req, std::string_view payload_hash, std::string_view what,
                                     bool cancellable, const http::RetryPolicy& retry) {
  if (cancellable) req.cancel = cancel_;
  signer_.sign(req, payload_hash);
  auto client = clients_->acquire();
  auto resp = client->perform(req, retry);
  if (!resp) return std::move(resp).error().context(std::string(what) + " (" + describe() + ")");
  return resp;
}

Error S3Store::answer_error(const http::Response& resp, std::string_view what) const {
  return s3_response_error(resp, std::string(what) + " (" + describe() + ")", cfg_.access_key, cfg_.secret_key);
}

Status S3Store::check_bucket() {
  http::Request req;
  req.url = url("", "list-type=2&max-keys=0");
  auto resp = send(std::move(req), kEmptySha256, "checking bucket '" + cfg_.bucket + "'");
  if (!resp) return std::move(resp).error();
  if (!is_2xx(*resp)) return answer_error(*resp, "checking bucket '" + cfg_.bucket + "'");
  return {};
}

Result<std::vector<ObjectInfo>> S3Store::list(std::string_view prefix) {
  std::vector<ObjectInfo> out;
  std::string token;
  // A hostile or broken endpoint can answer "truncated" forever: a listing
  // stops at a page limit and at the first token that comes back.
  std::unordered_set<std::string> tokens_seen;
  const int max_keys = cfg_.list_max_keys > 0 ? cfg_.list_max_keys : 1000;
  const std::string what = "listing '" + std::string(prefix) + "'";
  for (size_t pages = 0;; ++pages) {
    if (pages == cfg_.list_max_pages) {
      return Error(Errc::protocol, what + ": S3 still says the listing is truncated after " +
                                       std::to_string(pages) + " pages, the limit (" + describe() + ")");
    }
    std::string query = "list-type=2&max-keys=" + std::to_string(max_keys);
    if (!prefix.empty()) query += "&prefix=" + uri_encode(prefix, false);
    if (!token.empty()) query += "&continuation-token=" + uri_encode(token, false);
    http::Request req;
    req.url = url("", query);
    auto resp = send(std::move(req), kEmptySha256, what);
    if (!resp) return std::move(resp).error();
    if (!is_2xx(*resp)) return answer_error(*resp, what);
    auto page = parse_list_objects_v2(resp->body);
    if (!page) return std::move(page).error().context(what);
    for (auto& o : page->objects) {
      // Callers map a key to a path (or a deletion) by cutting the prefix
      // off: a key that is not under it would land somewhere else.
      if (!o.key.starts_with(prefix)) {
        return Error(Errc::protocol, what + ": S3 listed the key '" + printable(o.key) +
                                         "', which is not under the prefix (" + describe() + ")");
      }
      out.push_back(std::move(o));
    }
    if (!page->truncated) break;
    if (!tokens_seen.insert(page->next_continuation_token).second) {
      return Error(Errc::protocol, what + ": S3 repeated an earlier continuation token after " +
                                       std::to_string(pages + 1) + " pages (" + describe() +
                                       "); the listing would never end");
    }
    token = page->next_continuation_token;
  }
  std::sort(out.begin(), out.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return out;
}

Result<ObjectInfo> S3Store::head(std::string_view key) {
  WS_TRY(check_key(key));
  const std::string what = "reading metadata of '" + std::string(key) + "'";
  http::Request req;
  req.method = "HEAD";
  req.url = url(key, "");
  auto resp = send(std::move(req), kEmptySha256, what);
  if (!resp) return std::move(resp).error();
  if (!is_2xx(*resp)) return answer_error(*resp, what);
  return info_from_headers(std::string(key), *resp);
}

Result<ObjectInfo> S3Store::get_file(std::string_view key, const fs::path& dest) {
  WS_TRY(check_key(key));
  const std::string what = "downloading '" + std::string(key) + "'";
  auto out = AtomicFile::create(dest);
  if (!out) return std::move(out).error();
  DownloadSink body(*out);
  http::Request req;
  req.url = url(key, "");
  req.response_sink = &body;
  req.timeout = kTransferTimeout;
  auto resp = send(std::move(req), kEmptySha256, what);
  if (!resp) return std::move(resp).error();
  if (!is_2xx(*resp)) return answer_error(*resp, what);
  auto info = info_from_headers(std::string(key), *resp);
  if (body.size() != info.size) {
    return Error(Errc::protocol,
                 what + ": received " + std::to_string(body.size()) + " bytes of " + std::to_string(info.size));
  }
  // The bytes must be the object's: a corrupt download never replaces dest.
  if (!info.md5_hex.empty()) {
    const auto md5 = body.md5_hex();
    if (md5 != info.md5_hex) {
      return Error(Errc::protocol, what + ": content MD5 " + md5 + " is not the object's " + info.md5_hex);
    }
  }
  WS_TRY(out->commit(info.mtime));
  return info;
}

Result<std::string> S3Store::get_bytes(std::string_view key) {
  WS_TRY(check_key(key));
  const std::string what = "downloading '" + std::string(key) + "'";
  http::Request req;
  req.url = url(key, "");
  req.timeout = kTransferTimeout;
  auto resp = send(std::move(req), kEmptySha256, what);
  if (!resp) return std::move(resp).error();
  if (!is_2xx(*resp)) return answer_error(*resp, what);
  return std::move(resp->body);
}

Status S3Store::put_bytes(std::string_view key, std::string_view data, const PutOptions& opts) {
  WS_TRY(check_key(key));
  const std::string what = "uploading '" + std::string(key) + "'";
  http::Request req;
  req.method = "PUT";
  req.url = url(key, "");
  req.body = std::string(data);
  req.timeout = kTransferTimeout;
  req.headers.push_back({"Content-Type", opts.content_type.empty() ? "application/octet-stream" : opts.content_type});
  req.headers.push_back({"Content-MD5", base64_md5(opts.md5_hex.empty() ? md5_hex(data) : opts.md5_hex)});
  if (data.empty()) req.headers.push_back({"Content-Length", "0"});
  if (opts.mtime) req.headers.push_back({std::string(kMtimeHeader), format_mtime(*opts.mtime)});
  auto resp = send(std::move(req), sha256_hex(data), what);
  if (!resp) return std::move(resp).error();
  if (!is_2xx(*resp)) return answer_error(*resp, what);
  return {};
}

Status S3Store::put_file(std::string_view key, const fs::path& src, const PutOptions& opts) {
  WS_TRY(check_key(key));
  auto st = stat_source(src, opts.source_links);
  if (!st) return std::move(st).error().context("uploading '" + std::string(key) + "'");
  const double mtime = opts.mtime ? *opts.mtime : mtime_of(*st);
  const auto size = static_cast<uint64_t>(st->st_size);
  if (size > cfg_.multipart_threshold) return put_multipart(key, src, size, mtime, opts);
  return put_single(key, src, mtime, opts);
}

Status S3Store::put_single(std::string_view key, const fs::path& src, double mtime, const PutOptions& opts) {
  const std::string what = "uploading '" + std::string(key) + "'";
  std::string md5 = opts.md5_hex;
  if (md5.empty()) {
    auto computed = md5_file_hex(src, 0, UINT64_MAX, opts.source_links);
    if (!computed) return std::move(computed).error().context(what);
    md5 = *computed;
  }
  http::Request req;
  req.method = "PUT";
  req.url = url(key, "");
  req.body_file = src;
  req.body_file_links = opts.source_links;
  req.timeout = kTransferTimeout;
  req.headers.push_back({"Content-Type", opts.content_type.empty() ? "application/octet-stream" : opts.content_type});
  req.headers.push_back({"Content-MD5", base64_md5(md5)});
  req.headers.push_back({std::string(kMtimeHeader), format_mtime(mtime)});
  auto resp = send(std::move(req), kUnsignedPayload, what);
  if (!resp) return std::move(resp).error();
  if (!is_2xx(*resp)) return answer_error(*resp, what);
  return {};
}

Status S3Store::put_multipart(std::string_view key, const fs::path& src, uint64_t size, double mtime,
                              const PutOptions& opts) {
  const std::string what = "uploading '" + std::string(key) + "' in parts";
  const auto parts = plan_parts(size, cfg_.part_size);
  PartDigests digests;
  if (opts.md5_hex.empty()) {
    auto d = md5_of_parts(src, parts, opts.source_links);
    if (!d) return std::move(d).error().context(what);
    digests = std::move(*d);
  } else {
    auto raw = from_hex(opts.md5_hex);
    if (!raw) return Error(Errc::invalid_input, what + ": md5_hex is not hex");
    digests.whole_md5 = *raw;
  }

  http::Request init;
  init.method = "POST";
  init.url = url(key, "uploads");
  init.headers.push_back({"Content-Type", opts.content_type.empty() ? "application/octet-stream" : opts.content_type});
  init.headers.push_back({std::string(kMtimeHeader), format_mtime(mtime)});
  init.headers.push_back({std::string(kMd5chksumHeader), base64_encode(digests.whole_md5)});
  auto started = send(std::move(init), kEmptySha256, what);
  if (!started) return std::move(started).error();
  if (!is_2xx(*started)) return answer_error(*started, what);
  auto upload_id = parse_upload_id(started->body);
  if (!upload_id) return std::move(upload_id).error().context(what);
  const std::string id_query = "uploadId=" + uri_encode(*upload_id, false);

  // Workers take parts in order; each signs just before sending, so a long
  // upload never sends a stale signature.
  std::vector<std::string> etags(parts.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mu;
  Error first_error;
  auto worker = [&] {
    while (!failed) {
      const size_t i = next++;
      if (i >= parts.size()) return;
      const std::string part_what = what + ", part " + std::to_string(i + 1) + "/" + std::to_string(parts.size());
      http::Request req;
      req.method = "PUT";
      req.url = url(key, "partNumber=" + std::to_string(i + 1) + "&" + id_query);
      req.body_file = src;
      req.body_file_links = opts.source_links;
      req.body_offset = parts[i].offset;
      req.body_length = parts[i].length;
      req.timeout = kTransferTimeout;
      if (!digests.part_md5.empty()) req.headers.push_back({"Content-MD5", base64_encode(digests.part_md5[i])});
      if (parts[i].length == 0) req.headers.push_back({"Content-Length", "0"});
      auto resp = send(std::move(req), kUnsignedPayload, part_what);
      std::optional<Error> err;
      if (!resp) {
        err = std::move(resp).error();
      } else if (!is_2xx(*resp)) {
        err = answer_error(*resp, part_what);
      } else if (auto etag = resp->header("ETag")) {
        etags[i] = *etag;
      } else {
        err = Error(Errc::protocol, part_what + ": S3 accepted a part without an ETag");
      }
      if (err) {
        std::lock_guard lock(error_mu);
        if (!failed.exchange(true)) first_error = std::move(*err);
        return;
      }
    }
  };
  const size_t workers = std::clamp<size_t>(static_cast<size_t>(std::max(cfg_.part_parallelism, 1)), 1, parts.size());
  {
    std::vector<std::jthread> threads;
    for (size_t w = 0; w < workers; ++w) threads.emplace_back(worker);
  }

  Status result;
  if (failed) {
    result = std::move(first_error);
  } else {
    const auto body = complete_multipart_body(etags);
    http::Request complete;
    complete.method = "POST";
    complete.url = url(key, id_query);
    complete.body = body;
    complete.timeout = kTransferTimeout;  // S3 may take long to assemble large objects
    complete.headers.push_back({"Content-Type", "application/xml"});
    auto resp = send(std::move(complete), sha256_hex(body), what);
    if (!resp) {
      result = std::move(resp).error();
    } else if (!is_2xx(*resp) || parse_error_document(resp->body)) {
      // S3 can answer 200 and still fail the completion in the body.
      result = answer_error(*resp, what + " (completing)");
    } else {
      return {};
    }
  }
  http::Request abort;
  abort.method = "DELETE";
  abort.url = url(key, id_query);
  // After a cancel the abort still goes out, but briefly: the caller is
  // waiting, and the bucket's lifecycle rules clean up what it misses.
  http::RetryPolicy abort_retry;
  if (cancel_requested(cancel_)) {
    abort.timeout = kAbortAfterCancelTimeout;
    abort.connect_timeout = kAbortAfterCancelTimeout;
    abort_retry.max_attempts = 1;
  }
  auto aborted = send(std::move(abort), kEmptySha256, what + " (aborting)", false, abort_retry);
  if (!aborted || !is_2xx(*aborted)) {
    log_.warn("store.abort_failed", "could not abort the failed multipart upload of '" + std::string(key) +
                                        "'; the bucket's lifecycle rules must clean it up");
  }
  return result;
}

Result<std::vector<DeleteFailure>> S3Store::remove_batch(const std::vector<std::string>& keys, size_t begin,
                                                         size_t end) {
  const std::string what = "deleting " + std::to_string(end - begin) + " objects";
  const auto body = delete_request_body(keys, begin, end);
  http::Request req;
  req.method = "POST";
  req.url = url("", "delete");
  req.body = body;
  req.headers.push_back({"Content-Type", "application/xml"});
  auto digest = Digest::md5();
  digest.update(body);
  req.headers.push_back({"Content-MD5", base64_encode(digest.finish())});
  auto resp = send(std::move(req), sha256_hex(body), what);
  if (!resp) return std::move(resp).error();
  if (!is_2xx(*resp)) return answer_error(*resp, what);
  auto failures = parse_delete_result(resp->body);
  if (!failures) return std::move(failures).error().context(what);
  return failures;
}

Result<std::vector<DeleteFailure>> S3Store::remove(const std::vector<std::string>& keys) {
  std::vector<DeleteFailure> failures;
  std::vector<std::string> valid;
  for (const auto& key : keys) {
    if (auto st = check_key(key); !st) {
      failures.push_back({key, st.error().message});
    } else {
      valid.push_back(key);
    }
  }
  for (size_t begin = 0; begin < valid.size(); begin += kDeleteBatch) {
    auto batch = remove_batch(valid, begin, std::min(valid.size(), begin + kDeleteBatch));
    if (!batch) return std::move(batch).error();
    for (auto& f : *batch) failures.push_back(std::move(f));
  }
  return failures;
}

}  // namespace ws::store

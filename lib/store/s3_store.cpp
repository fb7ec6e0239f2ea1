#include "store/s3_store.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <unordered_set>

#include "common/base64.hpp"
#include "common/redact.hpp"
#include "store/atomic_file.hpp"
#include "store/digest.hpp"
#include "store/multipart_plan.hpp"
#include "store/rclone_metadata.hpp"
#include "store/s3_request.hpp"
#include "store/s3_response_error.hpp"
#include "store/s3_xml.hpp"

namespace ws::store {
namespace fs = std::filesystem;
namespace {

constexpr size_t kDeleteBatch = 1000;

std::string base64_md5(std::string_view md5_hex_text) {
  auto raw = from_hex(md5_hex_text);
  return raw ? base64_encode(*raw) : std::string();
}

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

Result<http::Response> S3Store::call(http::Request req, std::string_view payload_hash, std::string_view what) {
  auto resp = send(std::move(req), payload_hash, what);
  if (!resp) return resp;
  if (resp->status < 200 || resp->status >= 300) return answer_error(*resp, what);
  return resp;
}

Error S3Store::answer_error(const http::Response& resp, std::string_view what) const {
  return s3_response_error(resp, std::string(what) + " (" + describe() + ")", cfg_.access_key, cfg_.secret_key);
}

Status S3Store::check_bucket() {
  http::Request req;
  req.url = url("", "list-type=2&max-keys=0");
  auto resp = call(std::move(req), kEmptySha256, "checking bucket '" + cfg_.bucket + "'");
  if (!resp) return std::move(resp).error();
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
    auto resp = call(std::move(req), kEmptySha256, what);
    if (!resp) return std::move(resp).error();
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
  auto resp = call(std::move(req), kEmptySha256, what);
  if (!resp) return std::move(resp).error();
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
  auto resp = call(std::move(req), kEmptySha256, what);
  if (!resp) return std::move(resp).error();
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
  auto resp = call(std::move(req), kEmptySha256, what);
  if (!resp) return std::move(resp).error();
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
  req.headers.push_back({"Content-Type", content_type_or_default(opts.content_type)});
  req.headers.push_back({"Content-MD5", base64_md5(opts.md5_hex.empty() ? md5_hex(data) : opts.md5_hex)});
  if (data.empty()) req.headers.push_back({"Content-Length", "0"});
  if (opts.mtime) req.headers.push_back({std::string(kMtimeHeader), format_mtime(*opts.mtime)});
  auto resp = call(std::move(req), sha256_hex(data), what);
  if (!resp) return std::move(resp).error();
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
  req.headers.push_back({"Content-Type", content_type_or_default(opts.content_type)});
  req.headers.push_back({"Content-MD5", base64_md5(md5)});
  req.headers.push_back({std::string(kMtimeHeader), format_mtime(mtime)});
  auto resp = call(std::move(req), kUnsignedPayload, what);
  if (!resp) return std::move(resp).error();
  return {};
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
  auto resp = call(std::move(req), sha256_hex(body), what);
  if (!resp) return std::move(resp).error();
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

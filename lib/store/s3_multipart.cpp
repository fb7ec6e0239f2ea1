// S3Store's multipart upload, one named step per request: start (with
// rclone's metadata), the parts (sent from the file or copied on the server,
// several at a time), complete; abort on any failure, so the object under
// the key stays what it was until the completion replaces it whole.
#include <algorithm>
#include <mutex>
#include <optional>
#include <thread>

#include "store/digest.hpp"
#include "store/rclone_metadata.hpp"
#include "store/s3_request.hpp"
#include "common/base64.hpp"
#include "store/s3_response_error.hpp"
#include "store/s3_store.hpp"
#include "store/s3_xml.hpp"

namespace ws::store {
namespace fs = std::filesystem;
namespace {

// "<MD5 of the parts' raw MD5s>-<parts>", as S3 names a multipart object;
// empty when a part's ETag is no MD5 (then the object is no delta base).
std::string multipart_etag(const std::vector<std::string>& part_etags) {
  auto digest = Digest::md5();
  for (const auto& e : part_etags) {
    auto raw = from_hex(md5_from_etag(e));
    if (!raw || raw->size() != 16) return {};
    digest.update(*raw);
  }
  return to_hex(digest.finish()) + "-" + std::to_string(part_etags.size());
}

}  // namespace

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
  const PartSource source{src, opts.source_links, digests, std::vector<char>(parts.size(), 0), {}};
  PartTraffic traffic;
  auto etag = upload_in_parts(key, parts, source, mtime, opts, traffic, what);
  if (!etag) return std::move(etag).error();
  return {};
}

Result<std::string> S3Store::upload_in_parts(std::string_view key, const std::vector<Part>& parts,
                                             const PartSource& source, double mtime, const PutOptions& opts,
                                             PartTraffic& traffic, std::string_view what) {
  auto upload_id = start_multipart(key, mtime, opts, source.digests, what);
  if (!upload_id) return std::move(upload_id).error();
  const std::string id_query = "uploadId=" + uri_encode(*upload_id, false);
  auto etags = transfer_parts(key, id_query, parts, source, traffic, what);
  Error failure;
  if (etags) {
    auto done = complete_multipart(key, id_query, *etags, what);
    if (done) return done;
    failure = std::move(done).error();
  } else {
    failure = std::move(etags).error();
  }
  abort_multipart(key, id_query, what);
  return failure;
}

Result<std::string> S3Store::start_multipart(std::string_view key, double mtime, const PutOptions& opts,
                                             const PartDigests& digests, std::string_view what) {
  http::Request init;
  init.method = "POST";
  init.url = url(key, "uploads");
  init.headers.push_back({"Content-Type", content_type_or_default(opts.content_type)});
  init.headers.push_back({std::string(kMtimeHeader), format_mtime(mtime)});
  init.headers.push_back({std::string(kMd5chksumHeader), base64_encode(digests.whole_md5)});
  auto started = call(std::move(init), kEmptySha256, what);
  if (!started) return std::move(started).error();
  auto upload_id = parse_upload_id(started->body);
  if (!upload_id) return std::move(upload_id).error().context(what);
  return upload_id;
}

// Workers take parts in order; each signs just before sending, so a long
// upload never sends a stale signature. The first failure stops them all.
Result<std::vector<std::string>> S3Store::transfer_parts(std::string_view key, const std::string& id_query,
                                                         const std::vector<Part>& parts, const PartSource& source,
                                                         PartTraffic& traffic, std::string_view what) {
  std::vector<std::string> etags(parts.size());
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mu;
  Error first_error;
  auto worker = [&] {
    while (!failed) {
      const size_t i = next++;
      if (i >= parts.size()) return;
      const std::string part_what =
          std::string(what) + ", part " + std::to_string(i + 1) + "/" + std::to_string(parts.size());
      auto etag = source.copy[i] ? copy_part(key, id_query, i, parts[i], source, part_what)
                                 : send_part(key, id_query, i, parts[i], source, part_what);
      if (!etag) {
        std::lock_guard lock(error_mu);
        if (!failed.exchange(true)) first_error = std::move(etag).error();
        return;
      }
      (source.copy[i] ? traffic.copied : traffic.sent) += parts[i].length;
      etags[i] = std::move(*etag);
    }
  };
  const size_t workers = std::clamp<size_t>(static_cast<size_t>(std::max(cfg_.part_parallelism, 1)), 1, parts.size());
  {
    std::vector<std::jthread> threads;
    for (size_t w = 0; w < workers; ++w) threads.emplace_back(worker);
  }
  if (failed) return first_error;
  return etags;
}

Result<std::string> S3Store::send_part(std::string_view key, const std::string& id_query, size_t n,
                                       const Part& part, const PartSource& source, std::string_view what) {
  http::Request req;
  req.method = "PUT";
  req.url = url(key, "partNumber=" + std::to_string(n + 1) + "&" + id_query);
  req.body_file = source.file;
  req.body_file_links = source.links;
  req.body_offset = part.offset;
  req.body_length = part.length;
  req.timeout = kTransferTimeout;
  if (!source.digests.part_md5.empty()) {
    req.headers.push_back({"Content-MD5", base64_encode(source.digests.part_md5[n])});
  }
  if (part.length == 0) req.headers.push_back({"Content-Length", "0"});
  auto resp = call(std::move(req), kUnsignedPayload, what);
  if (!resp) return std::move(resp).error();
  auto etag = resp->header("ETag");
  if (!etag) return Error(Errc::protocol, std::string(what) + ": S3 accepted a part without an ETag");
  return unquote_etag(*etag);
}

// UploadPartCopy of the same byte range of the object under `key`, only
// while it still has the ETag `copy_if_match`, and only when the copied
// bytes have our part's MD5: a concurrent writer's object is never mixed
// into ours (Errc::conflict). The MD5 check is what makes it safe on RGW 16,
// which ignores x-amz-copy-source-if-match on a part copy.
Result<std::string> S3Store::copy_part(std::string_view key, const std::string& id_query, size_t n,
                                       const Part& part, const PartSource& source, std::string_view what) {
  http::Request req;
  req.method = "PUT";
  req.url = url(key, "partNumber=" + std::to_string(n + 1) + "&" + id_query);
  req.timeout = kTransferTimeout;  // the server copies the range before it answers
  req.headers.push_back({"Content-Length", "0"});
  req.headers.push_back({"x-amz-copy-source", "/" + uri_encode(cfg_.bucket, false) + "/" + uri_encode(key, true)});
  req.headers.push_back({"x-amz-copy-source-range", "bytes=" + std::to_string(part.offset) + "-" +
                                                        std::to_string(part.offset + part.length - 1)});
  req.headers.push_back({"x-amz-copy-source-if-match", "\"" + source.copy_if_match + "\""});
  auto resp = call(std::move(req), kEmptySha256, what);
  if (!resp) return std::move(resp).error();
  // A copy can fail after its 200 has been sent: the error is in the body.
  if (parse_error_document(resp->body)) return answer_error(*resp, what);
  auto etag = parse_result_etag(resp->body, "CopyPartResult");
  if (!etag) return std::move(etag).error().context(what);
  if (md5_from_etag(*etag) != to_hex(source.digests.part_md5[n])) {
    return Error(Errc::conflict, std::string(what) + ": the server copied other bytes than ours (the object changed)");
  }
  return etag;
}

Result<std::string> S3Store::complete_multipart(std::string_view key, const std::string& id_query,
                                                const std::vector<std::string>& etags, std::string_view what) {
  const auto body = complete_multipart_body(etags);
  http::Request complete;
  complete.method = "POST";
  complete.url = url(key, id_query);
  complete.body = body;
  complete.timeout = kTransferTimeout;  // S3 may take long to assemble large objects
  complete.headers.push_back({"Content-Type", "application/xml"});
  const std::string completing = std::string(what) + " (completing)";
  auto resp = call(std::move(complete), sha256_hex(body), completing);
  if (!resp) return std::move(resp).error();
  // S3 can answer 200 and still fail the completion in the body.
  if (parse_error_document(resp->body)) return answer_error(*resp, completing);
  // The object is complete; without an ETag it only cannot be a delta base.
  auto etag = parse_result_etag(resp->body, "CompleteMultipartUploadResult");
  // RGW 16 answers an empty ETag: it is S3's composition of the parts'.
  return etag ? std::move(*etag) : multipart_etag(etags);
}

void S3Store::abort_multipart(std::string_view key, const std::string& id_query, std::string_view what) {
  http::Request abort;
  abort.method = "DELETE";
  abort.url = url(key, id_query);
  // After a cancel the abort still goes out, but briefly: the caller is
  // waiting, and the next sync's cleanup or the lifecycle rules remove
  // what it misses.
  constexpr std::chrono::milliseconds kAbortAfterCancelTimeout{500};
  http::RetryPolicy retry;
  if (cancel_requested(cancel_)) {
    abort.timeout = kAbortAfterCancelTimeout;
    abort.connect_timeout = kAbortAfterCancelTimeout;
    retry.max_attempts = 1;
  }
  auto aborted = send(std::move(abort), kEmptySha256, std::string(what) + " (aborting)", false, retry);
  if (aborted && (aborted->status < 200 || aborted->status >= 300)) aborted = answer_error(*aborted, what);
  if (!aborted) {
    log_.warn("store.abort_failed", "could not abort the failed multipart upload of '" + std::string(key) +
                                        "'; the next sync's cleanup or the bucket's lifecycle rules must remove it");
  }
}

}  // namespace ws::store

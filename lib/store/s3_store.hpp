// The S3 backend: SigV4-signed requests over the HTTP layer, path-style
// (http://host/bucket/key) unless virtual_hosted (http://bucket.host/key).
// Each operation borrows an http::Client from a pool, so one S3Store serves
// many threads. Objects carry rclone's metadata (rclone_metadata.hpp).
//
//  - list: ListObjectsV2, no delimiter, every page (continuation token).
//    md5_hex is filled for single-part objects (ETag); for multipart ones
//    it is empty in a listing and head() finds it in X-Amz-Meta-Md5chksum.
//  - get_file: streamed into a temporary file beside dest, checked against
//    the object's MD5 when known (single-part ETag or Md5chksum), renamed
//    into place, mtime from X-Amz-Meta-Mtime.
//  - put_file: one PUT with Content-MD5 up to multipart_threshold; above it
//    a multipart upload, part_parallelism parts at a time, each with its
//    Content-MD5, aborted on any failure, X-Amz-Meta-Md5chksum set.
//    File bodies are streamed and sent as UNSIGNED-PAYLOAD (Content-MD5
//    guards them); in-memory bodies carry their SHA-256.
//  - put_file_parts: a multipart upload whose unchanged parts are copied
//    on the server (UploadPartCopy with x-amz-copy-source-range, guarded by
//    x-amz-copy-source-if-match); a NotImplemented answer is remembered
//    for the life of the S3Store, so one refusal is asked once.
//  - abort_stale_uploads: ListMultipartUploads under the prefix, then
//    AbortMultipartUpload of each old one.
//  - remove: DeleteObjects, 1000 keys a request, Content-MD5, quiet mode.
#pragma once

#include <atomic>
#include <memory>

#include "store/client_pool.hpp"
#include "store/multipart_plan.hpp"
#include "store/sigv4_signer.hpp"
#include "store/store.hpp"

namespace ws::store {

class S3Store final : public Store {
 public:
  // Errc::invalid_input for an endpoint that is not http(s)://host[:port].
  static Result<std::unique_ptr<Store>> open(const StoreConfig& cfg, Logger log);

  std::string describe() const override;
  std::string identity() const override;
  Status check_bucket() override;
  Result<std::vector<ObjectInfo>> list(std::string_view prefix) override;
  Result<ObjectInfo> head(std::string_view key) override;
  Result<ObjectInfo> get_file(std::string_view key, const std::filesystem::path& dest) override;
  Result<std::string> get_bytes(std::string_view key) override;
  Status put_file(std::string_view key, const std::filesystem::path& src,
                  const PutOptions& opts = {}) override;
  Status put_bytes(std::string_view key, std::string_view data, const PutOptions& opts = {}) override;
  Result<std::vector<DeleteFailure>> remove(const std::vector<std::string>& keys) override;
  // Shares this store's connections; its requests carry `cancel`.
  std::unique_ptr<Store> cancellable(const CancelToken& cancel) override;
  Result<PartsUpload> put_file_parts(std::string_view key, const std::filesystem::path& src, const PutOptions& opts,
                                     const PartsOptions& parts) override;
  Result<size_t> abort_stale_uploads(std::string_view prefix,
                                     std::chrono::system_clock::time_point started_before) override;

 private:
  // Where a multipart upload's parts come from: the local file, or (for
  // the parts marked `copy`) the current object, which must still have
  // the ETag `copy_if_match`.
  struct PartSource {
    const std::filesystem::path& file;
    Symlinks links;
    const PartDigests& digests;  // part_md5 empty: parts are sent without Content-MD5
    std::vector<char> copy;      // per part: copy it on the server instead of sending it
    std::string copy_if_match;
  };
  struct PartTraffic {
    std::atomic<uint64_t> sent{0}, copied{0};
  };
  S3Store(StoreConfig cfg, std::string scheme, std::string host, Logger log);
  S3Store(const S3Store&) = default;

  std::string url(std::string_view key, std::string_view query) const;
  // Signs and performs; a transport failure becomes an Error naming `what`.
  // The request carries this view's cancel token unless `cancellable` is
  // false (cleaning up after a cancelled upload).
  Result<http::Response> send(http::Request req, std::string_view payload_hash, std::string_view what,
                              bool cancellable = true, const http::RetryPolicy& retry = {});
  Error answer_error(const http::Response& resp, std::string_view what) const;
  // send(), and an answer other than 2xx becomes answer_error().
  Result<http::Response> call(http::Request req, std::string_view payload_hash, std::string_view what);
  Result<std::vector<DeleteFailure>> remove_batch(const std::vector<std::string>& keys, size_t begin, size_t end);
  Status put_single(std::string_view key, const std::filesystem::path& src, double mtime, const PutOptions& opts);
  Status put_multipart(std::string_view key, const std::filesystem::path& src, uint64_t size, double mtime,
                       const PutOptions& opts);

  // The steps of one multipart upload (s3_multipart.cpp). upload_in_parts
  // runs them all and returns the new object's ETag; any failure aborts.
  Result<std::string> upload_in_parts(std::string_view key, const std::vector<Part>& parts, const PartSource& source,
                                      double mtime, const PutOptions& opts, PartTraffic& traffic,
                                      std::string_view what);
  Result<std::string> start_multipart(std::string_view key, double mtime, const PutOptions& opts,
                                      const PartDigests& digests, std::string_view what);
  Result<std::vector<std::string>> transfer_parts(std::string_view key, const std::string& id_query,
                                                  const std::vector<Part>& parts, const PartSource& source,
                                                  PartTraffic& traffic, std::string_view what);
  Result<std::string> send_part(std::string_view key, const std::string& id_query, size_t n, const Part& part,
                                const PartSource& source, std::string_view what);
  Result<std::string> copy_part(std::string_view key, const std::string& id_query, size_t n, const Part& part,
                                const PartSource& source, std::string_view what);
  Result<std::string> complete_multipart(std::string_view key, const std::string& id_query,
                                         const std::vector<std::string>& etags, std::string_view what);
  void abort_multipart(std::string_view key, const std::string& id_query, std::string_view what);

  StoreConfig cfg_;
  std::string scheme_, host_;
  SigV4Signer signer_;
  std::shared_ptr<ClientPool> clients_;
  Logger log_;
  const CancelToken* cancel_ = nullptr;
  // Shared with the cancellable() views: the server's answer holds for the store.
  std::shared_ptr<std::atomic<bool>> copy_unsupported_ = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace ws::store

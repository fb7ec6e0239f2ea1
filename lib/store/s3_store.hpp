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
//  - remove: DeleteObjects, 1000 keys a request, Content-MD5, quiet mode.
#pragma once

#include <memory>

#include "store/client_pool.hpp"
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

 private:
  S3Store(StoreConfig cfg, std::string scheme, std::string host, Logger log);
  S3Store(const S3Store&) = default;

  std::string url(std::string_view key, std::string_view query) const;
  // Signs and performs; a transport failure becomes an Error naming `what`.
  // The request carries this view's cancel token unless `cancellable` is
  // false (cleaning up after a cancelled upload).
  Result<http::Response> send(http::Request req, std::string_view payload_hash, std::string_view what,
                              bool cancellable = true, const http::RetryPolicy& retry = {});
  Error answer_error(const http::Response& resp, std::string_view what) const;
  Result<std::vector<DeleteFailure>> remove_batch(const std::vector<std::string>& keys, size_t begin, size_t end);
  Status put_single(std::string_view key, const std::filesystem::path& src, double mtime, const PutOptions& opts);
  Status put_multipart(std::string_view key, const std::filesystem::path& src, uint64_t size, double mtime,
                       const PutOptions& opts);

  StoreConfig cfg_;
  std::string scheme_, host_;
  SigV4Signer signer_;
  std::shared_ptr<ClientPool> clients_;
  Logger log_;
  const CancelToken* cancel_ = nullptr;
};

}  // namespace ws::store

// The object store: one interface, two backends with the same semantics.
//  - S3 (s3_store.*): SigV4 over the HTTP layer, path-style by default.
//  - Local directory (local_store.*): chosen by a file:// endpoint; the
//    embedded default that needs no server.
// Keys are full object keys inside the bucket ("ns/session/artifacts/a.txt").
// Objects look as rclone writes them: X-Amz-Meta-Mtime (seconds, decimal
// fraction) and, for multipart uploads, X-Amz-Meta-Md5chksum (base64 MD5).
// Every method is safe to call from several threads at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/cancel.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "common/regular_file.hpp"

namespace ws::store {

struct ObjectInfo {
  std::string key;
  uint64_t size = 0;
  std::string etag;              // without quotes; "<md5>-<parts>" for multipart
  std::string md5_hex;           // content MD5 when known (single-part ETag, Md5chksum, local)
  std::optional<double> mtime;   // X-Amz-Meta-Mtime, when known (HEAD/GET, not list)
};

struct PutOptions {
  std::optional<double> mtime;   // written as X-Amz-Meta-Mtime
  std::string md5_hex;           // when the caller already knows it (saves a read)
  std::string content_type;      // default application/octet-stream
  // put_file's source is opened as open_regular_file() opens it: never a
  // FIFO or device; with Symlinks::refuse, not through any symlink
  // (mirror_up passes the path its scan resolved, so a link swapped in
  // afterwards is refused instead of followed out of the tree).
  Symlinks source_links = Symlinks::follow;
};

struct DeleteFailure {
  std::string key;
  std::string message;           // S3 error code and message
};

// 10,000 pages of 1,000 keys: ten million objects under one prefix.
inline constexpr size_t kDefaultListMaxPages = 10000;

struct StoreConfig {
  std::string endpoint;          // http(s)://host[:port] or file:///abs/dir
  std::string bucket;
  std::string access_key;        // secret-free logs: never printed
  std::string secret_key;
  std::string region = "us-east-1";
  bool virtual_hosted = false;
  uint64_t multipart_threshold = 64ull << 20;
  uint64_t part_size = 16ull << 20;
  int part_parallelism = 4;
  int list_max_keys = 1000;      // ListObjectsV2 page size (tests lower it to cross pages)
  // A listing still truncated after this many pages is an error: an endpoint
  // that never ends a listing must not grow memory without bound.
  size_t list_max_pages = kDefaultListMaxPages;
};

class Store {
 public:
  virtual ~Store() = default;

  // "s3 bucket 'b' at http://127.0.0.1:4568" — never a secret.
  virtual std::string describe() const = 0;

  // Which objects this store reaches — backend, endpoint and bucket, never a
  // secret — as a key for what the library remembers about them (the sync's
  // manifests, the record of an uploaded repo state). Two stores with the
  // same identity reach the same objects; it stays the same across releases
  // while describe() may be reworded.
  virtual std::string identity() const = 0;

  // Is the bucket there and are we allowed in? Errc::auth (bad credentials),
  // Errc::not_found (no bucket), Errc::network (endpoint unreachable).
  virtual Status check_bucket() = 0;

  // Every object under `prefix`, recursively (no delimiter), all pages,
  // sorted by key. mtime is not filled (listings do not carry metadata);
  // md5_hex is empty for an S3 multipart object (its ETag is no MD5):
  // head() reads it from X-Amz-Meta-Md5chksum.
  virtual Result<std::vector<ObjectInfo>> list(std::string_view prefix) = 0;

  // Errc::not_found when absent.
  virtual Result<ObjectInfo> head(std::string_view key) = 0;

  // Streams into a temporary file beside `dest`, then renames it into place;
  // sets the file's mtime from X-Amz-Meta-Mtime when present. A failed
  // download (including bytes that do not match the object's known MD5:
  // Errc::protocol) leaves `dest` as it was.
  virtual Result<ObjectInfo> get_file(std::string_view key, const std::filesystem::path& dest) = 0;
  virtual Result<std::string> get_bytes(std::string_view key) = 0;

  // Single PUT with Content-MD5 below the multipart threshold, multipart
  // (parts in parallel, abort on failure, X-Amz-Meta-Md5chksum) above it.
  virtual Status put_file(std::string_view key, const std::filesystem::path& src,
                          const PutOptions& opts = {}) = 0;
  virtual Status put_bytes(std::string_view key, std::string_view data,
                           const PutOptions& opts = {}) = 0;

  // Deletes in batches (S3 DeleteObjects, 1000 a request); per-key failures
  // are returned, a transport failure is an error.
  virtual Result<std::vector<DeleteFailure>> remove(const std::vector<std::string>& keys) = 0;

  // A view of this store for an operation that `cancel` may stop: once it
  // is requested, a call not yet begun fails with Errc::cancelled and (S3)
  // a transfer under way is aborted within about a second, nothing of it
  // committed. The view borrows this store and `cancel` and must not
  // outlive them. The default view only checks before each call.
  virtual std::unique_ptr<Store> cancellable(const CancelToken& cancel);
};

// Chooses the backend from the endpoint's scheme. Errc::invalid_input names
// the bad field.
Result<std::unique_ptr<Store>> open_store(const StoreConfig& cfg, Logger log = {});

}  // namespace ws::store

#include <string>

#include "common/redact.hpp"
#include "store/local_store.hpp"
#include "store/s3_store.hpp"
#include "store/store.hpp"

namespace ws::store {
namespace {

// Bucket names become path segments and URL parts: refuse what could not be
// either, leave the finer S3 naming rules to the server.
Status check_bucket_name(std::string_view bucket) {
  if (bucket.empty()) return Error(Errc::invalid_input, "bucket: empty");
  if (bucket == "." || bucket == ".." || bucket.find_first_of(std::string_view("/\\\0?#%", 6)) != std::string_view::npos) {
    return Error(Errc::invalid_input, "bucket: '" + std::string(bucket) + "' is not a bucket name");
  }
  return {};
}

Result<std::unique_ptr<Store>> open_local(const StoreConfig& cfg, Logger log) {
  const std::string path = cfg.endpoint.substr(std::string_view("file://").size());
  if (path.empty() || path.front() != '/') {
    return Error(Errc::invalid_input, "endpoint: '" + cfg.endpoint + "' must be file:///absolute/dir");
  }
  return std::unique_ptr<Store>(std::make_unique<LocalStore>(path, cfg.bucket, std::move(log)));
}

}  // namespace

Result<std::unique_ptr<Store>> open_store(const StoreConfig& cfg, Logger log) {
  WS_TRY(check_bucket_name(cfg.bucket));
  if (cfg.endpoint.rfind("file://", 0) == 0) return open_local(cfg, std::move(log));
  if (cfg.endpoint.rfind("http://", 0) == 0 || cfg.endpoint.rfind("https://", 0) == 0) {
    return S3Store::open(cfg, std::move(log));
  }
  return Error(Errc::invalid_input,
               "endpoint: '" + redact_url(cfg.endpoint) + "' is neither file:// nor http(s)://");
}

}  // namespace ws::store

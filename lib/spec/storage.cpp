#include "spec/storage.hpp"

#include <vector>

#include "common/redact.hpp"
#include "spec/env_table.hpp"
#include "spec/sanitize.hpp"

namespace ws::spec {
namespace {

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " and " : ", ";
    out += names[i];
  }
  return out;
}

Result<ResolvedStorage> resolve_custom(const StorageInputs& in) {
  const ProjectStorage& p = in.project;
  std::vector<std::string> missing;
  if (p.endpoint.empty()) missing.emplace_back("S3_ENDPOINT");
  if (p.bucket.empty()) missing.emplace_back("S3_BUCKET");
  if (p.access_key.empty() && !in.access_key_from_secret) missing.emplace_back("S3_ACCESS_KEY");
  if (p.secret_key.empty() && !in.secret_key_from_secret) missing.emplace_back("S3_SECRET_KEY");
  if (!missing.empty()) {
    return Error(Errc::invalid_input, "the project's storage mode is 'custom' but its " +
                                          join_names(missing) +
                                          (missing.size() == 1 ? " is" : " are") + " not set");
  }
  WS_TRY(require_http_url(p.endpoint, "the project's S3_ENDPOINT"));
  return ResolvedStorage{StorageSource::custom, p.endpoint, p.bucket, p.access_key, p.secret_key};
}

Result<ResolvedStorage> resolve_cluster(const StorageInputs& in) {
  const std::string default_endpoint(find_env_var("S3_ENDPOINT")->default_value);
  const std::string default_bucket(find_env_var("S3_BUCKET")->default_value);
  const std::string endpoint = in.cluster.endpoint.empty() ? default_endpoint : in.cluster.endpoint;
  const std::string bucket = in.cluster.bucket.empty() ? default_bucket : in.cluster.bucket;
  WS_TRY(require_http_url(endpoint, "the cluster's S3 endpoint"));
  const bool shared = endpoint == default_endpoint && bucket == default_bucket;
  const std::string& access = shared ? in.shared_minio_access_key : in.cluster.access_key;
  const std::string& secret = shared ? in.shared_minio_secret_key : in.cluster.secret_key;
  const bool has_access = !access.empty() || in.access_key_from_secret;
  const bool has_secret = !secret.empty() || in.secret_key_from_secret;
  const std::string which = shared ? "the shared MinIO's" : "the cluster store's";
  if (has_access != has_secret) {
    return Error(Errc::invalid_input, "incomplete S3 settings: " + which + " " +
                                          (has_access ? "access key is set but its secret key is not"
                                                      : "secret key is set but its access key is not"));
  }
  if (!has_access) {
    if (shared) return ResolvedStorage{};
    return Error(Errc::invalid_input,
                 "incomplete S3 settings: the cluster store " + redact_url(endpoint) + " (bucket " +
                     bucket + ") is not the shared MinIO and has no access key and secret key");
  }
  return ResolvedStorage{shared ? StorageSource::shared_minio : StorageSource::cluster, endpoint,
                         bucket, access, secret};
}

}  // namespace

const char* storage_source_name(StorageSource s) {
  switch (s) {
    case StorageSource::none: return "none";
    case StorageSource::custom: return "custom";
    case StorageSource::cluster: return "cluster";
    case StorageSource::shared_minio: return "shared-minio";
  }
  return "none";
}

Result<ResolvedStorage> resolve_storage(const StorageInputs& in) {
  if (in.project.mode == "custom") return resolve_custom(in);
  if (in.project.mode.empty() || in.project.mode == "shared") return resolve_cluster(in);
  return Error(Errc::invalid_input, "the project's storage mode must be 'custom' or 'shared', got '" +
                                        in.project.mode + "'");
}

}  // namespace ws::spec

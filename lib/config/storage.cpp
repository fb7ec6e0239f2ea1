#include "config/storage.hpp"

#include <vector>

#include "common/redact.hpp"
#include "config/env_table.hpp"
#include "config/sanitize.hpp"

namespace ws::config {
namespace {

struct KeyPair {
  bool access = false, secret = false;
  std::string access_key, secret_key;
};

KeyPair key_pair(const std::string& access, const std::string& secret, const StorageInputs& in) {
  return {!access.empty() || in.access_key_from_secret, !secret.empty() || in.secret_key_from_secret,
          access, secret};
}

ResolvedStorage unavailable(const char* reason, std::string message, InputWarnings warnings) {
  ResolvedStorage r;
  r.reason = reason;
  r.message = std::move(message);
  r.warnings = std::move(warnings);
  return r;
}

// The cluster's store (endpoint and bucket defaulted) and the keys that go
// with it: the shared MinIO's for the default store, else the cluster's.
struct ClusterStore {
  std::string endpoint, bucket;
  bool shared = false;
  KeyPair keys;
  std::string keys_owner;  // "the shared MinIO's", for messages
};

ClusterStore cluster_store(const StorageInputs& in) {
  const std::string default_endpoint(find_env_var("S3_ENDPOINT")->default_value);
  const std::string default_bucket(find_env_var("S3_BUCKET")->default_value);
  ClusterStore c;
  c.endpoint = in.cluster.endpoint.empty() ? default_endpoint : in.cluster.endpoint;
  c.bucket = in.cluster.bucket.empty() ? default_bucket : in.cluster.bucket;
  c.shared = c.endpoint == default_endpoint && c.bucket == default_bucket;
  c.keys = c.shared ? key_pair(in.shared_minio_access_key, in.shared_minio_secret_key, in)
                    : key_pair(in.cluster.access_key, in.cluster.secret_key, in);
  c.keys_owner = c.shared ? "the shared MinIO's" : "the cluster store's";
  return c;
}

ResolvedStorage finish(StorageSource source, std::string endpoint, std::string bucket,
                       const KeyPair& keys, const std::string& keys_owner, std::string what,
                       InputWarnings warnings) {
  if (!require_http_url(endpoint, what)) {
    return unavailable(kStorageInvalidEndpoint,
                       what + " '" + redact_url(endpoint) + "' is not an http:// or https:// URL "
                       "without credentials",
                       std::move(warnings));
  }
  if (keys.access != keys.secret) {
    return unavailable(kStorageIncomplete,
                       keys_owner + (keys.access ? " access key is set but its secret key is not"
                                                 : " secret key is set but its access key is not"),
                       std::move(warnings));
  }
  ResolvedStorage r;
  r.source = source;
  r.endpoint = std::move(endpoint);
  r.bucket = std::move(bucket);
  r.access_key = keys.access_key;
  r.secret_key = keys.secret_key;
  r.warnings = std::move(warnings);
  return r;
}

ResolvedStorage resolve_custom(const StorageInputs& in, InputWarnings warnings) {
  const ProjectStorage& p = in.project;
  const ClusterStore cluster = cluster_store(in);
  std::vector<std::string> defaulted;
  if (p.endpoint.empty()) defaulted.emplace_back("S3_ENDPOINT");
  if (p.bucket.empty()) defaulted.emplace_back("S3_BUCKET");
  const std::string endpoint = p.endpoint.empty() ? cluster.endpoint : p.endpoint;
  const std::string bucket = p.bucket.empty() ? cluster.bucket : p.bucket;
  KeyPair keys = key_pair(p.access_key, p.secret_key, in);
  std::string keys_owner = "the project's";
  if (!keys.access && !keys.secret) {
    if (endpoint != cluster.endpoint) {
      return unavailable(kStorageIncomplete,
                         "the project's storage mode is 'custom' with its own S3_ENDPOINT but "
                         "neither S3_ACCESS_KEY nor S3_SECRET_KEY",
                         std::move(warnings));
    }
    keys = cluster.keys;
    keys_owner = cluster.keys_owner;
    defaulted.emplace_back("S3_ACCESS_KEY");
    defaulted.emplace_back("S3_SECRET_KEY");
  }
  if (!defaulted.empty()) {
    std::string names;
    for (const auto& n : defaulted) names += (names.empty() ? "" : ", ") + n;
    warnings.push_back({"storage.custom_defaulted",
                        "the project's storage mode is 'custom' but " + names +
                            (defaulted.size() == 1 ? " is" : " are") +
                            " not set: taken from the cluster's store"});
  }
  if (!keys.access && !keys.secret) {
    return unavailable(kStorageNotConfigured,
                       "the project's storage mode is 'custom' but it sets no keys and " +
                           cluster.keys_owner + " keys are not set either",
                       std::move(warnings));
  }
  return finish(StorageSource::custom, endpoint, bucket, keys, keys_owner,
                "the project's S3_ENDPOINT", std::move(warnings));
}

ResolvedStorage resolve_cluster(const StorageInputs& in, InputWarnings warnings) {
  const ClusterStore c = cluster_store(in);
  if (!c.keys.access && !c.keys.secret) {
    if (c.shared) {
      return unavailable(kStorageNotConfigured, "no S3 keys: the shared MinIO's are not set",
                         std::move(warnings));
    }
    return unavailable(kStorageIncomplete,
                       "the cluster store " + redact_url(c.endpoint) + " (bucket " + c.bucket +
                           ") is not the shared MinIO and has no access key and secret key",
                       std::move(warnings));
  }
  return finish(c.shared ? StorageSource::shared_minio : StorageSource::cluster, c.endpoint,
                c.bucket, c.keys, c.keys_owner, "the cluster's S3 endpoint", std::move(warnings));
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

ResolvedStorage resolve_storage(const StorageInputs& in) {
  InputWarnings warnings;
  const std::string& mode = in.project.mode;
  if (mode == "custom") return resolve_custom(in, std::move(warnings));
  if (!mode.empty() && mode != "shared") {
    warnings.push_back({"storage.unknown_mode", "the project's storage mode '" + mode +
                                                    "' is unknown: using the cluster's store, as "
                                                    "for 'shared'"});
  }
  return resolve_cluster(in, std::move(warnings));
}

}  // namespace ws::config

// Which object store a session persists to (SPEC §6): the project's own
// store when its storage mode is "custom", else the cluster's store, using
// the shared MinIO credentials when the cluster store is the default
// endpoint and bucket. Half-configured settings are an error rather than a
// silent "no persistence".
#pragma once

#include <string>

#include "common/error.hpp"

namespace ws::spec {

// The project's settings (keys S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY,
// S3_SECRET_KEY and its storage mode).
struct ProjectStorage {
  std::string mode;  // "custom", or "" / "shared" for the cluster's store
  std::string endpoint, bucket, access_key, secret_key;
};

// The cluster's store; empty endpoint/bucket mean the defaults of
// env_table.hpp (the shared MinIO).
struct ClusterStorage {
  std::string endpoint, bucket;
  std::string access_key, secret_key;  // used when the store is not the default
};

struct StorageInputs {
  ProjectStorage project;
  ClusterStorage cluster;
  std::string shared_minio_access_key, shared_minio_secret_key;
  // The caller supplies the key through a Kubernetes secret reference, so
  // its value is present in the pod although not known here.
  bool access_key_from_secret = false;
  bool secret_key_from_secret = false;
};

enum class StorageSource { none, custom, cluster, shared_minio };

const char* storage_source_name(StorageSource s);  // "none", "custom", ...

struct ResolvedStorage {
  StorageSource source = StorageSource::none;
  std::string endpoint, bucket;
  std::string access_key, secret_key;  // "" when from a secret reference
  bool enabled() const { return source != StorageSource::none; }
};

// Errors (invalid_input) name the missing or wrong settings, never a key.
Result<ResolvedStorage> resolve_storage(const StorageInputs& in);

}  // namespace ws::spec

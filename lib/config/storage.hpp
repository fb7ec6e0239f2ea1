// Which object store a session persists to (behaviour §6): the project's own
// store when its storage mode is "custom", else the cluster's store, using
// the shared MinIO credentials when the cluster store is the default
// endpoint and bucket. Resolution degrades as the operator's does, never
// fails: a custom mode with fields missing takes them from the cluster's
// store, an unknown mode counts as "shared", and settings that stay
// incomplete give no persistence plus a reason (the operator's
// S3Available=False condition) for the CP to show.
#pragma once

#include <string>

#include "config/input_warning.hpp"

namespace ws::config {

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

// Why a session has no persistence, as a condition reason (CamelCase, stable).
inline constexpr const char* kStorageNotConfigured = "NotConfigured";          // no keys anywhere
inline constexpr const char* kStorageIncomplete = "IncompleteSettings";        // some, not all
inline constexpr const char* kStorageInvalidEndpoint = "InvalidEndpoint";      // not http(s)

struct ResolvedStorage {
  StorageSource source = StorageSource::none;
  std::string endpoint, bucket;
  std::string access_key, secret_key;  // "" when from a secret reference
  // Source none: a reason of the kStorage* constants and a message naming
  // the settings at fault (never a key).
  std::string reason, message;
  // Fallbacks taken (unknown mode, custom fields from the cluster's store).
  InputWarnings warnings;
  bool enabled() const { return source != StorageSource::none; }
};

// Custom mode, field by field: the project's endpoint and bucket, else the
// cluster's; the project's key pair, else (only when the endpoint is the
// cluster's too: the cluster's keys never go to a project's endpoint) the
// cluster's keys for that endpoint.
ResolvedStorage resolve_storage(const StorageInputs& in);

}  // namespace ws::config

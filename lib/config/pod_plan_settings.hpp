// The control plane's settings for a pod plan, read from JSON (keys
// case-insensitive, unknown keys refused so a typo is an error, not a
// silently ignored setting):
//   {"stateSyncImage"?: string, "imagePullPolicy"?: "Always"|"IfNotPresent"|"Never",
//    "backendApiUrl"?, "cpTokenUrl"?, "cpTokenPublicKey"?, "botToken"?: string,
//    "runnerStateDir"?: string,
//    "githubHosts"?, "gitlabHosts"?: [host[:port]...] or "h1,h2" (GITHUB_HOSTS / GITLAB_HOSTS),
//    "projectStorage"?: {"storageMode", "S3_ENDPOINT", "S3_BUCKET", "S3_ACCESS_KEY", "S3_SECRET_KEY"},
//    "clusterStorage"?: {"endpoint", "bucket", "accessKey", "secretKey"},
//    "sharedMinio"?: {"accessKey", "secretKey"},
//    "secretRefs"?: {"<ENV VAR>": {"name": secret, "key": key}},
//    "env"?: {"<ENV VAR>": string}}
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "config/storage.hpp"

namespace ws::config {

inline constexpr std::string_view kDefaultStateSyncImage = "quay.io/ambient_code/vteam_state_sync";

struct SecretRef {
  std::string name;  // Kubernetes Secret
  std::string key;   // key inside it
};

struct PodPlanSettings {
  std::string state_sync_image{kDefaultStateSyncImage};
  std::string image_pull_policy;  // "" = leave to Kubernetes
  std::string backend_api_url, cp_token_url, cp_token_public_key, bot_token;
  std::string runner_state_dir = ".claude";  // normalised
  // GITHUB_HOSTS / GITLAB_HOSTS for init-hydrate, comma-joined; "" leaves
  // hydrate to trust the session's own hosts (behaviour §4).
  std::string github_hosts, gitlab_hosts;
  StorageInputs storage;
  std::map<std::string, SecretRef> secret_refs;  // env var -> secret
  std::map<std::string, std::string> env;        // extra env-table variables
};

// "" (or only whitespace) gives the defaults. Errors (invalid_input) name
// the field: "settings.secretRefs.BOT_TOKEN needs both "name" and "key"".
Result<PodPlanSettings> parse_pod_plan_settings(std::string_view json);

}  // namespace ws::config

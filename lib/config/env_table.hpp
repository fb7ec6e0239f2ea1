// Every environment variable the session pod reads: the single source of
// truth for the config loader (config.cpp), the CLI's `env` command and
// `--help`, and README's table (`ambient-workspace env --markdown`).
// A variable missing here is not read anywhere.
#pragma once

#include <array>
#include <string>
#include <string_view>

namespace ws::config {

// Which container of the session pod reads a variable; the pod plan sets
// a variable only in the containers that read it.
enum class EnvReader : unsigned { hydrate = 1, sync = 2, both = 3 };

constexpr bool reads(EnvReader who, EnvReader container) {
  return (static_cast<unsigned>(who) & static_cast<unsigned>(container)) != 0;
}

struct EnvVar {
  std::string_view name;
  std::string_view default_value;  // "" when there is none
  std::string_view meaning;
  bool secret;                     // never printed, logged or written to a file
  EnvReader read_by;
};

inline constexpr std::array kEnvVars = {
    EnvVar{"SESSION_NAME", "unknown",
           "session id; sanitised to [A-Za-z0-9-] before use in an S3 key or path", false, EnvReader::both},
    EnvVar{"NAMESPACE", "default",
           "project namespace; sanitised to [A-Za-z0-9-] before use in an S3 key or path", false, EnvReader::both},
    EnvVar{"PROJECT_NAME", "", "project id in backend API paths (default: NAMESPACE)", false, EnvReader::hydrate},
    EnvVar{"REPOS_JSON", "",
           "JSON array of {\"url\": string, \"branch\"?: string, \"autoPush\"?: bool}", false, EnvReader::hydrate},
    EnvVar{"ACTIVE_WORKFLOW_GIT_URL", "", "workflow repository URL", false, EnvReader::hydrate},
    EnvVar{"ACTIVE_WORKFLOW_BRANCH", "main", "workflow branch", false, EnvReader::hydrate},
    EnvVar{"ACTIVE_WORKFLOW_PATH", "", "sub-directory of the workflow repository to use", false, EnvReader::hydrate},
    EnvVar{"S3_ENDPOINT", "http://minio.ambient-code.svc:9000", "object store endpoint: http(s)://host[:port], or file:///abs/dir for a local directory", false, EnvReader::both},
    EnvVar{"S3_BUCKET", "ambient-sessions", "bucket holding session state", false, EnvReader::both},
    EnvVar{"AWS_ACCESS_KEY_ID", "",
           "object store access key; persistence is on only when endpoint, bucket and both keys "
           "are set",
           true, EnvReader::both},
    EnvVar{"AWS_SECRET_ACCESS_KEY", "", "object store secret key", true, EnvReader::both},
    EnvVar{"AWS_REGION", "us-east-1", "region used in S3 request signatures", false, EnvReader::both},
    EnvVar{"RUNNER_STATE_DIR", ".claude",
           "framework state directory, relative to the workspace root (no absolute path, no ..)",
           false, EnvReader::both},
    EnvVar{"WORKSPACE_ROOT", "/workspace", "the workspace root", false, EnvReader::both},
    EnvVar{"BACKEND_API_URL", "", "backend API base URL, for git credentials", false, EnvReader::hydrate},
    EnvVar{"BOT_TOKEN", "", "API bearer token when no CP token endpoint is set", true, EnvReader::hydrate},
    EnvVar{"AMBIENT_CP_TOKEN_URL", "",
           "CP token endpoint (http(s), no userinfo) that issues the API bearer token", false, EnvReader::hydrate},
    EnvVar{"AMBIENT_CP_TOKEN_PUBLIC_KEY", "",
           "PEM public key encrypting SESSION_ID for the CP token endpoint", false, EnvReader::hydrate},
    EnvVar{"SESSION_ID", "", "session id presented (encrypted) to the CP token endpoint", false, EnvReader::hydrate},
    EnvVar{"SERVICE_ACCOUNT_TOKEN_FILE", "/var/run/secrets/kubernetes.io/serviceaccount/token",
           "bearer for the CP token endpoint when no public key is given", false, EnvReader::hydrate},
    EnvVar{"GITHUB_TOKEN", "", "GitHub token (else fetched from the backend API)", true, EnvReader::hydrate},
    EnvVar{"GITLAB_TOKEN", "", "GitLab token (else fetched from the backend API)", true, EnvReader::hydrate},
    EnvVar{"GITHUB_HOSTS", "",
           "comma-separated extra hosts that may receive the GitHub token (besides github.com "
           "and its subdomains); unset with GITLAB_HOSTS: the session's own repo hosts, see README",
           false, EnvReader::hydrate},
    EnvVar{"GITLAB_HOSTS", "",
           "comma-separated extra hosts that may receive the GitLab token (besides gitlab.com and "
           "the instanceUrl host); unset with GITHUB_HOSTS: the session's own repo hosts",
           false, EnvReader::hydrate},
    EnvVar{"SYNC_INITIAL_DELAY", "30", "sidecar: seconds to wait before the first sync (0 to 86400)", false, EnvReader::sync},
    EnvVar{"SYNC_INTERVAL", "60", "sidecar: seconds between sync cycles (1 to 86400)", false, EnvReader::sync},
    EnvVar{"MAX_SYNC_SIZE", "1073741824",
           "sidecar: byte limit of the synced trees (warn above it, skip larger files; 1 to 2^50; bytes, or with a suffix K, M, G, T, P = powers of 1024, e.g. 500M)", false, EnvReader::sync},
    EnvVar{"REPO_BACKUP_INTERVAL", "5", "sidecar: back up git repos every Nth cycle (1 to 1000000)", false, EnvReader::sync},
    EnvVar{"SYNC_SHUTDOWN_TIMEOUT", "25",
           "sidecar: seconds the final backup and sync may take after SIGTERM, within the pod's grace "
           "period (1 to 3600)",
           false, EnvReader::sync},
    EnvVar{"LOG_FORMAT", "text", "log lines as `text` or `json`", false, EnvReader::both},
};

// The entry named `name`, or nullptr.
const EnvVar* find_env_var(std::string_view name);

// "hydrate", "sync" or "hydrate, sync".
const char* env_reader_name(EnvReader r);

// The table as GitHub markdown (README's "Environment" section).
std::string env_table_markdown();

}  // namespace ws::config

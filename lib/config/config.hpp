// The resolved configuration of one session pod (behaviour §1): every input of
// hydrate and sync, read once from an EnvSource, validated, defaulted and
// sanitised. Layers above take a Config (or parts of it) and never read the
// environment themselves.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "config/env_source.hpp"
#include "config/input_warning.hpp"
#include "config/repo_spec.hpp"

namespace ws::config {

enum class LogFormat { text, json };

struct S3Settings {
  std::string endpoint;    // "http(s)://host[:port]" or "file:///abs/dir"
  std::string bucket;
  std::string access_key;  // secret
  std::string secret_key;  // secret
  std::string region;

  // Persistence is on only when all four of endpoint, bucket and keys are set.
  bool complete() const {
    return !endpoint.empty() && !bucket.empty() && !access_key.empty() && !secret_key.empty();
  }
};

struct WorkflowSpec {
  std::string git_url;  // may carry userinfo (a secret)
  std::string branch;   // default "main"
  std::string path;     // normalised relative sub-directory; "" = whole repo
  std::string name;     // directory under workflows/, derived from git_url
};

struct Config {
  std::string session;         // SESSION_NAME, sanitised
  std::string namespace_name;  // NAMESPACE, sanitised
  std::string project;         // PROJECT_NAME, default namespace_name
  std::vector<RepoSpec> repos;
  std::optional<WorkflowSpec> workflow;

  S3Settings s3;
  bool persistence_enabled() const { return s3.complete(); }

  std::string workspace_root;    // WORKSPACE_ROOT
  std::string runner_state_dir;  // normalised, relative to workspace_root

  std::string backend_api_url;
  std::string bot_token;                // secret
  std::string cp_token_url;
  std::string cp_token_public_key;      // PEM
  std::string session_id;
  std::string service_account_token_file;
  std::string github_token;             // secret
  std::string gitlab_token;             // secret
  std::vector<std::string> github_hosts;  // extra hosts allowed the GitHub token
  std::vector<std::string> gitlab_hosts;  // extra hosts allowed the GitLab token

  std::chrono::seconds sync_initial_delay{30};
  std::chrono::seconds sync_interval{60};
  std::chrono::seconds sync_shutdown_timeout{25};  // the final cycle's deadline after a stop
  uint64_t max_sync_size = 1073741824;
  uint64_t delta_threshold = 16777216;  // SYNC_DELTA_THRESHOLD; 0 = whole-file uploads only
  unsigned repo_backup_interval = 5;
  LogFormat log_format = LogFormat::text;

  // Odd values that were accepted (behaviour §1 "Input policy"); hydrate and the
  // sidecar log them when they start.
  InputWarnings warnings;

  // "<namespace>/<session>/"
  std::string session_prefix() const;
  // workspace_root + "/" + runner_state_dir
  std::string state_dir() const;
};

// A workflow sub-directory (ACTIVE_WORKFLOW_PATH, the session's
// workflow.path) normalised as normalize_relative_path, "" for the whole
// repo; a leading '/' is dropped with a warning (the path is read inside
// the clone), '..' is an error naming `what`.
Result<std::string> normalize_workflow_path(std::string_view path, std::string_view what,
                                            InputWarnings& warnings);

// Every variable of env_table.hpp with the value `config` resolved for it
// (defaults applied, names sanitised, paths normalised, REPOS_JSON in
// canonical form), in table order. Secrets are included: this is for the
// caller that supplied them, never for a log line.
std::vector<std::pair<std::string, std::string>> resolved_env(const Config& config);

// Reads every variable of env_table.hpp from `env`. Odd but plausible values
// are accepted into Config::warnings; errors (invalid_input) are for
// garbage, naming the variable and what was wrong, never a secret value.
Result<Config> load_config(const EnvSource& env);

}  // namespace ws::config

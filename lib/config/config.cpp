#include "config/config.hpp"

#include <cctype>
#include <charconv>
#include <map>
#include <stdexcept>

#include "common/ascii.hpp"
#include "common/byte_size.hpp"
#include "config/env_table.hpp"
#include "config/layout.hpp"
#include "config/sanitize.hpp"

namespace ws::config {
namespace {

// 1 PiB: more than any workspace, and far from uint64 arithmetic's edge.
constexpr uint64_t kMaxSyncSizeLimit = uint64_t{1} << 50;

// Reads variables by their env_table.hpp name, applying its default; asking
// for a name missing from the table is a bug caught here.
class Reader {
 public:
  explicit Reader(const EnvSource& env) : env_(env) {}

  std::string get(std::string_view name) const {
    const EnvVar* var = find_env_var(name);
    if (var == nullptr) throw std::logic_error("variable missing from env_table.hpp");
    if (auto v = env_.get(name)) return *v;
    return std::string(var->default_value);
  }

  // A whole number in [min, max]. Every number from the environment has an
  // upper bound: seconds beyond ~292 years overflow std::chrono's
  // nanoseconds (SYNC_INTERVAL=9223372037 became a busy loop), and a
  // negative or huge value must not wrap around. The default bound keeps
  // any count of seconds safe to add to a clock.
  Result<uint64_t> number(std::string_view name, uint64_t min, uint64_t max = 1000000000) const {
    const std::string text = get(name);
    const auto range = [&] {
      return Error(Errc::invalid_input, std::string(name) + " must be between " + std::to_string(min) +
                                            " and " + std::to_string(max) + ", got " + text);
    };
    uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec == std::errc::result_out_of_range) return range();
    if (ec != std::errc() || end != text.data() + text.size()) {
      return Error(Errc::invalid_input, std::string(name) + " must be a whole number, got '" +
                                            text + "'");
    }
    if (value < min || value > max) return range();
    return value;
  }

  // A size in [min, max] bytes, with rclone's suffixes (500M, 1.5G, 2Gi).
  Result<uint64_t> size(std::string_view name, uint64_t min, uint64_t max) const {
    const std::string text = get(name);
    auto value = parse_byte_size(text);
    if (!value) return Error(Errc::invalid_input, std::string(name) + ": " + value.error().message);
    if (*value < min || *value > max) {
      return Error(Errc::invalid_input, std::string(name) + " must be between " + std::to_string(min) +
                                            " and " + std::to_string(max) + " bytes, got " + text);
    }
    return value;
  }

 private:
  const EnvSource& env_;
};

Result<std::string> sanitized(const Reader& r, std::string_view name) {
  const std::string raw = r.get(name);
  std::string clean = sanitize_name(raw);
  if (clean.empty()) {
    return Error(Errc::invalid_input, std::string(name) + " '" + raw +
                                          "' has no character of [A-Za-z0-9-] to keep");
  }
  return clean;
}

Status check_http_url(std::string_view name, const std::string& url) {
  return url.empty() ? Status() : require_http_url(url, name);
}

std::vector<std::string> host_list(const std::string& text) {
  std::vector<std::string> hosts;
  for (size_t pos = 0; pos <= text.size();) {
    size_t next = text.find(',', pos);
    if (next == std::string::npos) next = text.size();
    std::string host = text.substr(pos, next - pos);
    const auto b = host.find_first_not_of(" \t");
    const auto e = host.find_last_not_of(" \t");
    host = b == std::string::npos ? "" : host.substr(b, e - b + 1);
    host = ascii_lower(host);
    if (!host.empty()) hosts.push_back(std::move(host));
    pos = next + 1;
  }
  return hosts;
}

Result<std::optional<WorkflowSpec>> load_workflow(const Reader& r, InputWarnings& warnings) {
  WorkflowSpec wf;
  wf.git_url = r.get("ACTIVE_WORKFLOW_GIT_URL");
  if (wf.git_url.empty()) return std::optional<WorkflowSpec>();
  // A template that renders a missing workflow as JSON's null.
  if (wf.git_url == "null") {
    warnings.push_back({"config.workflow_null", "ACTIVE_WORKFLOW_GIT_URL is 'null': no workflow"});
    return std::optional<WorkflowSpec>();
  }
  wf.branch = r.get("ACTIVE_WORKFLOW_BRANCH");
  auto path = normalize_workflow_path(r.get("ACTIVE_WORKFLOW_PATH"), "ACTIVE_WORKFLOW_PATH", warnings);
  if (!path) return std::move(path).error();
  wf.path = std::move(*path);
  auto name = repo_name_from_url(wf.git_url);
  if (!name) return std::move(name).error().context("ACTIVE_WORKFLOW_GIT_URL");
  wf.name = std::move(*name);
  return std::optional<WorkflowSpec>(std::move(wf));
}

}  // namespace

Result<std::string> normalize_workflow_path(std::string_view path, std::string_view what,
                                            InputWarnings& warnings) {
  // "/flows/x" means the clone's own flows/x: the path is inside the repo.
  if (const auto start = path.find_first_not_of('/'); !path.empty() && start != 0) {
    warnings.push_back({"config.workflow_path_absolute",
                        std::string(what) + " '" + std::string(path) +
                            "' starts with '/': taken relative to the workflow repository"});
    path.remove_prefix(start == std::string_view::npos ? path.size() : start);
  }
  return normalize_relative_path(path, what, /*allow_empty=*/true);
}

std::string Config::session_prefix() const {
  return layout::session_prefix(namespace_name, session);
}

std::string Config::state_dir() const { return workspace_root + "/" + runner_state_dir; }

std::vector<std::pair<std::string, std::string>> resolved_env(const Config& c) {
  const auto join = [](const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
    return out;
  };
  const std::map<std::string_view, std::string> values = {
      {"SESSION_NAME", c.session},
      {"NAMESPACE", c.namespace_name},
      {"PROJECT_NAME", c.project},
      {"REPOS_JSON", c.repos.empty() ? std::string() : repos_to_json(c.repos)},
      {"ACTIVE_WORKFLOW_GIT_URL", c.workflow ? c.workflow->git_url : ""},
      {"ACTIVE_WORKFLOW_BRANCH", c.workflow ? c.workflow->branch : ""},
      {"ACTIVE_WORKFLOW_PATH", c.workflow ? c.workflow->path : ""},
      {"S3_ENDPOINT", c.s3.endpoint},
      {"S3_BUCKET", c.s3.bucket},
      {"AWS_ACCESS_KEY_ID", c.s3.access_key},
      {"AWS_SECRET_ACCESS_KEY", c.s3.secret_key},
      {"AWS_REGION", c.s3.region},
      {"RUNNER_STATE_DIR", c.runner_state_dir},
      {"WORKSPACE_ROOT", c.workspace_root},
      {"BACKEND_API_URL", c.backend_api_url},
      {"BOT_TOKEN", c.bot_token},
      {"AMBIENT_CP_TOKEN_URL", c.cp_token_url},
      {"AMBIENT_CP_TOKEN_PUBLIC_KEY", c.cp_token_public_key},
      {"SESSION_ID", c.session_id},
      {"SERVICE_ACCOUNT_TOKEN_FILE", c.service_account_token_file},
      {"GITHUB_TOKEN", c.github_token},
      {"GITLAB_TOKEN", c.gitlab_token},
      {"GITHUB_HOSTS", join(c.github_hosts)},
      {"GITLAB_HOSTS", join(c.gitlab_hosts)},
      {"SYNC_INITIAL_DELAY", std::to_string(c.sync_initial_delay.count())},
      {"SYNC_INTERVAL", std::to_string(c.sync_interval.count())},
      {"MAX_SYNC_SIZE", std::to_string(c.max_sync_size)},
      {"REPO_BACKUP_INTERVAL", std::to_string(c.repo_backup_interval)},
      {"SYNC_SHUTDOWN_TIMEOUT", std::to_string(c.sync_shutdown_timeout.count())},
      {"LOG_FORMAT", c.log_format == LogFormat::json ? "json" : "text"},
  };
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(kEnvVars.size());
  for (const auto& var : kEnvVars) {
    const auto it = values.find(var.name);
    // A table entry the loader does not resolve is a bug; the spec tests catch it.
    out.emplace_back(std::string(var.name), it == values.end() ? std::string() : it->second);
  }
  return out;
}

Result<Config> load_config(const EnvSource& env) {
  const Reader r(env);
  Config c;

  auto session = sanitized(r, "SESSION_NAME");
  if (!session) return std::move(session).error();
  c.session = std::move(*session);
  auto ns = sanitized(r, "NAMESPACE");
  if (!ns) return std::move(ns).error();
  c.namespace_name = std::move(*ns);
  c.project = r.get("PROJECT_NAME");
  if (c.project.empty()) c.project = c.namespace_name;

  if (const std::string repos = r.get("REPOS_JSON"); !repos.empty()) {
    auto parsed = parse_repos_json(repos, "REPOS_JSON", &c.warnings);
    if (!parsed) return std::move(parsed).error();
    c.repos = std::move(*parsed);
  }
  auto workflow = load_workflow(r, c.warnings);
  if (!workflow) return std::move(workflow).error();
  c.workflow = std::move(*workflow);

  c.s3 = S3Settings{r.get("S3_ENDPOINT"), r.get("S3_BUCKET"), r.get("AWS_ACCESS_KEY_ID"),
                    r.get("AWS_SECRET_ACCESS_KEY"), r.get("AWS_REGION")};
  if (!c.s3.endpoint.empty()) WS_TRY(require_store_endpoint(c.s3.endpoint, "S3_ENDPOINT"));

  c.workspace_root = r.get("WORKSPACE_ROOT");
  while (c.workspace_root.size() > 1 && c.workspace_root.back() == '/') c.workspace_root.pop_back();
  auto state_dir = normalize_relative_path(r.get("RUNNER_STATE_DIR"), "RUNNER_STATE_DIR");
  if (!state_dir) return std::move(state_dir).error();
  c.runner_state_dir = std::move(*state_dir);

  c.backend_api_url = r.get("BACKEND_API_URL");
  WS_TRY(check_http_url("BACKEND_API_URL", c.backend_api_url));
  c.bot_token = r.get("BOT_TOKEN");
  c.cp_token_url = r.get("AMBIENT_CP_TOKEN_URL");
  WS_TRY(check_http_url("AMBIENT_CP_TOKEN_URL", c.cp_token_url));
  c.cp_token_public_key = r.get("AMBIENT_CP_TOKEN_PUBLIC_KEY");
  c.session_id = r.get("SESSION_ID");
  c.service_account_token_file = r.get("SERVICE_ACCOUNT_TOKEN_FILE");
  c.github_token = r.get("GITHUB_TOKEN");
  c.gitlab_token = r.get("GITLAB_TOKEN");
  c.github_hosts = host_list(r.get("GITHUB_HOSTS"));
  c.gitlab_hosts = host_list(r.get("GITLAB_HOSTS"));

  // A day bounds the sidecar's waits: a longer one is a typo, not a plan.
  constexpr uint64_t kDay = 86400;
  auto delay = r.number("SYNC_INITIAL_DELAY", 0, kDay);
  if (!delay) return std::move(delay).error();
  c.sync_initial_delay = std::chrono::seconds(*delay);
  auto interval = r.number("SYNC_INTERVAL", 1, kDay);
  if (!interval) return std::move(interval).error();
  c.sync_interval = std::chrono::seconds(*interval);
  // The final sync must fit the pod's grace period; an hour bounds a typo.
  auto shutdown = r.number("SYNC_SHUTDOWN_TIMEOUT", 1, 3600);
  if (!shutdown) return std::move(shutdown).error();
  c.sync_shutdown_timeout = std::chrono::seconds(*shutdown);
  auto max_size = r.size("MAX_SYNC_SIZE", 1, kMaxSyncSizeLimit);
  if (!max_size) return std::move(max_size).error();
  c.max_sync_size = *max_size;
  auto backup = r.number("REPO_BACKUP_INTERVAL", 1, 1000000);
  if (!backup) return std::move(backup).error();
  c.repo_backup_interval = static_cast<unsigned>(*backup);

  const std::string format = r.get("LOG_FORMAT");
  if (format == "text") {
    c.log_format = LogFormat::text;
  } else if (format == "json") {
    c.log_format = LogFormat::json;
  } else {
    return Error(Errc::invalid_input, "LOG_FORMAT must be 'text' or 'json', got '" + format + "'");
  }
  return c;
}

}  // namespace ws::config

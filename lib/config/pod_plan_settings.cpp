#include "config/pod_plan_settings.hpp"

#include <set>
#include <utility>
#include <vector>

#include "config/env_table.hpp"
#include "config/json_fields.hpp"
#include "config/sanitize.hpp"

namespace ws::config {
namespace json = boost::json;

namespace {

// Variables the plan derives from the session and the settings' named
// fields; settings.env may not set them behind the plan's back.
const std::set<std::string, std::less<>> kPlannedVars = {
    "SESSION_NAME",        "NAMESPACE",          "PROJECT_NAME",          "SESSION_ID",
    "REPOS_JSON",          "ACTIVE_WORKFLOW_GIT_URL", "ACTIVE_WORKFLOW_BRANCH", "ACTIVE_WORKFLOW_PATH",
    "S3_ENDPOINT",         "S3_BUCKET",          "AWS_ACCESS_KEY_ID",     "AWS_SECRET_ACCESS_KEY",
    "RUNNER_STATE_DIR",    "BACKEND_API_URL",    "AMBIENT_CP_TOKEN_URL",  "AMBIENT_CP_TOKEN_PUBLIC_KEY",
    "BOT_TOKEN",           "GITHUB_HOSTS",       "GITLAB_HOSTS",
};

// Reads string fields into targets, in order; stops at the first error.
Status read_strings(const json::object& obj, std::string_view where,
                    std::initializer_list<std::pair<std::string_view, std::string*>> fields) {
  for (const auto& [key, target] : fields) {
    auto v = jsonf::string_field(obj, key, where);
    if (!v) return std::move(v).error();
    *target = std::move(*v);
  }
  return {};
}

Result<std::map<std::string, SecretRef>> parse_secret_refs(const json::object& obj) {
  std::map<std::string, SecretRef> refs;
  for (const auto& kv : obj) {
    const std::string var(kv.key());
    const std::string where = "settings.secretRefs." + var;
    if (find_env_var(var) == nullptr) {
      return Error(Errc::invalid_input, where + " is not a variable of the session pod (see "
                                                "'ambient-workspace env')");
    }
    if (!kv.value().is_object()) {
      return Error(Errc::invalid_input, where + " must be an object {\"name\", \"key\"}, got " +
                                            jsonf::kind_name(kv.value().kind()));
    }
    SecretRef ref;
    WS_TRY(read_strings(kv.value().get_object(), where, {{"name", &ref.name}, {"key", &ref.key}}));
    if (ref.name.empty() || ref.key.empty()) {
      return Error(Errc::invalid_input, where + " needs both \"name\" and \"key\"");
    }
    refs.emplace(var, std::move(ref));
  }
  return refs;
}

Result<std::map<std::string, std::string>> parse_extra_env(const json::object& obj) {
  std::map<std::string, std::string> env;
  for (const auto& kv : obj) {
    const std::string var(kv.key());
    const std::string where = "settings.env." + var;
    if (find_env_var(var) == nullptr) {
      return Error(Errc::invalid_input, where + " is not a variable of the session pod (see "
                                                "'ambient-workspace env')");
    }
    if (kPlannedVars.count(var) != 0) {
      return Error(Errc::invalid_input,
                   where + " is set by the plan from the session and the settings' own fields");
    }
    if (!kv.value().is_string()) {
      return Error(Errc::invalid_input,
                   where + " must be a string, got " + jsonf::kind_name(kv.value().kind()));
    }
    env.emplace(var, std::string(kv.value().get_string()));
  }
  return env;
}

// A host list: an array of strings or one comma-separated string, each a
// bare host[:port] (a URL or userinfo here is a mistake worth stopping).
Result<std::string> parse_hosts(const json::object& obj, std::string_view key) {
  const std::string where = "settings." + std::string(key);
  const json::value* v = jsonf::find(obj, key);
  if (v == nullptr) return std::string();
  std::vector<std::string> items;
  if (v->is_string()) {
    std::string_view text = v->get_string();
    for (size_t pos = 0; pos <= text.size();) {
      size_t next = text.find(',', pos);
      if (next == std::string_view::npos) next = text.size();
      items.emplace_back(text.substr(pos, next - pos));
      pos = next + 1;
    }
  } else if (v->is_array()) {
    for (const auto& item : v->get_array()) {
      if (!item.is_string()) {
        return Error(Errc::invalid_input, where + " must hold strings, got " + jsonf::kind_name(item.kind()));
      }
      items.emplace_back(item.get_string());
    }
  } else {
    return Error(Errc::invalid_input,
                 where + " must be an array of hosts or a comma-separated string, got " +
                     jsonf::kind_name(v->kind()));
  }
  std::string joined;
  for (auto& host : items) {
    const auto b = host.find_first_not_of(" \t");
    host = b == std::string::npos ? "" : host.substr(b, host.find_last_not_of(" \t") - b + 1);
    if (host.empty()) continue;
    if (host.find_first_of("/@ \t") != std::string::npos) {
      return Error(Errc::invalid_input, where + " must list bare host[:port] names, got '" + host + "'");
    }
    joined += (joined.empty() ? "" : ",") + host;
  }
  return joined;
}

Status parse_storage(const json::object& obj, StorageInputs& s) {
  auto project = jsonf::object_field(obj, "projectStorage", "settings");
  if (!project) return std::move(project).error();
  if (*project != nullptr) {
    WS_TRY(jsonf::reject_unknown(**project, {"storageMode", "S3_ENDPOINT", "S3_BUCKET",
                                             "S3_ACCESS_KEY", "S3_SECRET_KEY"},
                                 "settings.projectStorage"));
    WS_TRY(read_strings(**project, "settings.projectStorage",
                        {{"storageMode", &s.project.mode},
                         {"S3_ENDPOINT", &s.project.endpoint},
                         {"S3_BUCKET", &s.project.bucket},
                         {"S3_ACCESS_KEY", &s.project.access_key},
                         {"S3_SECRET_KEY", &s.project.secret_key}}));
  }
  auto cluster = jsonf::object_field(obj, "clusterStorage", "settings");
  if (!cluster) return std::move(cluster).error();
  if (*cluster != nullptr) {
    WS_TRY(jsonf::reject_unknown(**cluster, {"endpoint", "bucket", "accessKey", "secretKey"},
                                 "settings.clusterStorage"));
    WS_TRY(read_strings(**cluster, "settings.clusterStorage",
                        {{"endpoint", &s.cluster.endpoint},
                         {"bucket", &s.cluster.bucket},
                         {"accessKey", &s.cluster.access_key},
                         {"secretKey", &s.cluster.secret_key}}));
  }
  auto minio = jsonf::object_field(obj, "sharedMinio", "settings");
  if (!minio) return std::move(minio).error();
  if (*minio != nullptr) {
    WS_TRY(jsonf::reject_unknown(**minio, {"accessKey", "secretKey"}, "settings.sharedMinio"));
    WS_TRY(read_strings(**minio, "settings.sharedMinio",
                        {{"accessKey", &s.shared_minio_access_key},
                         {"secretKey", &s.shared_minio_secret_key}}));
  }
  return {};
}
}  // namespace

Result<PodPlanSettings> parse_pod_plan_settings(std::string_view text) {
  PodPlanSettings s;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return s;
  auto doc = jsonf::parse_object(text, "settings");
  if (!doc) return std::move(doc).error();
  const json::object& obj = *doc;
  WS_TRY(jsonf::reject_unknown(obj, {"stateSyncImage", "imagePullPolicy", "backendApiUrl",
                                     "cpTokenUrl", "cpTokenPublicKey", "botToken", "runnerStateDir",
                                     "projectStorage", "clusterStorage", "sharedMinio",
                                     "secretRefs", "env", "githubHosts", "gitlabHosts"},
                               "settings"));
  std::string image, state_dir;
  WS_TRY(read_strings(obj, "settings",
                      {{"stateSyncImage", &image},
                       {"imagePullPolicy", &s.image_pull_policy},
                       {"backendApiUrl", &s.backend_api_url},
                       {"cpTokenUrl", &s.cp_token_url},
                       {"cpTokenPublicKey", &s.cp_token_public_key},
                       {"botToken", &s.bot_token},
                       {"runnerStateDir", &state_dir}}));
  if (!image.empty()) s.state_sync_image = std::move(image);
  if (!s.image_pull_policy.empty() && s.image_pull_policy != "Always" &&
      s.image_pull_policy != "IfNotPresent" && s.image_pull_policy != "Never") {
    return Error(Errc::invalid_input,
                 "settings.imagePullPolicy must be Always, IfNotPresent or Never, got '" +
                     s.image_pull_policy + "'");
  }
  for (const auto& [url, what] : {std::pair{&s.backend_api_url, "settings.backendApiUrl"},
                                  std::pair{&s.cp_token_url, "settings.cpTokenUrl"}}) {
    if (!url->empty()) WS_TRY(require_http_url(*url, what));
  }
  if (!state_dir.empty()) {
    auto clean = normalize_relative_path(state_dir, "settings.runnerStateDir");
    if (!clean) return std::move(clean).error();
    s.runner_state_dir = std::move(*clean);
  }
  WS_TRY(parse_storage(obj, s.storage));
  auto github_hosts = parse_hosts(obj, "githubHosts");
  if (!github_hosts) return std::move(github_hosts).error();
  s.github_hosts = std::move(*github_hosts);
  auto gitlab_hosts = parse_hosts(obj, "gitlabHosts");
  if (!gitlab_hosts) return std::move(gitlab_hosts).error();
  s.gitlab_hosts = std::move(*gitlab_hosts);

  auto refs = jsonf::object_field(obj, "secretRefs", "settings");
  if (!refs) return std::move(refs).error();
  if (*refs != nullptr) {
    auto parsed = parse_secret_refs(**refs);
    if (!parsed) return std::move(parsed).error();
    s.secret_refs = std::move(*parsed);
  }
  s.storage.access_key_from_secret = s.secret_refs.count("AWS_ACCESS_KEY_ID") != 0;
  s.storage.secret_key_from_secret = s.secret_refs.count("AWS_SECRET_ACCESS_KEY") != 0;

  auto env = jsonf::object_field(obj, "env", "settings");
  if (!env) return std::move(env).error();
  if (*env != nullptr) {
    auto parsed = parse_extra_env(**env);
    if (!parsed) return std::move(parsed).error();
    s.env = std::move(*parsed);
  }
  return s;
}
}  // namespace ws::config

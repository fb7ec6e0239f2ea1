#include "spec/pod_plan.hpp"

#include <set>
#include <utility>
#include <vector>

#include "spec/config.hpp"
#include "spec/env_table.hpp"
#include "spec/json_fields.hpp"
#include "spec/layout.hpp"
#include "spec/sanitize.hpp"

namespace ws::spec {
namespace json = boost::json;

namespace {

// Variables the plan derives from the session and the settings' named
// fields; settings.env may not set them behind the plan's back.
const std::set<std::string, std::less<>> kPlannedVars = {
    "SESSION_NAME",        "NAMESPACE",          "PROJECT_NAME",          "SESSION_ID",
    "REPOS_JSON",          "ACTIVE_WORKFLOW_GIT_URL", "ACTIVE_WORKFLOW_BRANCH", "ACTIVE_WORKFLOW_PATH",
    "S3_ENDPOINT",         "S3_BUCKET",          "AWS_ACCESS_KEY_ID",     "AWS_SECRET_ACCESS_KEY",
    "RUNNER_STATE_DIR",    "BACKEND_API_URL",    "AMBIENT_CP_TOKEN_URL",  "AMBIENT_CP_TOKEN_PUBLIC_KEY",
    "BOT_TOKEN",
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

// One container's env, in a fixed order, with secret references applied.
class EnvBuilder {
 public:
  EnvBuilder(EnvReader container, const std::map<std::string, SecretRef>& refs)
      : container_(container), refs_(refs) {}

  void add(std::string_view name, std::string_view value) {
    const EnvVar* var = find_env_var(name);
    if (var == nullptr || !reads(var->read_by, container_)) return;
    if (value.empty() && refs_.count(std::string(name)) == 0) return;
    for (const auto& [n, v] : entries_) {
      if (n == name) return;
    }
    entries_.emplace_back(std::string(name), std::string(value));
  }

  json::array build() {
    for (const auto& [name, ref] : refs_) add(name, "");
    json::array out;
    for (const auto& [name, value] : entries_) {
      json::object e;
      e["name"] = name;
      if (auto it = refs_.find(name); it != refs_.end()) {
        e["valueFrom"] = json::object{
            {"secretKeyRef", json::object{{"name", it->second.name}, {"key", it->second.key}}}};
      } else {
        e["value"] = value;
      }
      out.push_back(std::move(e));
    }
    return out;
  }

 private:
  EnvReader container_;
  const std::map<std::string, SecretRef>& refs_;
  std::vector<std::pair<std::string, std::string>> entries_;
};

json::array pod_env(EnvReader container, const SessionSpec& session,
                    const PodPlanSettings& settings, const ResolvedStorage& storage) {
  EnvBuilder env(container, settings.secret_refs);
  env.add("SESSION_NAME", session.name);
  env.add("NAMESPACE", session.namespace_name);
  env.add("PROJECT_NAME", session.project);
  env.add("SESSION_ID", session.id);
  if (!session.repos.empty()) env.add("REPOS_JSON", repos_to_json(session.repos));
  if (session.workflow) {
    env.add("ACTIVE_WORKFLOW_GIT_URL", session.workflow->git_url);
    env.add("ACTIVE_WORKFLOW_BRANCH", session.workflow->branch);
    env.add("ACTIVE_WORKFLOW_PATH", session.workflow->path);
  }
  if (storage.enabled()) {
    env.add("S3_ENDPOINT", storage.endpoint);
    env.add("S3_BUCKET", storage.bucket);
    env.add("AWS_ACCESS_KEY_ID", storage.access_key);
    env.add("AWS_SECRET_ACCESS_KEY", storage.secret_key);
  }
  env.add("RUNNER_STATE_DIR", settings.runner_state_dir);
  env.add("BACKEND_API_URL", settings.backend_api_url);
  env.add("AMBIENT_CP_TOKEN_URL", settings.cp_token_url);
  env.add("AMBIENT_CP_TOKEN_PUBLIC_KEY", settings.cp_token_public_key);
  env.add("BOT_TOKEN", settings.bot_token);
  for (const auto& [name, value] : settings.env) env.add(name, value);
  return env.build();
}

// The pod reads its env with load_config; a plan whose env the pod would
// refuse is refused here, where the CP can still report it. Values from
// secret references are unknown here and left out.
Status check_pod_accepts(const json::array& env, std::string_view container) {
  EnvSource source;
  for (const auto& entry : env) {
    const auto& e = entry.as_object();
    if (const auto* value = e.if_contains("value")) {
      source.set(std::string(e.at("name").as_string()), std::string(value->as_string()));
    }
  }
  auto config = load_config(source);
  if (!config) {
    return std::move(config).error().context("the " + std::string(container) +
                                             " container would refuse its env");
  }
  return {};
}

json::object workspace_mount() {
  return {{"name", kWorkspaceVolume}, {"mountPath", kWorkspaceMountPath}};
}

json::object security_context(bool as_root) {
  json::object sc;
  sc["allowPrivilegeEscalation"] = false;
  sc["capabilities"] = json::object{{"drop", json::array{"ALL"}}};
  sc["readOnlyRootFilesystem"] = false;
  if (as_root) {
    sc["runAsUser"] = 0;
  } else {
    sc["runAsNonRoot"] = true;
    sc["runAsUser"] = static_cast<int64_t>(layout::kOwnerUid);
  }
  return sc;
}

json::object container(std::string_view name, std::string_view subcommand,
                       const PodPlanSettings& settings, json::array env, json::array mounts,
                       bool as_root) {
  json::object c;
  c["name"] = name;
  c["image"] = settings.state_sync_image;
  if (!settings.image_pull_policy.empty()) c["imagePullPolicy"] = settings.image_pull_policy;
  c["command"] = json::array{"ambient-workspace", subcommand};
  c["env"] = std::move(env);
  c["volumeMounts"] = std::move(mounts);
  c["securityContext"] = security_context(as_root);
  return c;
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
                                     "secretRefs", "env"},
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

Result<PodPlan> make_pod_plan(const SessionSpec& session, const PodPlanSettings& settings) {
  auto storage = resolve_storage(settings.storage);
  if (!storage) return std::move(storage).error();
  PodPlan plan;
  plan.storage = std::move(*storage);

  // The workflow is cloned by hydrate too, so it needs the init container
  // just as repos do.
  const bool clones = !session.repos.empty() || session.workflow.has_value();
  if (clones || plan.storage.enabled()) {
    auto env = pod_env(EnvReader::hydrate, session, settings, plan.storage);
    WS_TRY(check_pod_accepts(env, kInitContainerName));
    plan.init_hydrate = container(kInitContainerName, "hydrate", settings, std::move(env),
                                  json::array{workspace_mount()}, /*as_root=*/true);
  }
  if (plan.storage.enabled()) {
    json::object state_mount{
        {"name", kWorkspaceVolume},
        {"mountPath", std::string(kSidecarStateMountRoot) + "/" + settings.runner_state_dir},
        {"subPath", settings.runner_state_dir}};
    auto env = pod_env(EnvReader::sync, session, settings, plan.storage);
    WS_TRY(check_pod_accepts(env, kSidecarName));
    plan.state_sync = container(kSidecarName, "sync", settings, std::move(env),
                                json::array{workspace_mount(), std::move(state_mount)},
                                /*as_root=*/false);
  }
  return plan;
}

std::string pod_plan_to_json(const PodPlan& plan) {
  json::object out;
  out["initHydrate"] = plan.init_hydrate.has_value();
  out["stateSync"] = plan.state_sync.has_value();
  json::object storage{{"source", storage_source_name(plan.storage.source)}};
  if (plan.storage.enabled()) {
    storage["endpoint"] = plan.storage.endpoint;
    storage["bucket"] = plan.storage.bucket;
  }
  out["storage"] = std::move(storage);
  json::array init, containers;
  if (plan.init_hydrate) init.push_back(*plan.init_hydrate);
  if (plan.state_sync) containers.push_back(*plan.state_sync);
  out["initContainers"] = std::move(init);
  out["containers"] = std::move(containers);
  out["volumes"] = json::array{json::object{{"name", kWorkspaceVolume}, {"emptyDir", json::object{}}}};
  out["workspaceMount"] = workspace_mount();
  return json::serialize(out);
}

Result<std::string> pod_plan_json(std::string_view session_json, std::string_view settings_json) {
  auto session = parse_session(session_json);
  if (!session) return std::move(session).error();
  auto settings = parse_pod_plan_settings(settings_json);
  if (!settings) return std::move(settings).error();
  auto plan = make_pod_plan(*session, *settings);
  if (!plan) return std::move(plan).error();
  return pod_plan_to_json(*plan);
}

}  // namespace ws::spec

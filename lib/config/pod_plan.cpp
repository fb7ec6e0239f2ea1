#include "config/pod_plan.hpp"

#include <utility>
#include <vector>

#include "config/config.hpp"
#include "config/env_table.hpp"

namespace ws::config {
namespace json = boost::json;

namespace {

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
  if (!session.repos.empty()) env.add("REPOS_JSON", session.repos_json);
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
  env.add("GITHUB_HOSTS", settings.github_hosts);
  env.add("GITLAB_HOSTS", settings.gitlab_hosts);
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

// What OpenShift's restricted-v2 SCC and the Pod Security "restricted"
// profile admit: no privilege, no capability, the runtime's seccomp
// profile, and no fixed runAsUser (restricted-v2 assigns the UID from the
// namespace's range and rejects any other). The sidecar also says
// runAsNonRoot; init-hydrate does not, so that on a cluster that lets it
// run as the image's root it can give the workspace to 1001:0, and where
// it runs non-root it skips that (behaviour §2).
json::object security_context(bool non_root) {
  json::object sc;
  sc["allowPrivilegeEscalation"] = false;
  sc["capabilities"] = json::object{{"drop", json::array{"ALL"}}};
  sc["readOnlyRootFilesystem"] = false;
  sc["seccompProfile"] = json::object{{"type", "RuntimeDefault"}};
  if (non_root) sc["runAsNonRoot"] = true;
  return sc;
}

json::object container(std::string_view name, std::string_view subcommand,
                       const PodPlanSettings& settings, json::array env, json::array mounts,
                       bool non_root) {
  json::object c;
  c["name"] = name;
  c["image"] = settings.state_sync_image;
  if (!settings.image_pull_policy.empty()) c["imagePullPolicy"] = settings.image_pull_policy;
  c["command"] = json::array{"ambient-workspace", subcommand};
  c["env"] = std::move(env);
  c["volumeMounts"] = std::move(mounts);
  c["securityContext"] = security_context(non_root);
  return c;
}

// The operator's S3Available condition, so the CP can put it on the session.
json::object s3_available(const ResolvedStorage& storage) {
  json::object c{{"type", "S3Available"}};
  if (storage.enabled()) {
    c["status"] = "True";
    c["reason"] = "Configured";
    c["message"] = std::string("session state persists to the ") +
                   storage_source_name(storage.source) + " store, bucket " + storage.bucket;
  } else {
    c["status"] = "False";
    c["reason"] = storage.reason;
    c["message"] = storage.message + ": the session runs without persistence";
  }
  return c;
}

}  // namespace

Result<PodPlan> make_pod_plan(const SessionSpec& session, const PodPlanSettings& settings) {
  PodPlan plan;
  plan.storage = resolve_storage(settings.storage);
  plan.warnings = session.warnings;
  plan.warnings.insert(plan.warnings.end(), plan.storage.warnings.begin(), plan.storage.warnings.end());

  // The workflow is cloned by hydrate too, so it needs the init container
  // just as repos do.
  const bool clones = !session.repos.empty() || session.workflow.has_value();
  if (clones || plan.storage.enabled()) {
    auto env = pod_env(EnvReader::hydrate, session, settings, plan.storage);
    WS_TRY(check_pod_accepts(env, kInitContainerName));
    plan.init_hydrate = container(kInitContainerName, "hydrate", settings, std::move(env),
                                  json::array{workspace_mount()}, /*non_root=*/false);
    // Losses are warned about and recorded in metadata.json; an init
    // container that exits non-zero would keep the pod in Init for good.
    (*plan.init_hydrate)["command"].as_array().emplace_back("--allow-losses");
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
                                /*non_root=*/true);
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
  out["conditions"] = json::array{s3_available(plan.storage)};
  json::array init, containers;
  if (plan.init_hydrate) init.push_back(*plan.init_hydrate);
  if (plan.state_sync) containers.push_back(*plan.state_sync);
  out["initContainers"] = std::move(init);
  out["containers"] = std::move(containers);
  out["volumes"] = json::array{json::object{{"name", kWorkspaceVolume}, {"emptyDir", json::object{}}}};
  out["workspaceMount"] = workspace_mount();
  json::array warnings;
  for (const auto& w : plan.warnings) {
    warnings.push_back(json::object{{"event", w.event}, {"message", w.message}});
  }
  out["warnings"] = std::move(warnings);
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

}  // namespace ws::config
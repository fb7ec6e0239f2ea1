// The control plane's side (behaviour §6): from a session and the CP's settings,
// which containers the session pod needs and each one as Kubernetes
// container JSON, so the Go CP builds its pod from the same rules the pod
// itself runs on.
//
// Settings: pod_plan_settings.hpp.
// Plan JSON:
//   {"initHydrate": bool, "stateSync": bool,
//    "storage": {"source": "none"|"custom"|"cluster"|"shared-minio", "endpoint"?, "bucket"?},
//    "conditions": [{"type": "S3Available", "status": "True"|"False", "reason", "message"}],
//    "initContainers": [container...], "containers": [container...],
//    "volumes": [{"name": "workspace", "emptyDir": {}}],
//    "workspaceMount": {"name": "workspace", "mountPath": "/workspace"},
//    "warnings": [{"event", "message"}...]}   odd input accepted (behaviour §1)
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <boost/json.hpp>

#include "common/error.hpp"
#include "config/pod_plan_settings.hpp"
#include "config/session.hpp"
#include "config/storage.hpp"

namespace ws::config {

inline constexpr std::string_view kInitContainerName = "init-hydrate";
inline constexpr std::string_view kSidecarName = "state-sync";
inline constexpr std::string_view kWorkspaceVolume = "workspace";
inline constexpr std::string_view kWorkspaceMountPath = "/workspace";
inline constexpr std::string_view kSidecarStateMountRoot = "/app";

struct PodPlan {
  ResolvedStorage storage;
  std::optional<boost::json::object> init_hydrate;  // the init container, when needed
  std::optional<boost::json::object> state_sync;    // the sidecar, when needed
  InputWarnings warnings;  // odd session input and storage fallbacks, for the CP to show
};

// The init container is needed when the session has repos or a workflow to
// clone, or storage is enabled; the sidecar when storage is enabled.
// Storage settings never make this fail (storage.hpp): incomplete ones give
// a plan without persistence and an S3Available=False condition whose
// reason is one of storage.hpp's kStorage* names.
Result<PodPlan> make_pod_plan(const SessionSpec& session, const PodPlanSettings& settings);

// The plan as JSON (layout above).
std::string pod_plan_to_json(const PodPlan& plan);

// JSON in, JSON out: parse_session + parse_pod_plan_settings + make_pod_plan.
// An empty settings string means "{}".
Result<std::string> pod_plan_json(std::string_view session_json, std::string_view settings_json);

}  // namespace ws::config

// A CP agentic session as the pod plan needs it: identity, repos (RepoURL /
// Repos precedence of repo_spec.hpp) and the active workflow, read from the
// session's JSON. Keys match case-insensitively (json_fields.hpp); fields
// the plan does not need are ignored so the CP can pass its whole object.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "config/config.hpp"
#include "config/repo_spec.hpp"

namespace ws::config {

struct SessionSpec {
  std::string name;            // "name" (required), the pod's SESSION_NAME
  std::string namespace_name;  // "namespace" (required)
  std::string project;         // "project", default: namespace
  std::string id;              // "id", the pod's SESSION_ID; may be empty
  std::vector<RepoSpec> repos;            // "RepoURL" + "Repos" (a JSON string or an array)
  // The pod's REPOS_JSON: Repos verbatim (validated above) when it wins, so
  // fields the library does not read still reach the runner; else RepoURL
  // as [{"url": ...}]; "" for no repos.
  std::string repos_json;
  std::optional<WorkflowSpec> workflow;   // "workflow": {"gitUrl", "branch"?, "path"?}
  InputWarnings warnings;                 // odd values accepted (behaviour §1 "Input policy")
};

// Errors (invalid_input) name the field: "session.workflow.gitUrl must be a
// string, got a number".
Result<SessionSpec> parse_session(std::string_view json);

}  // namespace ws::config

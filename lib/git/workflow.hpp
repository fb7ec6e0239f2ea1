// Cloning the session's workflow (behaviour §3 step 5): clone to a temporary
// place, then keep only ACTIVE_WORKFLOW_PATH (or the whole repo, with a
// warning, when that sub-directory is missing) as workflows/<name>.
#pragma once

#include <filesystem>
#include <string>

#include "auth/credential_provider.hpp"
#include "common/error.hpp"
#include "common/log.hpp"

namespace ws::git {

struct WorkflowCloneOptions {
  std::string url;
  std::string branch = "main";
  std::string subpath;                   // ACTIVE_WORKFLOW_PATH; empty: the whole repo
  std::filesystem::path workflows_dir;   // <workspace>/workflows
  std::string name;                      // directory name under workflows_dir
  const auth::CredentialProvider* credentials = nullptr;  // may be null; borrowed
};

struct WorkflowCloneResult {
  std::filesystem::path path;  // workflows_dir / name
  bool whole_repo = false;     // true when subpath was empty or missing
};

// Errors as clone_repo, plus unsafe_path when `subpath` (or `name`) would
// leave the clone (absolute, "..", or through a symlink) and conflict when
// workflows/<name> exists and is not empty.
Result<WorkflowCloneResult> clone_workflow(const WorkflowCloneOptions& options, const Logger& log);

}  // namespace ws::git

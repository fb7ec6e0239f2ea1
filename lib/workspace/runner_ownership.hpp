// Giving what hydrate wrote to the runner (behaviour §2). The init container runs
// as root, the runner and the sidecar as UID 1001 GID 0: they must be able
// to write everything, and git refuses a repository owned by another user.
// So, as the scripts' `chown -R 1001:0` after each phase, everything goes
// to 1001:0 recursively: lchown (a link itself, never its target, and
// never a directory behind a link), and no mode is touched. Not running as
// root (OpenShift assigns an arbitrary UID, which then owns all of it),
// there is nothing to give and nothing is tried.
#pragma once

#include <filesystem>

#include "common/log.hpp"
#include "config/config.hpp"

namespace ws::workspace {

// The layout directories with everything in them (repos/, artifacts/,
// file-uploads/, the state directory from its first segment, workflows/)
// and the engine's own state directory `cache`. One warning when some
// entries could not be changed; one info line when not root.
void give_workspace_to_runner(const config::Config& cfg, const std::filesystem::path& cache,
                              const Logger& log);

}  // namespace ws::workspace

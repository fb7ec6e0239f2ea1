#include "workspace/runner_ownership.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>
#include <vector>

#include "config/layout.hpp"

namespace ws::workspace {
namespace fs = std::filesystem;
namespace L = config::layout;

namespace {

struct ChownTally {
  uint64_t changed = 0;
  uint64_t failed = 0;
  std::string first_failure;

  void lchown(const fs::path& p) {
    if (::lchown(p.c_str(), L::kOwnerUid, L::kOwnerGid) == 0) {
      ++changed;
      return;
    }
    if (failed++ == 0) first_failure = p.string() + ": " + std::strerror(errno);
  }
};

// recursive_directory_iterator does not follow directory links by default,
// so a link to /etc inside the tree is changed itself, not /etc.
void give_tree(const fs::path& dir, ChownTally& tally) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(dir, ec))) return;
  tally.lchown(dir);
  if (!fs::is_directory(fs::symlink_status(dir, ec))) return;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    tally.lchown(it->path());
  }
  if (ec && tally.failed++ == 0) tally.first_failure = dir.string() + ": " + ec.message();
}

}  // namespace

void give_workspace_to_runner(const config::Config& cfg, const fs::path& cache, const Logger& log) {
  if (::geteuid() != 0) {
    log.info("hydrate.ownership", "not running as root (UID " + std::to_string(::geteuid()) +
                                      "): the files keep this user as their owner");
    return;
  }
  const fs::path root(cfg.workspace_root);
  const fs::path state_top = *fs::path(cfg.runner_state_dir).begin();
  const std::vector<fs::path> trees = {root / L::kReposDir, root / L::kArtifactsDir, root / L::kFileUploadsDir,
                                       root / state_top,    root / L::kWorkflowsDir,  cache};
  ChownTally tally;
  for (const auto& t : trees) give_tree(t, tally);
  if (tally.failed > 0) {
    log.warn("hydrate.chown_failed", "could not give " + std::to_string(tally.failed) + " path(s) to " +
                                         std::to_string(L::kOwnerUid) + ":" + std::to_string(L::kOwnerGid) +
                                         ", first " + tally.first_failure +
                                         "; the runner may not be able to write them");
    return;
  }
  log.info("hydrate.ownership", "gave " + std::to_string(tally.changed) + " path(s) to " +
                                    std::to_string(L::kOwnerUid) + ":" + std::to_string(L::kOwnerGid));
}

}  // namespace ws::workspace

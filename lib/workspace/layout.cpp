#include "workspace/layout.hpp"

#include "config/layout.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>
#include <vector>

namespace ws::workspace {
namespace fs = std::filesystem;

namespace {

struct DirSpec {
  fs::path path;
  std::optional<fs::perms> mode;  // the state directories keep the umask's mode
};

}  // namespace

Status create_layout(const LayoutOptions& opts, const Logger& log) {
  if (opts.root.empty()) return Error(Errc::invalid_input, "workspace root is empty");
  namespace L = config::layout;
  auto perms = [](mode_t m) { return static_cast<fs::perms>(m); };
  std::vector<DirSpec> dirs = {
      {opts.root / L::kReposDir, perms(L::kReposMode)},
      {opts.root / L::kArtifactsDir, perms(L::kArtifactsMode)},
      {opts.root / L::kFileUploadsDir, perms(L::kFileUploadsMode)},
      {opts.root / opts.state_dir, std::nullopt},
  };
  if (opts.state_dir == L::kClaudeStateDir) {
    dirs.push_back({opts.root / opts.state_dir / L::kDebugDir, std::nullopt});
  }

  const bool as_root = opts.chown_when_root && ::geteuid() == 0;
  for (const auto& d : dirs) {
    std::error_code ec;
    fs::create_directories(d.path, ec);
    if (ec) return Error(Errc::io, "creating " + d.path.string() + ": " + ec.message());
    if (d.mode) fs::permissions(d.path, *d.mode, fs::perm_options::replace, ec);
    if (ec) return Error(Errc::io, "setting the mode of " + d.path.string() + ": " + ec.message());
    if (as_root && ::chown(d.path.c_str(), L::kOwnerUid, L::kOwnerGid) != 0) {
      log.warn("layout.chown_failed",
               "could not chown " + d.path.string() + " to 1001:0: " + std::strerror(errno));
    }
  }
  log.info("layout.ready", "workspace layout ready at " + opts.root.string());
  return {};
}

}  // namespace ws::workspace

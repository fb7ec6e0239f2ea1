#include "config/layout.hpp"

namespace ws::config::layout {

std::string session_prefix(std::string_view namespace_name, std::string_view session) {
  std::string out(namespace_name);
  out += '/';
  out += session;
  out += '/';
  return out;
}

std::array<std::string, 3> synced_trees(std::string_view runner_state_dir) {
  return {std::string(runner_state_dir), std::string(kArtifactsDir), std::string(kFileUploadsDir)};
}

std::string repo_state_prefix(std::string_view session_prefix, std::string_view repo) {
  std::string out(session_prefix);
  out += kRepoStateDir;
  out += '/';
  out += repo;
  out += '/';
  return out;
}

}  // namespace ws::config::layout

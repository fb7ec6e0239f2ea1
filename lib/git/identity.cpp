#include "git/identity.hpp"

#include "git/libgit2.hpp"

namespace ws::git {

Status write_identity(git_repository* repo, const Identity& identity) {
  git_config* raw = nullptr;
  if (git_repository_config(&raw, repo) < 0) return git_failure("opening the repository config");
  ConfigPtr config(raw);
  git_config* local_raw = nullptr;
  if (git_config_open_level(&local_raw, config.get(), GIT_CONFIG_LEVEL_LOCAL) < 0) {
    return git_failure("opening the repository's local config");
  }
  ConfigPtr local(local_raw);
  if (git_config_set_string(local.get(), "user.name", identity.name.c_str()) < 0 ||
      git_config_set_string(local.get(), "user.email", identity.email.c_str()) < 0) {
    return git_failure("setting the git identity");
  }
  return {};
}

}  // namespace ws::git

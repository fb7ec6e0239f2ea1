#include "workspace/git_access.hpp"

#include "auth/session_credentials.hpp"

namespace ws::workspace {

GitAccess resolve_git_access(const config::Config& cfg, const Logger& log) {
  auto creds = auth::resolve_session_credentials(cfg, auth::AuthOptions{}, log);
  return GitAccess{creds.provider};
}

}  // namespace ws::workspace

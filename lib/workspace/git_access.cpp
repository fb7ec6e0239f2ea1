#include "workspace/git_access.hpp"

#include "auth/session_credentials.hpp"

namespace ws::workspace {

GitAccess resolve_git_access(const spec::Config& cfg, const Logger& log) {
  auto creds = auth::resolve_session_credentials(cfg, auth::AuthOptions{}, log);
  GitAccess access;
  access.credentials = creds.provider;
  if (!creds.identity.name.empty()) access.identity.name = creds.identity.name;
  if (!creds.identity.email.empty()) access.identity.email = creds.identity.email;
  return access;
}

}  // namespace ws::workspace

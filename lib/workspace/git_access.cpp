#include "workspace/git_access.hpp"

namespace ws::workspace {

GitAccess resolve_git_access(const spec::Config&, const Logger&) { return GitAccess{}; }

}  // namespace ws::workspace

// The struct behind the opaque ws_credentials handle, shared with the C ABI
// areas that clone (git, workspace).
#pragma once

#include "auth/session_credentials.hpp"

struct ws_credentials {
  ws::auth::SessionCredentials resolved;
};

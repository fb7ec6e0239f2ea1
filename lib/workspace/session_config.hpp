// Loading the session's Config for hydrate and sync. The spec layer's
// loader checks S3_ENDPOINT as an http(s) URL; the store layer also accepts
// file:///abs/dir (the local-directory store: the demo, tests, single-node
// setups), so such an endpoint is passed through here unchanged.
#pragma once

#include "common/error.hpp"
#include "spec/config.hpp"
#include "spec/env_source.hpp"

namespace ws::workspace {

Result<spec::Config> load_session_config(const spec::EnvSource& env);

}  // namespace ws::workspace

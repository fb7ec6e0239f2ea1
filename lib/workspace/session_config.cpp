#include "workspace/session_config.hpp"

#include <string>

namespace ws::workspace {

Result<spec::Config> load_session_config(const spec::EnvSource& env) {
  const auto endpoint = env.get("S3_ENDPOINT");
  if (!endpoint || endpoint->rfind("file://", 0) != 0) return spec::load_config(env);
  spec::EnvSource checked = env;
  checked.set("S3_ENDPOINT", "http://local-directory-store.invalid");
  auto cfg = spec::load_config(checked);
  if (!cfg) return cfg;
  cfg->s3.endpoint = *endpoint;
  return cfg;
}

}  // namespace ws::workspace

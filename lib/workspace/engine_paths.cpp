#include "workspace/engine_paths.hpp"

#include <system_error>

namespace ws::workspace {
namespace fs = std::filesystem;

fs::path cache_dir(const config::Config& cfg, const EngineOptions& opts) {
  if (!opts.cache_dir.empty()) return opts.cache_dir;
  return fs::path(cfg.workspace_root) / ".libworkspace";
}

Result<std::shared_ptr<store::Store>> open_configured_store(const config::Config& cfg,
                                                            const EngineOptions& opts,
                                                            const Logger& log) {
  if (opts.store) return opts.store;
  store::StoreConfig sc;
  sc.endpoint = cfg.s3.endpoint;
  sc.bucket = cfg.s3.bucket;
  sc.access_key = cfg.s3.access_key;
  sc.secret_key = cfg.s3.secret_key;
  if (!cfg.s3.region.empty()) sc.region = cfg.s3.region;
  auto s = store::open_store(sc, log);
  if (!s) return std::move(s).error();
  return std::shared_ptr<store::Store>(std::move(*s));
}

}  // namespace ws::workspace

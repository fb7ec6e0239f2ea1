#include "workspace/engine_paths.hpp"

#include <unistd.h>

#include <system_error>

#include "spec/layout.hpp"

namespace ws::workspace {
namespace fs = std::filesystem;

fs::path cache_dir(const spec::Config& cfg, const EngineOptions& opts) {
  if (!opts.cache_dir.empty()) return opts.cache_dir;
  return fs::path(cfg.workspace_root) / ".libworkspace";
}

Result<std::shared_ptr<store::Store>> open_configured_store(const spec::Config& cfg,
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

void give_to_runner(const fs::path& dir, const Logger& log) {
  if (::geteuid() != 0) return;
  namespace L = spec::layout;
  std::error_code ec;
  bool failed = ::lchown(dir.c_str(), L::kOwnerUid, L::kOwnerGid) != 0;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    failed |= ::lchown(it->path().c_str(), L::kOwnerUid, L::kOwnerGid) != 0;
  }
  if (failed || ec) log.warn("layout.chown_failed", "could not hand " + dir.string() + " to 1001:0");
}

}  // namespace ws::workspace

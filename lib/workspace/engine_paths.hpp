// Small shared helpers of hydrate and the sync engine: where the engine's
// cache lives and how the store is opened from a Config.
#pragma once

#include <filesystem>
#include <memory>

#include "common/error.hpp"
#include "common/log.hpp"
#include "config/config.hpp"
#include "store/store.hpp"
#include "workspace/workspace.hpp"

namespace ws::workspace {

std::filesystem::path cache_dir(const config::Config& cfg, const EngineOptions& opts);

// The injected store, or one opened from cfg.s3.
Result<std::shared_ptr<store::Store>> open_configured_store(const config::Config& cfg,
                                                            const EngineOptions& opts,
                                                            const Logger& log);

}  // namespace ws::workspace

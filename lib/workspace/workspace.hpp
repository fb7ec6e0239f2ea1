// The workspace layer: what the init container and the sidecar do (behaviour §3,
// §5), on top of spec (Config), store, sync and git. The C API, the Python
// bindings and the CLI are thin faces over these calls.
//
//  - hydrate():   layout, bucket check, state trees down, clones, workflow,
//                 repo-state restore. Per-repo problems are warnings; a
//                 broken store is an error (the pod must not start).
//  - SyncEngine:  one sync cycle at a time (checkpoint SQLite, back up repos,
//                 mirror the three trees, write metadata.json), keeping its
//                 caches between cycles.
//  - run_sidecar(): the sidecar loop over a SyncEngine until a StopToken.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "common/cancel.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "config/config.hpp"
#include "workspace/stop_token.hpp"

namespace ws::store {
class Store;
}

namespace ws::workspace {

// Knobs beyond the session's Config; the defaults are what the pod uses.
struct EngineOptions {
  // Hash cache, sync manifests and the last repo backups; empty means
  // "<workspace root>/.libworkspace" (outside the synced trees).
  std::filesystem::path cache_dir;
  int parallel = 8;  // concurrent transfers
  // Overrides the Config's S3 settings' store (tests inject a failing one).
  std::shared_ptr<store::Store> store;
  // Stops hydrate (and a sync once): once requested, no further file, repo
  // or clone starts, the transfers under way are aborted, and the call
  // fails with Errc::cancelled. May be null; the sidecar has its StopToken.
  const CancelToken* cancel = nullptr;
};

struct HydrateReport {
  uint64_t files_downloaded = 0;
  uint64_t bytes_downloaded = 0;
  int repos_cloned = 0;
  int repos_failed = 0;         // clone failures (warnings)
  int repos_restored = 0;       // repo-state applied
  int restore_failed = 0;       // repo-state that could not be applied (warnings)
  int unsafe_keys = 0;          // refused keys (reported)
  // Objects of the state trees that still failed after the retries: warned
  // about, kept in the store, recorded so the sidecar does not delete them.
  int objects_unrestored = 0;
  // Repos whose saved state no longer matched its manifest: what was there
  // was restored, the rest is lost (behaviour §3 step 6).
  std::vector<std::string> damaged_repo_states;
  bool workflow_ready = false;
  bool persistence = false;

  // Hydrate finished, but something saved or named was not brought back:
  // a clone, an object, a repo's state (each warned about by name).
  bool restored_with_losses() const {
    return repos_failed > 0 || restore_failed > 0 || objects_unrestored > 0 || !damaged_repo_states.empty();
  }
};

// Errors: invalid_input (config), io (layout, the engine's state dir), the
// bucket check's network/auth/not_found/store, and a state tree that could
// not be listed. With persistence off the repos and the workflow are still
// cloned. When run as root, everything written is given to 1001:0.
Result<HydrateReport> hydrate(const config::Config& cfg, const EngineOptions& opts, const Logger& log);

struct CycleOptions {
  bool trees = true;         // checkpoint + mirror of the three trees + metadata.json
  bool repos = true;         // back up the repos under repos/ (when the schedule says so)
  // Once requested, the cycle stops: no new upload, no next repo, the
  // transfers under way aborted (unless let_transfers_end), and it fails
  // with Errc::cancelled. What was stored stays consistent: each file old
  // or new, nothing deleted. May be null.
  const CancelToken* cancel = nullptr;
  bool let_transfers_end = false;  // the sidecar's stop: a half-sent file is not wasted
};

struct CycleReport {
  uint64_t files_uploaded = 0;
  uint64_t files_unchanged = 0;
  uint64_t files_deleted = 0;
  uint64_t files_skipped = 0;   // too large, broken links
  uint64_t bytes_total = 0;
  uint64_t bytes_uploaded = 0;
  int repos_backed_up = 0;
  int repos_unchanged = 0;
  int repos_failed = 0;
  int paths_synced = 0;
  std::chrono::milliseconds duration{0};
};

class SyncEngine {
 public:
  // Errc::invalid_input when persistence is off or the store config is bad.
  static Result<std::unique_ptr<SyncEngine>> open(const config::Config& cfg, const EngineOptions& opts,
                                                  const Logger& log);
  ~SyncEngine();

  // One cycle; logs a summary line. `backup_repos` asks for the repo backup
  // (the sidecar's every-Nth-cycle schedule). Fails when any part failed
  // (the rest of the cycle still ran).
  Result<CycleReport> run_cycle(bool backup_repos, const CycleOptions& what = {});

 private:
  struct Impl;
  explicit SyncEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The sidecar: waits cfg.sync_initial_delay, then cycles every
// cfg.sync_interval until `stop`, then one final cycle with a repo backup.
// A stop cancels a running cycle at its next transfer boundary, so the
// final one starts at once; it gets cfg.sync_shutdown_timeout, after which
// it is cancelled too and what it did not save is reported.
// With persistence off it idles until `stop`. `what` limits every cycle (as
// `sync --state-only/--repos-only`). Returns an error only when the final
// cycle failed (the caller's exit code).
Status run_sidecar(const config::Config& cfg, const EngineOptions& opts, StopToken& stop,
                   const Logger& log, const CycleOptions& what = {});

}  // namespace ws::workspace

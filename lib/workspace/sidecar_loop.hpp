// The sidecar's schedule (behaviour §5), independent of what a cycle does: wait
// the initial delay, then a cycle every interval, a repo backup every Nth
// cycle, and on a stop request one final cycle with a repo backup. A failed
// cycle is logged and the next one retries. With persistence off the loop
// only idles until stopped.
#pragma once

#include <chrono>
#include <functional>

#include "common/error.hpp"
#include "common/log.hpp"
#include "workspace/stop_token.hpp"

namespace ws::workspace {

struct SidecarSchedule {
  std::chrono::milliseconds initial_delay{30'000};
  std::chrono::milliseconds interval{60'000};
  int repo_backup_every = 5;  // REPO_BACKUP_INTERVAL; <= 0 means every cycle
  bool persistence = true;
  // How long the final cycle may run after the stop (SYNC_SHUTDOWN_TIMEOUT);
  // Kubernetes kills the pod 30 s after SIGTERM by default.
  std::chrono::milliseconds shutdown_timeout{25'000};
};

struct CycleRequest {
  int number = 0;           // 1-based
  bool backup_repos = false;
  bool final = false;       // the last cycle after a stop request
  // Requested when the cycle must stop: the stop request for a regular
  // cycle (at its next transfer boundary), the deadline for the final one
  // (at once, aborting the transfers under way).
  const CancelToken* cancel = nullptr;
};

// One cycle; logs its own summary line. An error is logged by the loop.
using CycleFn = std::function<Status(const CycleRequest&)>;

struct LoopOutcome {
  int cycles = 0;
  int failed = 0;
  bool final_ok = true;     // the final cycle after the stop succeeded
};

// Runs until `stop` is requested; then the final cycle (if persistence is
// on and the initial delay has passed or not: a stop during the delay still
// saves the workspace) and returns.
LoopOutcome run_sidecar_loop(const SidecarSchedule& schedule, const CycleFn& cycle,
                             StopToken& stop, const Logger& log);

}  // namespace ws::workspace

#include "workspace/sidecar_loop.hpp"

#include <string>

namespace ws::workspace {

namespace {

std::string seconds_text(std::chrono::milliseconds d) {
  const auto ms = d.count();
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  return std::to_string(ms) + " ms";
}

}  // namespace

LoopOutcome run_sidecar_loop(const SidecarSchedule& schedule, const CycleFn& cycle,
                             StopToken& stop, const Logger& log) {
  LoopOutcome out;
  if (!schedule.persistence) {
    log.info("sidecar.idle", "persistence is off (S3 not configured): idling until stopped");
    stop.wait();
    log.info("sidecar.stopped", "stop requested; nothing to save with persistence off");
    return out;
  }
  const int every = schedule.repo_backup_every <= 0 ? 1 : schedule.repo_backup_every;

  auto run_one = [&](const CycleRequest& req) {
    ++out.cycles;
    auto st = cycle(req);
    if (!st) {
      ++out.failed;
      log.error("sync.cycle_failed", "sync cycle " + std::to_string(req.number) + " failed" +
                                         (req.final ? "" : " (retrying next cycle)") + ": " +
                                         st.error().message);
    }
    return st.ok();
  };

  log.info("sidecar.start", "first sync in " + seconds_text(schedule.initial_delay) + ", then every " +
                                seconds_text(schedule.interval) + "; repo backup every " +
                                std::to_string(every) + " cycle(s)");
  int number = 0;
  if (!stop.wait_for(schedule.initial_delay)) {
    for (;;) {
      ++number;
      // The first cycle always backs up repos, then every Nth one.
      run_one(CycleRequest{number, (number - 1) % every == 0, false});
      if (stop.stop_requested() || stop.wait_for(schedule.interval)) break;
    }
  }
  log.info("sidecar.stopping", "stop requested: final repo backup and sync");
  out.final_ok = run_one(CycleRequest{++number, true, true});
  log.info("sidecar.stopped", out.final_ok ? "final sync done" : "final sync failed");
  return out;
}

}  // namespace ws::workspace

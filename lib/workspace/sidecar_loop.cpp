#include "workspace/sidecar_loop.hpp"

#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

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
      run_one(CycleRequest{number, (number - 1) % every == 0, false, &stop.token()});
      if (stop.stop_requested() || stop.wait_for(schedule.interval)) break;
    }
  }
  log.info("sidecar.stopping", "stop requested: final repo backup and sync within " +
                                   seconds_text(schedule.shutdown_timeout));
  CancelToken deadline_passed;
  {
    // Cancels the final cycle at the deadline, unless it ends first.
    std::mutex mu;
    std::condition_variable_any cv;
    std::jthread timer([&](std::stop_token ended) {
      std::unique_lock lock(mu);
      if (!cv.wait_for(lock, ended, schedule.shutdown_timeout, [] { return false; })) {
        if (!ended.stop_requested()) deadline_passed.request();
      }
    });
    out.final_ok = run_one(CycleRequest{++number, true, true, &deadline_passed});
  }
  if (deadline_passed.requested()) {
    log.warn("sidecar.deadline", "the final backup and sync did not fit in " +
                                     seconds_text(schedule.shutdown_timeout) +
                                     " (SYNC_SHUTDOWN_TIMEOUT): what it had not stored by then is not saved "
                                     "(see the failures above)");
  }
  log.info("sidecar.stopped", out.final_ok ? "final sync done" : "final sync failed");
  return out;
}

}  // namespace ws::workspace

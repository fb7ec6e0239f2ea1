// Several trees' transfers from one pool (copy_down_trees, mirror_up_trees):
// every tree is prepared first (listed or scanned, and decided), then all
// their planned transfers run in one pool, largest first, so that one
// tree's last slow transfers do not hold up the next tree's start and the
// last transfers to finish are small ones; then each tree finishes.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "common/log.hpp"
#include "common/worker_pool.hpp"
#include "sync/progress.hpp"
#include "sync/sync.hpp"

namespace ws::sync {

// Wall-clock nanoseconds since the epoch, as file mtimes count them.
inline int64_t wall_clock_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What the transfers of one batch share, across trees.
struct TransferBatch {
  TransferProgress& progress;
  std::atomic<bool>& outage;  // a network or auth failure: the rest is not attempted
  int64_t started_ns;         // when the transfers began (wall_clock_ns)
};

// `make(t)` gives tree t's Run, or why there is none. A Run offers
// `Status prepare()`, `size_t pending() const`, `uint64_t pending_size(n)
// const`, `void transfer(n, const TransferBatch&)` (safe from several
// threads at once) and `Result<SyncSummary> finish()`. A tree without a Run
// or whose prepare() failed gets that error as its result; with `dry_run`
// nothing is transferred. Progress reports under `phase`, through `log`,
// which must accept calls from several threads.
template <class Run, class Make>
std::vector<Result<SyncSummary>> run_tree_batch(size_t trees, Make make, int parallel, bool dry_run,
                                                std::string_view phase, const Logger& log) {
  std::vector<std::unique_ptr<Run>> runs(trees);
  std::vector<Status> prepared(trees);
  for (size_t t = 0; t < trees; ++t) {
    Result<std::unique_ptr<Run>> run = make(t);
    if (!run) {
      prepared[t] = std::move(run).error();
      continue;
    }
    runs[t] = std::move(*run);
    prepared[t] = runs[t]->prepare();
  }
  std::vector<std::pair<size_t, size_t>> jobs;  // (tree, planned transfer)
  uint64_t bytes_total = 0;
  for (size_t t = 0; t < trees; ++t) {
    if (!prepared[t]) continue;
    for (size_t n = 0; n < runs[t]->pending(); ++n) {
      jobs.emplace_back(t, n);
      bytes_total += runs[t]->pending_size(n);
    }
  }
  std::stable_sort(jobs.begin(), jobs.end(), [&](const auto& a, const auto& b) {
    return runs[a.first]->pending_size(a.second) > runs[b.first]->pending_size(b.second);
  });
  if (!dry_run) {
    TransferProgress progress(log, phase, jobs.size(), bytes_total);
    progress.start();
    std::atomic<bool> outage{false};
    const TransferBatch batch{progress, outage, wall_clock_ns()};
    run_parallel(jobs.size(), parallel, [&](size_t j) { runs[jobs[j].first]->transfer(jobs[j].second, batch); });
  }
  std::vector<Result<SyncSummary>> results;
  results.reserve(trees);
  for (size_t t = 0; t < trees; ++t) {
    if (!prepared[t]) {
      results.emplace_back(std::move(prepared[t]).error());
    } else {
      results.push_back(runs[t]->finish());
    }
  }
  return results;
}

}  // namespace ws::sync

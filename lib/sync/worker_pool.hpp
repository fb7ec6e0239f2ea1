// Runs n independent jobs on up to `parallel` threads (the caller's thread
// is one of them). Jobs must not throw; they report through their own state.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace ws::sync {

inline void run_parallel(size_t n, int parallel, const std::function<void(size_t)>& job) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) job(i);
  };
  const size_t threads = std::min<size_t>(n, static_cast<size_t>(std::max(parallel, 1)));
  std::vector<std::jthread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
}

}  // namespace ws::sync

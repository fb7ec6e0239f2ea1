#include "common/worker_pool.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace ws {

void run_parallel(size_t n, int parallel, const std::function<void(size_t)>& job) {
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) job(i);
  };
  const size_t threads = std::min<size_t>(n, static_cast<size_t>(std::max(parallel, 1)));
  std::vector<std::jthread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
}

Status run_parallel_until_error(size_t n, int parallel, const std::function<Status(size_t)>& job) {
  std::atomic<bool> failed{false};
  std::mutex mu;
  std::optional<Error> first;
  run_parallel(n, parallel, [&](size_t i) {
    if (failed.load()) return;
    Status st = job(i);
    if (st) return;
    std::lock_guard lock(mu);
    if (!failed.exchange(true)) first = std::move(st).error();
  });
  if (first) return std::move(*first);
  return {};
}

}  // namespace ws

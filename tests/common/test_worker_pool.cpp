#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/worker_pool.hpp"

using ws::run_parallel;
using ws::run_parallel_until_error;

TEST_CASE("run_parallel runs every index exactly once") {
  std::vector<std::atomic<int>> runs(1000);
  run_parallel(runs.size(), 8, [&](size_t i) { ++runs[i]; });
  for (const auto& r : runs) CHECK(r.load() == 1);
  run_parallel(0, 8, [](size_t) { FAIL("no job to run"); });
}

TEST_CASE("run_parallel never runs more than `parallel` jobs at once, and one at least") {
  for (int parallel : {-3, 0, 1, 3}) {
    CAPTURE(parallel);
    const int expected = std::max(parallel, 1);
    std::atomic<int> running{0}, most{0};
    run_parallel(12, parallel, [&](size_t) {
      const int now = ++running;
      for (int m = most.load(); now > m && !most.compare_exchange_weak(m, now);) {
      }
      // Wait (boundedly) for the others, so a slow thread start cannot hide
      // a pool that runs too few at once.
      const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
      while (most.load() < expected && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
      --running;
    });
    CHECK(most.load() == expected);
  }
}

TEST_CASE("with parallel = 1 the jobs run in order on the caller's thread") {
  std::vector<size_t> order;
  std::set<std::thread::id> threads;
  run_parallel(5, 1, [&](size_t i) {
    order.push_back(i);
    threads.insert(std::this_thread::get_id());
  });
  CHECK(order == std::vector<size_t>{0, 1, 2, 3, 4});
  CHECK(threads == std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST_CASE("run_parallel_until_error returns the failure and starts no job after it") {
  std::atomic<int> started{0};
  auto st = run_parallel_until_error(100, 1, [&](size_t i) -> ws::Status {
    ++started;
    if (i == 3) return ws::Error(ws::Errc::store, "part 4 refused");
    return {};
  });
  REQUIRE_FALSE(st);
  CHECK(st.error().code == ws::Errc::store);
  CHECK(st.error().message == "part 4 refused");
  CHECK(started.load() == 4);
}

TEST_CASE("run_parallel_until_error, on several threads, stops them all at a failure") {
  std::atomic<int> started{0};
  std::mutex mu;
  std::set<std::string> failures;
  auto st = run_parallel_until_error(200, 4, [&](size_t i) -> ws::Status {
    ++started;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    std::lock_guard lock(mu);
    failures.insert("job " + std::to_string(i));
    return ws::Error(ws::Errc::network, "job " + std::to_string(i));
  });
  REQUIRE_FALSE(st);
  CHECK(failures.count(st.error().message) == 1);
  // The four running when the first failed, give or take one that was
  // starting in that instant: far from all 200.
  CHECK(started.load() <= 8);
  CHECK(run_parallel_until_error(50, 4, [](size_t) -> ws::Status { return {}; }));
}

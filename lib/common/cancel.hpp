// A request to stop a long operation (hydrate, a sync cycle, a mirror, a
// copy), made from any thread or from a signal handler, and polled by the
// operation where stopping is safe: before each file or repo, and by curl's
// progress callback during a transfer (at least once a second, also while
// the peer sends nothing). A stopped operation fails with Errc::cancelled
// and leaves every file and object either old or new, never half written.
// The token is one lock-free atomic flag, so request() is async-signal-safe;
// that is also why waiting on it polls instead of using a condition variable.
#pragma once

#include <atomic>
#include <chrono>
#include <thread>

namespace ws {

class CancelToken {
 public:
  CancelToken() = default;
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  // Idempotent; thread-safe; async-signal-safe.
  void request() noexcept { requested_.store(true, std::memory_order_relaxed); }
  bool requested() const noexcept { return requested_.load(std::memory_order_relaxed); }

  // Sleeps for `d`, or less once a stop is requested (noticed within 20 ms).
  // True when requested.
  bool sleep_for(std::chrono::milliseconds d) const {
    const auto until = std::chrono::steady_clock::now() + d;
    while (!requested()) {
      const auto left = until - std::chrono::steady_clock::now();
      if (left <= std::chrono::steady_clock::duration::zero()) return false;
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, kPoll));
    }
    return true;
  }

 private:
  static constexpr std::chrono::milliseconds kPoll{20};
  static_assert(std::atomic<bool>::is_always_lock_free, "request() must be async-signal-safe");
  std::atomic<bool> requested_{false};
};

// Whether `cancel` (may be null: not cancellable) has been requested.
inline bool cancel_requested(const CancelToken* cancel) noexcept {
  return cancel != nullptr && cancel->requested();
}

}  // namespace ws

// A stop request shared between the thread running a long operation (the
// sidecar loop) and whoever ends it (a signal watcher thread, the C API's
// ws_sidecar_stop, a Python thread). Waiting wakes up at once on a stop.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "common/cancel.hpp"

namespace ws::workspace {

class StopToken {
 public:
  void request_stop() {
    {
      std::lock_guard lock(mu_);
      token_.request();
    }
    cv_.notify_all();
  }
  bool stop_requested() const { return token_.requested(); }
  // Requested once a stop is: what a running cycle polls at each transfer
  // boundary (MirrorOptions::cancel, CycleOptions::cancel).
  const CancelToken& token() const { return token_; }

  // Sleeps for `d` or until a stop; true when stopped.
  template <class Rep, class Period>
  bool wait_for(std::chrono::duration<Rep, Period> d) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, d, [this] { return token_.requested(); });
  }
  void wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return token_.requested(); });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  CancelToken token_;
};

}  // namespace ws::workspace

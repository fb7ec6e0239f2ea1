// Turning SIGTERM/SIGINT into a StopToken request without doing any work in
// a signal handler: the signals are blocked in the process and read from a
// signalfd by a watcher thread, which only calls request_stop().
// Construct it on the main thread before any other thread starts, so every
// thread inherits the blocked mask. Destruction restores the old mask.
#pragma once

#include <signal.h>

#include <atomic>
#include <memory>
#include <thread>

#include "common/error.hpp"
#include "workspace/stop_token.hpp"

namespace ws::workspace {

class SignalWatch {
 public:
  // Errc::io when the signal mask or the signalfd cannot be set up.
  static Result<std::unique_ptr<SignalWatch>> start(StopToken& stop);
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

  // The signal that requested the stop (SIGTERM, SIGINT), or 0.
  int received() const { return received_.load(); }

 private:
  SignalWatch() = default;
  void watch(StopToken& stop);

  int signal_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: ends the watcher thread on destruction
  sigset_t old_mask_{};
  std::atomic<int> received_{0};
  std::thread thread_;
};

}  // namespace ws::workspace

#include "workspace/signal_watch.hpp"

#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

namespace ws::workspace {

Result<std::unique_ptr<SignalWatch>> SignalWatch::start(StopToken& stop) {
  std::unique_ptr<SignalWatch> w(new SignalWatch());
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  if (const int rc = pthread_sigmask(SIG_BLOCK, &mask, &w->old_mask_); rc != 0) {
    return Error(Errc::io, std::string("blocking SIGTERM/SIGINT: ") + std::strerror(rc));
  }
  w->signal_fd_ = signalfd(-1, &mask, SFD_CLOEXEC);
  w->wake_fd_ = eventfd(0, EFD_CLOEXEC);
  if (w->signal_fd_ < 0 || w->wake_fd_ < 0) {
    return Error(Errc::io, std::string("creating the signal watcher: ") + std::strerror(errno));
  }
  w->thread_ = std::thread([raw = w.get(), &stop] { raw->watch(stop); });
  return w;
}

void SignalWatch::watch(StopToken& stop) {
  pollfd fds[2] = {{signal_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents != 0) return;
    if (fds[0].revents != 0) {
      signalfd_siginfo info{};
      if (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
        int expected = 0;
        received_.compare_exchange_strong(expected, static_cast<int>(info.ssi_signo));
        stop.request_stop();
      }
    }
  }
}

SignalWatch::~SignalWatch() {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
  }
  if (signal_fd_ >= 0) ::close(signal_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

}  // namespace ws::workspace

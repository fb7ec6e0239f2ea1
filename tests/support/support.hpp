// Test support shared by every layer's tests: running real peers (git CLI,
// rclone, s3rver, ...) as child processes, temporary directories, ports.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wstest {

namespace fs = std::filesystem;

struct CommandResult {
  int exit_code = -1;   // -1 when killed by a signal
  std::string out;
  std::string err;
};

// Environment changes for a child: a value sets, std::nullopt unsets.
using EnvChanges = std::map<std::string, std::optional<std::string>>;

// Runs argv[0] (searched in PATH) to completion, capturing stdout/stderr.
CommandResult run(const std::vector<std::string>& argv, const fs::path& cwd = {},
                  const EnvChanges& env = {}, const std::string& input = {});

// `bash -euo pipefail -c script`; REQUIRE-friendly: check .exit_code.
CommandResult sh(const std::string& script, const fs::path& cwd = {}, const EnvChanges& env = {});

// A background child process, stopped (SIGTERM, then SIGKILL) on destruction.
// Its stdout and stderr go to `log_file` (or /dev/null).
class Child {
 public:
  Child() = default;
  Child(const std::vector<std::string>& argv, const fs::path& cwd = {}, const EnvChanges& env = {},
        const fs::path& log_file = {});
  ~Child();
  Child(Child&& o) noexcept;
  Child& operator=(Child&& o) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  pid_t pid() const { return pid_; }
  bool running();
  void signal(int sig);
  // Waits for exit; returns the exit code, or -signal when killed.
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  void stop();

 private:
  pid_t pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
};

// A fresh directory under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& tag = "ws");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }
  fs::path operator/(const fs::path& p) const { return path_ / p; }

 private:
  fs::path path_;
};

// A TCP port on 127.0.0.1 that refuses connections: bound but not
// listening, and held for the object's lifetime so that nothing else can
// take it meanwhile (a port found free and released again races with
// every other process). For "the peer is down" tests.
class RefusingPort {
 public:
  RefusingPort();
  ~RefusingPort();
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;
  int port() const { return port_; }
  // "http://127.0.0.1:<port>"
  std::string url() const;

 private:
  int fd_ = -1;
  int port_ = 0;
};

// Polls until something accepts on 127.0.0.1:port.
bool wait_for_port(int port, std::chrono::milliseconds timeout = std::chrono::seconds(20));

// The source tree (WS_SOURCE_ROOT, set by meson test).
fs::path source_root();
// The build tree (WS_BUILD_ROOT).
fs::path build_root();

std::string read_file(const fs::path& p);
void write_file(const fs::path& p, const std::string& content);

}  // namespace wstest

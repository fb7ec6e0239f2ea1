// Logging and progress reporting. The library never writes to stdout/stderr
// itself: callers hand in a Logger (the CLI prints, the C ABI forwards to a
// callback, Python to a callable). Messages must already be secret-free;
// redact.hpp has the helpers to make them so.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace ws {

enum class LogLevel : int { debug = 0, info = 1, warn = 2, error = 3 };

const char* log_level_name(LogLevel l) noexcept;

// One log event: `event` is a short stable identifier ("clone.failed"),
// `message` the human sentence. Sinks decide how to print (text or JSON).
struct LogEvent {
  LogLevel level = LogLevel::info;
  std::string_view event;
  std::string_view message;
};

struct Progress {
  std::string_view phase;  // "upload", "download", "clone", "bundle", ...
  std::string_view item;   // current file/repo, may be empty
  uint64_t files_done = 0, files_total = 0;
  uint64_t bytes_done = 0, bytes_total = 0;
};

// A cheap, copyable handle; empty callbacks mean "discard".
class Logger {
 public:
  using LogFn = std::function<void(const LogEvent&)>;
  using ProgressFn = std::function<void(const Progress&)>;

  Logger() = default;
  explicit Logger(LogFn log, ProgressFn progress = {})
      : log_(std::move(log)), progress_(std::move(progress)) {}

  void log(LogLevel level, std::string_view event, std::string_view message) const {
    if (log_) log_(LogEvent{level, event, message});
  }
  void debug(std::string_view event, std::string_view m) const { log(LogLevel::debug, event, m); }
  void info(std::string_view event, std::string_view m) const { log(LogLevel::info, event, m); }
  void warn(std::string_view event, std::string_view m) const { log(LogLevel::warn, event, m); }
  void error(std::string_view event, std::string_view m) const { log(LogLevel::error, event, m); }

  void progress(const Progress& p) const {
    if (progress_) progress_(p);
  }
  bool wants_progress() const { return static_cast<bool>(progress_); }

 private:
  LogFn log_;
  ProgressFn progress_;
};

// The same sinks behind one mutex, for work that logs from several threads
// at once into sinks that may expect one call at a time.
Logger serialized(const Logger& log);

// `text` made safe for one line of a log: control characters (C0, DEL, C1:
// a newline would start a forged line, an escape sequence would drive the
// terminal) and bytes that are not valid UTF-8 become "\xNN"; valid UTF-8
// passes unchanged. Messages quote file names and keys that others chose.
std::string printable(std::string_view text);

// The two line formats of a log sink, without the newline; `time` is the
// timestamp to show. Text: "<time> <level> <message>"; JSON: an object with
// time, level, event and message, always valid UTF-8. Both go through
// printable().
std::string format_text_line(const LogEvent& e, std::string_view time);
std::string format_json_line(const LogEvent& e, std::string_view time);

}  // namespace ws

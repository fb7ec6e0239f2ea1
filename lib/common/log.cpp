#include "common/log.hpp"

#include <cstdio>
#include <memory>
#include <mutex>

namespace ws {

const char* log_level_name(LogLevel l) noexcept {
  switch (l) {
    case LogLevel::debug: return "debug";
    case LogLevel::info: return "info";
    case LogLevel::warn: return "warn";
    case LogLevel::error: return "error";
  }
  return "info";
}

Logger serialized(const Logger& log) {
  auto mu = std::make_shared<std::mutex>();
  Logger::ProgressFn progress;
  if (log.wants_progress()) {
    progress = [mu, log](const Progress& p) {
      std::lock_guard lock(*mu);
      log.progress(p);
    };
  }
  return Logger(
      [mu, log](const LogEvent& e) {
        std::lock_guard lock(*mu);
        log.log(e.level, e.event, e.message);
      },
      std::move(progress));
}

namespace {

void append_escaped_byte(std::string& out, unsigned char c) {
  char buf[5];
  std::snprintf(buf, sizeof buf, "\\x%02x", c);
  out += buf;
}

// The length of the valid UTF-8 sequence at the start of `s` (1 to 4), or 0.
size_t utf8_sequence_length(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xbf;  // the valid range of the second byte
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    if (c == 0xe0) lo = 0xa0;  // no overlong forms
    if (c == 0xed) hi = 0x9f;  // no UTF-16 surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    if (c == 0xf0) lo = 0x90;
    if (c == 0xf4) hi = 0x8f;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < len || b(1) < lo || b(1) > hi) return 0;
  for (size_t i = 2; i < len; ++i) {
    if (b(i) < 0x80 || b(i) > 0xbf) return 0;
  }
  return len;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    const size_t len = utf8_sequence_length(text);
    const auto c = static_cast<unsigned char>(text[0]);
    // U+0080..U+009F, the C1 controls, are 0xc2 0x80..0x9f.
    const bool c1 = len == 2 && c == 0xc2 && static_cast<unsigned char>(text[1]) <= 0x9f;
    if (len == 0 || (len == 1 && (c < 0x20 || c == 0x7f))) {
      append_escaped_byte(out, c);
      text.remove_prefix(1);
    } else if (c1) {
      append_escaped_byte(out, c);
      append_escaped_byte(out, static_cast<unsigned char>(text[1]));
      text.remove_prefix(2);
    } else {
      out.append(text.substr(0, len));
      text.remove_prefix(len);
    }
  }
  return out;
}

std::string format_text_line(const LogEvent& e, std::string_view time) {
  char level[8];
  std::snprintf(level, sizeof level, "%-5s", log_level_name(e.level));
  return std::string(time) + " " + level + " " + printable(e.message);
}

std::string format_json_line(const LogEvent& e, std::string_view time) {
  return "{\"time\":" + json_string(printable(time)) + ",\"level\":" + json_string(log_level_name(e.level)) +
         ",\"event\":" + json_string(printable(e.event)) + ",\"message\":" + json_string(printable(e.message)) + "}";
}

}  // namespace ws

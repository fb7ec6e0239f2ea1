#include "cli.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <mutex>

#include "common/utc_time.hpp"

namespace cli {

bool Args::flag(std::string_view name) const {
  return std::find(flags.begin(), flags.end(), name) != flags.end();
}

std::optional<std::string> Args::value(std::string_view name) const {
  auto it = values.find(std::string(name));
  if (it == values.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::all(std::string_view name) const {
  auto it = values.find(std::string(name));
  return it == values.end() ? std::vector<std::string>{} : it->second;
}

namespace {

// rclone's and git's one-letter habits, for the commands that have the option.
std::string long_form(const Command& cmd, const std::string& a) {
  static const std::pair<const char*, const char*> kShort[] = {{"-v", "--verbose"}, {"-n", "--dry-run"}};
  for (const auto& [s, l] : kShort) {
    if (a != s) continue;
    const bool has = std::any_of(cmd.options.begin(), cmd.options.end(), [&](const Option& o) { return o.name == l; });
    if (has) return l;
  }
  return a;
}

}  // namespace

ws::Result<Args> parse_args(const Command& cmd, const std::vector<std::string>& argv) {
  Args args;
  bool only_positional = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string a = only_positional ? argv[i] : long_form(cmd, argv[i]);
    if (only_positional || a.size() < 2 || a[0] != '-' || a == "-") {
      args.positional.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    std::string name = a, inline_value;
    bool has_inline = false;
    if (auto eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      inline_value = a.substr(eq + 1);
      has_inline = true;
    }
    auto opt = std::find_if(cmd.options.begin(), cmd.options.end(),
                            [&](const Option& o) { return o.name == name; });
    if (opt == cmd.options.end()) {
      return ws::Error(ws::Errc::invalid_input,
                       "unknown option '" + name + "' for '" + cmd.name + "' (see --help)");
    }
    if (opt->value_name.empty()) {
      if (has_inline) {
        return ws::Error(ws::Errc::invalid_input, "option '" + name + "' takes no value");
      }
      args.flags.push_back(name);
    } else {
      if (!has_inline && i + 1 >= argv.size()) {
        return ws::Error(ws::Errc::invalid_input,
                         "option '" + name + "' needs a value (" + opt->value_name + ")");
      }
      auto& given = args.values[name];
      // A second value would silently replace the first: say so instead.
      if (!given.empty() && !opt->repeatable) {
        return ws::Error(ws::Errc::invalid_input, "option '" + name + "' is given more than once");
      }
      given.push_back(has_inline ? inline_value : argv[++i]);
    }
  }
  return args;
}

std::string help_text(const Command& cmd) {
  std::string out = "usage: ambient-workspace " + cmd.name;
  if (!cmd.usage.empty()) out += " " + cmd.usage;
  out += "\n\n" + cmd.summary + "\n";
  if (!cmd.description.empty()) out += "\n" + cmd.description + "\n";
  out += "\noptions:\n";
  size_t width = 10;
  for (const auto& o : cmd.options) {
    width = std::max(width, o.name.size() + (o.value_name.empty() ? 0 : o.value_name.size() + 1));
  }
  auto line = [&](const std::string& left, const std::string& help) {
    out += "  " + left + std::string(width + 2 - std::min(width + 1, left.size()), ' ') + help + "\n";
  };
  for (const auto& o : cmd.options) {
    std::string left = o.value_name.empty() ? o.name : o.name + " " + o.value_name;
    if (o.name == "--verbose") left = "-v, " + left;
    if (o.name == "--dry-run") left = "-n, " + left;
    line(left, o.repeatable ? o.help + " (repeatable)" : o.help);
  }
  line("--help", "show this help");
  return out;
}

int report(const ws::Error& err) {
  std::cerr << "ambient-workspace: " << err.message << "\n";
  return err.code == ws::Errc::invalid_input ? kExitUsage : kExitFailure;
}

namespace {

std::string utc_now() { return ws::utc_timestamp(std::chrono::system_clock::now()); }

struct TerminalState {
  std::mutex mu;
  bool bar_shown = false;
  std::chrono::steady_clock::time_point last_bar{};
};

}  // namespace

ws::Logger terminal_logger(bool verbose) {
  const char* fmt = std::getenv("LOG_FORMAT");
  const bool json = fmt != nullptr && std::string_view(fmt) == "json";
  const bool tty = isatty(STDERR_FILENO) != 0;
  auto state = std::make_shared<TerminalState>();

  auto log = [json, verbose, state](const ws::LogEvent& e) {
    if (e.level == ws::LogLevel::debug && !verbose) return;
    std::lock_guard lock(state->mu);
    if (state->bar_shown) {
      std::fputs("\r\033[K", stderr);
      state->bar_shown = false;
    }
    const std::string line = json ? ws::format_json_line(e, utc_now()) : ws::format_text_line(e, utc_now());
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
  };
  ws::Logger::ProgressFn progress;
  if (tty && !json) {
    progress = [state](const ws::Progress& p) {
      std::lock_guard lock(state->mu);
      const auto now = std::chrono::steady_clock::now();
      const bool done = p.files_total > 0 && p.files_done >= p.files_total;
      if (!done && now - state->last_bar < std::chrono::milliseconds(100)) return;
      state->last_bar = now;
      const double frac = p.bytes_total > 0 ? double(p.bytes_done) / double(p.bytes_total)
                          : p.files_total > 0 ? double(p.files_done) / double(p.files_total)
                                              : 0.0;
      const int width = 30;
      const int filled = std::clamp(int(frac * width), 0, width);
      std::fprintf(stderr, "\r\033[K%s [%s%s] %3d%% %llu/%llu files %.1f/%.1f MiB", std::string(p.phase).c_str(),
                   std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
                   int(frac * 100), static_cast<unsigned long long>(p.files_done),
                   static_cast<unsigned long long>(p.files_total), double(p.bytes_done) / 1048576.0,
                   double(p.bytes_total) / 1048576.0);
      state->bar_shown = !done;
      if (done) std::fputs("\n", stderr);
      std::fflush(stderr);
    };
  }
  return ws::Logger(log, progress);
}

}  // namespace cli

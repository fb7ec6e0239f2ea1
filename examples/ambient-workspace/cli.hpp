// The ambient-workspace CLI's small framework: a command table, an argument
// parser that knows each command's options (so --help is generated from the
// same list that parsing uses), exit codes, and the terminal logger.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "common/log.hpp"

namespace cli {

// Exit codes, documented in `ambient-workspace --help`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // runtime failure
inline constexpr int kExitUsage = 2;    // bad input or usage
inline constexpr int kExitLosses = 3;   // hydrate finished, but something was not restored

struct Option {
  std::string name;         // "--repo-url"
  std::string value_name;   // "URL"; empty for a boolean flag
  std::string help;
  bool repeatable = false;  // may be given more than once; every value counts, in order
};

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::vector<std::string>> values;  // "--exclude" -> every value, in order
  std::vector<std::string> flags;                          // "--reveal"

  bool flag(std::string_view name) const;
  std::optional<std::string> value(std::string_view name) const;
  std::vector<std::string> all(std::string_view name) const;  // a repeatable option's values
};

struct Command {
  std::string name;         // "repos-json", or "store ls" for a sub-command
  std::string usage;        // "[--repo-url URL | --repos JSON]"
  std::string summary;      // one line, shown in the command list
  std::string description;  // paragraphs shown by --help
  std::vector<Option> options;
  std::function<int(const Args&)> run;
};

// Each area adds its commands (cmd_<area>.cpp).
void add_spec_commands(std::vector<Command>& out);
void add_auth_commands(std::vector<Command>& out);
void add_store_commands(std::vector<Command>& out);
void add_repo_commands(std::vector<Command>& out);
void add_workspace_commands(std::vector<Command>& out);

// Parses argv for `cmd`; unknown options or missing values are usage errors.
ws::Result<Args> parse_args(const Command& cmd, const std::vector<std::string>& argv);
std::string help_text(const Command& cmd);

// Prints "ambient-workspace: <message>" to stderr and returns the exit code
// for the error (2 for invalid input, 1 otherwise).
int report(const ws::Error& err);

// A Logger printing to stderr: human lines by default, JSON lines when
// LOG_FORMAT=json; progress as a bar on a terminal, nothing otherwise.
ws::Logger terminal_logger(bool verbose = false);

}  // namespace cli

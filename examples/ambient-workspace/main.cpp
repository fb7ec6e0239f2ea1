// ambient-workspace: the CLI over libworkspace, a drop-in for the state-sync
// image's hydrate and sync scripts.
#include <iostream>
#include <string>
#include <vector>

#include "cli.hpp"
#include "libworkspace/common.h"

namespace {

std::vector<cli::Command> all_commands() {
  std::vector<cli::Command> cmds;
  cli::add_workspace_commands(cmds);
  cli::add_spec_commands(cmds);
  cli::add_auth_commands(cmds);
  cli::add_store_commands(cmds);
  cli::add_repo_commands(cmds);
  cmds.push_back({"version", "", "print the library version", "", {}, [](const cli::Args&) {
                    std::cout << "ambient-workspace " << WS_VERSION << "\n";
                    return cli::kExitOk;
                  }});
  return cmds;
}

void print_overview(const std::vector<cli::Command>& cmds) {
  std::cout << "usage: ambient-workspace <command> [options]\n\n"
               "Prepares and persists the /workspace of an agent-session pod: clones the\n"
               "session's repos, restores its state from S3 and keeps syncing it back.\n\n"
               "commands:\n";
  for (const auto& c : cmds) {
    std::cout << "  " << c.name << std::string(c.name.size() < 22 ? 22 - c.name.size() : 1, ' ')
              << c.summary << "\n";
  }
  std::cout << "\n'ambient-workspace <command> --help' explains a command and its options.\n"
               "exit codes: 0 success, 1 runtime failure, 2 bad input or usage.\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const auto cmds = all_commands();
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_overview(cmds);
    return args.empty() ? cli::kExitUsage : cli::kExitOk;
  }
  // Longest match first, so "store ls" wins over a hypothetical "store".
  const cli::Command* found = nullptr;
  size_t words = 0;
  for (const auto& c : cmds) {
    std::vector<std::string> parts;
    for (size_t pos = 0, next; pos <= c.name.size(); pos = next + 1) {
      next = c.name.find(' ', pos);
      if (next == std::string::npos) next = c.name.size();
      parts.push_back(c.name.substr(pos, next - pos));
    }
    if (parts.size() > args.size() || parts.size() <= words) continue;
    if (std::equal(parts.begin(), parts.end(), args.begin())) {
      found = &c;
      words = parts.size();
    }
  }
  if (found == nullptr) {
    std::cerr << "ambient-workspace: unknown command '" << args[0]
              << "' (see 'ambient-workspace --help')\n";
    return cli::kExitUsage;
  }
  const std::vector<std::string> rest(args.begin() + static_cast<long>(words), args.end());
  for (const auto& a : rest) {
    if (a == "--") break;
    if (a == "--help" || a == "-h") {
      std::cout << cli::help_text(*found);
      return cli::kExitOk;
    }
  }
  auto parsed = cli::parse_args(*found, rest);
  if (!parsed) return cli::report(parsed.error());
  return found->run(*parsed);
}

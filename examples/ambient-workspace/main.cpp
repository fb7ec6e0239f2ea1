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

// The commands of a group ("store": store ls, store sync, ...), for
// `store --help` and `help store`.
std::vector<const cli::Command*> group_of(const std::vector<cli::Command>& cmds, const std::string& group) {
  std::vector<const cli::Command*> out;
  for (const auto& c : cmds) {
    if (c.name.starts_with(group + " ")) out.push_back(&c);
  }
  return out;
}

void print_group(const std::string& group, const std::vector<const cli::Command*>& members) {
  std::cout << "usage: ambient-workspace " << group << " <command> [options]\n\ncommands:\n";
  for (const auto* c : members) {
    std::cout << "  " << c->name << std::string(c->name.size() < 22 ? 22 - c->name.size() : 1, ' ')
              << c->summary << "\n";
  }
  std::cout << "\n'ambient-workspace " << group << " <command> --help' explains a command and its options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const auto cmds = all_commands();
  if (!args.empty() && (args[0] == "--version" || args[0] == "-V")) args[0] = "version";
  if (!args.empty() && args[0] == "help" && args.size() > 1) {
    // `help store`, `help store sync`: the same as --help after the command.
    args.erase(args.begin());
    args.push_back("--help");
  }
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
    const auto members = group_of(cmds, args[0]);
    if (!members.empty()) {
      // "store" alone, or "store --help", or "store nosuch".
      const bool asked = args.size() == 1 || args[1] == "--help" || args[1] == "-h";
      if (!asked) std::cerr << "ambient-workspace: unknown command '" << args[0] << " " << args[1] << "'\n\n";
      print_group(args[0], members);
      return args.size() > 1 && asked ? cli::kExitOk : cli::kExitUsage;
    }
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

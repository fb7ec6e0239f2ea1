#include "sync/filter_flags.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace ws::sync {
namespace {

std::string trimmed(const std::string& line) {
  const auto first = line.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  return line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
}

Result<std::vector<std::string>> lines_of(const std::string& flag, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return Error(Errc::invalid_input, flag + " " + path + ": cannot read (" + std::strerror(errno) + ")");
  }
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    line = trimmed(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    out.push_back(std::move(line));
  }
  return out;
}

Status check_rule(const std::string& flag, const std::string& rule) {
  if (rule == "!" || rule.starts_with("+ ") || rule.starts_with("- ")) return {};
  return Error(Errc::invalid_input,
               flag + ": rule '" + rule + "' must start with '+ ' (include) or '- ' (exclude), or be '!'");
}

}  // namespace

Result<std::vector<std::string>> rclone_filter_rules(const FilterFlags& flags) {
  std::vector<std::string> rules;
  bool included = false;
  for (const auto& g : flags.include) {
    rules.push_back("+ " + g);
    included = true;
  }
  for (const auto& file : flags.include_from) {
    auto globs = lines_of("--include-from", file);
    if (!globs) return std::move(globs).error();
    for (const auto& g : *globs) rules.push_back("+ " + g);
    included = true;
  }
  for (const auto& g : flags.exclude) rules.push_back("- " + g);
  for (const auto& file : flags.exclude_from) {
    auto globs = lines_of("--exclude-from", file);
    if (!globs) return std::move(globs).error();
    for (const auto& g : *globs) rules.push_back("- " + g);
  }
  for (const auto& r : flags.filter) {
    WS_TRY(check_rule("--filter", r));
    rules.push_back(r);
  }
  for (const auto& file : flags.filter_from) {
    auto lines = lines_of("--filter-from", file);
    if (!lines) return std::move(lines).error();
    for (const auto& r : *lines) {
      WS_TRY(check_rule("--filter-from " + file, r));
      rules.push_back(r);
    }
  }
  if (included) rules.push_back("- /**");
  return rules;
}

}  // namespace ws::sync

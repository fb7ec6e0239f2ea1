#include "git/bundle_header.hpp"

#include <algorithm>
#include <cctype>

#include "common/ascii.hpp"

namespace ws::git {

namespace {

constexpr std::string_view kV2Signature = "# v2 git bundle";
constexpr std::string_view kV3Signature = "# v3 git bundle";
// Longer than any sane ref line; stops a binary file from being read whole.
constexpr size_t kMaxLine = 64 * 1024;

bool is_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
}

// "<hex>" prefix of a line: its length, or 0 when the line has none.
size_t hex_prefix(std::string_view line) {
  size_t n = 0;
  while (n < line.size() && std::isxdigit(static_cast<unsigned char>(line[n])) != 0) ++n;
  return n;
}

Result<std::string> object_name(std::string_view hex, std::string_view line) {
  if (hex.size() == 64 && is_hex(hex)) {
    return Error(Errc::unsupported, "bundle uses sha256 object names; only sha1 is supported");
  }
  if (hex.size() != 40 || !is_hex(hex)) {
    return Error(Errc::invalid_input, "malformed bundle header line '" + std::string(line) + "'");
  }
  return ascii_lower(hex);
}

bool read_line(std::istream& in, std::string& line) {
  line.clear();
  char c;
  while (in.get(c)) {
    if (c == '\n') return true;
    line.push_back(c);
    if (line.size() > kMaxLine) return false;
  }
  return false;
}

}  // namespace

std::string serialize_bundle_header(const BundleHeader& header) {
  std::string out(header.capabilities.empty() ? kV2Signature : kV3Signature);
  out += '\n';
  for (const auto& [key, value] : header.capabilities) {
    out += "@" + key + (value.empty() ? "" : "=" + value) + "\n";
  }
  for (const auto& p : header.prerequisites) out += "-" + p + "\n";
  for (const auto& r : header.refs) out += r.oid + " " + r.name + "\n";
  out += '\n';
  return out;
}

Result<BundleHeader> read_bundle_header(std::istream& in) {
  std::string line;
  if (!read_line(in, line)) return Error(Errc::invalid_input, "not a git bundle (no header)");
  BundleHeader header;
  if (line == kV2Signature) {
    header.version = 2;
  } else if (line == kV3Signature) {
    header.version = 3;
  } else if (line.rfind("# v", 0) == 0 && line.find("git bundle") != std::string::npos) {
    return Error(Errc::unsupported, "unsupported bundle version ('" + line + "')");
  } else {
    return Error(Errc::invalid_input, "not a git bundle");
  }
  while (true) {
    if (!read_line(in, line)) {
      return Error(Errc::invalid_input, "truncated bundle header");
    }
    if (line.empty()) break;
    if (line[0] == '@') {
      if (header.version < 3) {
        return Error(Errc::invalid_input, "capability line in a v2 bundle: '" + line + "'");
      }
      const auto eq = line.find('=');
      std::string key = line.substr(1, eq == std::string::npos ? std::string::npos : eq - 1);
      std::string value = eq == std::string::npos ? "" : line.substr(eq + 1);
      if (key == "object-format") {
        if (value == "sha256") {
          return Error(Errc::unsupported, "bundle uses sha256 object names; only sha1 is supported");
        }
        if (value != "sha1") {
          return Error(Errc::unsupported, "unknown bundle object format '" + value + "'");
        }
      } else {
        return Error(Errc::unsupported, "unsupported bundle capability '@" + key + "'");
      }
      header.capabilities.emplace_back(std::move(key), std::move(value));
      continue;
    }
    if (line[0] == '-') {
      // "-<oid> <subject>": the subject is informational.
      std::string_view rest = std::string_view(line).substr(1);
      auto oid = object_name(rest.substr(0, hex_prefix(rest)), line);
      if (!oid) return std::move(oid).error();
      header.prerequisites.push_back(std::move(*oid));
      continue;
    }
    const size_t n = hex_prefix(line);
    if (n >= line.size() || line[n] != ' ' || n + 1 == line.size()) {
      return Error(Errc::invalid_input, "malformed bundle header line '" + line + "'");
    }
    auto oid = object_name(std::string_view(line).substr(0, n), line);
    if (!oid) return std::move(oid).error();
    header.refs.push_back({std::move(*oid), line.substr(n + 1)});
  }
  return header;
}

}  // namespace ws::git

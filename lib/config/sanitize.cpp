#include "config/sanitize.hpp"

#include <vector>

#include "common/redact.hpp"

namespace ws::config {

std::string sanitize_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (const char c : name) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-';
    if (keep) out += c;
  }
  return out;
}

Result<std::string> normalize_relative_path(std::string_view path, std::string_view what,
                                            bool allow_empty) {
  const std::string shown = std::string(what) + " '" + std::string(path) + "'";
  if (path.find('\0') != std::string_view::npos) {
    return Error(Errc::invalid_input, std::string(what) + " must not contain a NUL byte");
  }
  if (!path.empty() && path.front() == '/') {
    return Error(Errc::invalid_input,
                 shown + " must be relative to the workspace, not an absolute path");
  }
  std::vector<std::string_view> segments;
  for (size_t pos = 0; pos <= path.size();) {
    size_t next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    const auto seg = path.substr(pos, next - pos);
    if (seg == "..") {
      return Error(Errc::invalid_input, shown + " must not contain '..'");
    }
    if (!seg.empty() && seg != ".") segments.push_back(seg);
    pos = next + 1;
  }
  if (segments.empty() && !allow_empty) {
    return Error(Errc::invalid_input, shown + " must name a sub-directory");
  }
  std::string out;
  for (const auto seg : segments) {
    if (!out.empty()) out += '/';
    out += seg;
  }
  return out;
}

Status require_http_url(std::string_view url, std::string_view what) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Error(Errc::invalid_input, std::string(what) + " must be an http:// or https:// URL, got '" +
                                          redact_url(url) + "'");
  }
  if (redact_url(url) != url) {
    return Error(Errc::invalid_input, std::string(what) +
                                          " must not carry credentials (userinfo) in the URL: '" +
                                          redact_url(url) + "'");
  }
  return {};
}

Status require_store_endpoint(std::string_view url, std::string_view what) {
  constexpr std::string_view kFile = "file://";
  if (url.rfind(kFile, 0) != 0) {
    if (url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0) {
      return require_http_url(url, what);
    }
    return Error(Errc::invalid_input, std::string(what) +
                                          " must be an http://, https:// or file:/// URL, got '" +
                                          redact_url(url) + "'");
  }
  if (redact_url(url) != url) {
    return Error(Errc::invalid_input, std::string(what) +
                                          " must not carry credentials (userinfo) in the URL: '" +
                                          redact_url(url) + "'");
  }
  const std::string_view path = url.substr(kFile.size());
  if (path.empty() || path.front() != '/') {
    return Error(Errc::invalid_input, std::string(what) +
                                          " must name an absolute directory as file:///abs/dir, got '" +
                                          std::string(url) + "'");
  }
  return {};
}

}  // namespace ws::config

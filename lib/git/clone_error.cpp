#include "git/clone_error.hpp"

#include <git2.h>

#include <algorithm>
#include <array>
#include <string>

#include "common/ascii.hpp"

namespace ws::git {

namespace {

bool contains_any(const std::string& haystack, std::initializer_list<std::string_view> needles) {
  return std::any_of(needles.begin(), needles.end(), [&](std::string_view n) {
    return haystack.find(n) != std::string::npos;
  });
}

}  // namespace

Errc classify_remote_error(int code, int klass, std::string_view message) {
  const std::string m = ascii_lower(message);
  if (code == GIT_EAUTH ||
      contains_any(m, {"authentication", "status code: 401", "status code: 403", "credentials",
                       "permission denied"})) {
    return Errc::auth;
  }
  if (contains_any(m, {"status code: 404", "failed to resolve path", "could not find repository", "not found",
                       "does not appear to be a git repository", "not a git repository",
                       "cannot locate remote-tracking branch", "reference 'refs/remotes/"})) {
    return Errc::not_found;
  }
  if (code == GIT_ECERTIFICATE || klass == GIT_ERROR_NET || klass == GIT_ERROR_SSL ||
      contains_any(m, {"failed to connect", "failed to resolve", "connection refused",
                       "timed out", "could not connect", "connection reset", "network",
                       "unexpected eof", "early eof", "failed to send request"})) {
    return Errc::network;
  }
  if (code == GIT_ENOTFOUND) return Errc::not_found;
  return Errc::git;
}

const char* remote_error_summary(Errc code) {
  switch (code) {
    case Errc::auth: return "authentication failed";
    case Errc::not_found: return "not found";
    case Errc::network: return "network error";
    default: return "git error";
  }
}

}  // namespace ws::git

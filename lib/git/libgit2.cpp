#include "git/libgit2.hpp"

#include <regex>

namespace ws::git {

namespace {

// libgit2 quotes URLs in some messages ("failed to resolve address for
// https://user:tok@host/..."); drop anything that looks like userinfo.
std::string without_userinfo(std::string msg) {
  static const std::regex userinfo(R"(([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]*@)");
  return std::regex_replace(msg, userinfo, "$1");
}

}  // namespace

Error git_failure(std::string_view what, Errc code) {
  const git_error* e = git_error_last();
  std::string detail = e != nullptr && e->message != nullptr ? e->message : "unknown libgit2 error";
  while (!detail.empty() && (detail.back() == '\n' || detail.back() == '.')) detail.pop_back();
  return Error(code, std::string(what) + ": " + without_userinfo(detail));
}

std::string oid_hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

}  // namespace ws::git

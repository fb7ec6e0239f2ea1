// Which remote URLs saved state may make hydrate clone (behaviour §3 step 6).
// A repo-state/<repo>/metadata.json is read from the store, which someone
// else may have written: its remoteUrl could name a local path, and cloning
// that would copy a local repository into the workspace and, at the next
// sync, out to the store. So a repository missing locally is cloned from
// its saved URL only when the session could have named that URL itself.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ws::git {

enum class OriginKind { https, ssh, http, git_daemon, local, other };

// "https://h/x" https; "ssh://h/x", "git@h:org/x.git" ssh; "http://" http;
// "git://" git_daemon; "file://..." and plain paths local; anything else other.
OriginKind origin_kind(std::string_view url);
const char* origin_kind_name(OriginKind kind);

class OriginPolicy {
 public:
  // https and ssh, the origins a session names in production.
  OriginPolicy() = default;
  // Also every other kind one of `session_urls` (REPOS_JSON, the workflow)
  // uses: tests name local origins and plain-http servers, a session then may too.
  static OriginPolicy for_session(const std::vector<std::string>& session_urls);
  // Every kind but unknown ones (helper transports such as ext::): for a
  // state directory the caller vouches for (`repo restore`, the C and
  // Python restore), as it would for a URL it names itself.
  static OriginPolicy any_known();

  bool allows(std::string_view url) const { return allowed_.contains(origin_kind(url)); }
  // "https or ssh" (plus the kinds the session added), for messages.
  std::string describe() const;

 private:
  std::set<OriginKind> allowed_ = {OriginKind::https, OriginKind::ssh};
};

}  // namespace ws::git

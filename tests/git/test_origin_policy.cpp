// Which saved remote URLs hydrate may clone: https and ssh always, other
// kinds only when the session's own URLs use them.
#include <doctest/doctest.h>

#include "git/origin_policy.hpp"

using ws::git::origin_kind;
using ws::git::OriginKind;
using ws::git::OriginPolicy;

TEST_CASE("remote URLs are classified by the kind of origin they name") {
  CHECK(origin_kind("https://github.com/org/app.git") == OriginKind::https);
  CHECK(origin_kind("HTTPS://github.com/org/app.git") == OriginKind::https);
  CHECK(origin_kind("ssh://git@github.com/org/app.git") == OriginKind::ssh);
  CHECK(origin_kind("git@github.com:org/app.git") == OriginKind::ssh);
  CHECK(origin_kind("github.com:org/app.git") == OriginKind::ssh);
  CHECK(origin_kind("http://127.0.0.1:8080/app.git") == OriginKind::http);
  CHECK(origin_kind("git://host/app.git") == OriginKind::git_daemon);
  CHECK(origin_kind("file:///srv/git/app.git") == OriginKind::local);
  CHECK(origin_kind("/some/local/path") == OriginKind::local);
  CHECK(origin_kind("../relative/app") == OriginKind::local);
  CHECK(origin_kind("./a:b") == OriginKind::local);
  CHECK(origin_kind("ext::sh -c evil") == OriginKind::other);
  CHECK(origin_kind("") == OriginKind::other);
}

TEST_CASE("by default only https and ssh origins may be cloned from saved state") {
  const OriginPolicy policy;
  CHECK(policy.allows("https://github.com/org/app.git"));
  CHECK(policy.allows("git@github.com:org/app.git"));
  CHECK_FALSE(policy.allows("/some/local/path"));
  CHECK_FALSE(policy.allows("file:///some/local/path"));
  CHECK_FALSE(policy.allows("http://host/app.git"));
  CHECK_FALSE(policy.allows("ext::sh -c evil"));
}

TEST_CASE("a session naming local or plain-http origins itself allows that kind too, never unknown ones") {
  const auto policy = OriginPolicy::for_session({"file:///srv/a.git", "http://127.0.0.1/b.git", "ext::x"});
  CHECK(policy.allows("/some/local/path"));
  CHECK(policy.allows("http://other/app.git"));
  CHECK(policy.allows("https://github.com/org/app.git"));
  CHECK_FALSE(policy.allows("ext::sh -c evil"));
  CHECK_FALSE(policy.allows("git://host/app.git"));
}

TEST_CASE("a caller vouching for its state directory allows every known kind, still no helper transport") {
  const auto policy = OriginPolicy::any_known();
  CHECK(policy.allows("/srv/git/app.git"));
  CHECK(policy.allows("http://host/app.git"));
  CHECK(policy.allows("git://host/app.git"));
  CHECK_FALSE(policy.allows("ext::sh -c evil"));
}

#include <doctest/doctest.h>

#include <git2.h>

#include "git/clone_error.hpp"
#include "git/remote_callbacks.hpp"

using ws::Errc;
using ws::git::classify_remote_error;
using ws::git::remote_endpoint;

TEST_CASE("libgit2's authentication failures classify as auth") {
  CHECK(classify_remote_error(GIT_EAUTH, GIT_ERROR_HTTP, "authentication required but no callback set") == Errc::auth);
  CHECK(classify_remote_error(-1, GIT_ERROR_HTTP, "too many redirects or authentication replays") == Errc::auth);
  CHECK(classify_remote_error(-1, GIT_ERROR_HTTP, "unexpected http status code: 403") == Errc::auth);
}

TEST_CASE("missing repositories and branches classify as not found") {
  CHECK(classify_remote_error(-1, GIT_ERROR_HTTP, "unexpected http status code: 404") == Errc::not_found);
  CHECK(classify_remote_error(-1, GIT_ERROR_OS, "failed to resolve path '/x.git': No such file or directory") == Errc::not_found);
  CHECK(classify_remote_error(GIT_ENOTFOUND, GIT_ERROR_REPOSITORY, "could not find repository at '/x'") == Errc::not_found);
  CHECK(classify_remote_error(-1, GIT_ERROR_REFERENCE, "cannot locate remote-tracking branch 'origin/x'") == Errc::not_found);
}

TEST_CASE("connection failures classify as network") {
  CHECK(classify_remote_error(-1, GIT_ERROR_NET, "failed to connect to 127.0.0.1: Connection refused") == Errc::network);
  CHECK(classify_remote_error(-1, GIT_ERROR_NET, "failed to resolve address for nowhere.invalid: Name or service not known") == Errc::network);
  CHECK(classify_remote_error(GIT_ECERTIFICATE, GIT_ERROR_SSL, "the SSL certificate is invalid") == Errc::network);
}

TEST_CASE("anything else is a git error") {
  CHECK(classify_remote_error(-1, GIT_ERROR_ODB, "object is corrupt") == Errc::git);
}

TEST_CASE("remote_endpoint gives the protocol and host the credential provider is asked for") {
  auto https = remote_endpoint("https://user:tok@GitHub.com:8443/org/r.git");
  REQUIRE(https);
  CHECK(https->protocol == "https");
  CHECK(https->host == "GitHub.com:8443");
  auto scp = remote_endpoint("git@gitlab.com:org/r.git");
  REQUIRE(scp);
  CHECK(scp->protocol == "ssh");
  CHECK(scp->host == "gitlab.com");
  CHECK_FALSE(remote_endpoint("/srv/repos/r.git"));
  CHECK_FALSE(remote_endpoint("file:///srv/r.git"));
}

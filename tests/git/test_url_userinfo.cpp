// A clone URL's userinfo ("https://u:pass@host/x.git" in REPOS_JSON or the
// workflow URL) is used for that clone only, from memory: nothing git writes
// (.git/config, reflogs, packed-refs, FETCH_HEAD) keeps it.
#include <doctest/doctest.h>

#include "beast_server.hpp"
#include "common/url_userinfo.hpp"
#include "git/clone.hpp"
#include "git/workflow.hpp"
#include "git_fixture.hpp"
#include "git_http_host.hpp"

namespace fs = std::filesystem;

namespace {

constexpr const char* kUser = "agent";
constexpr const char* kPassword = "pa:ss@w0rd-in-url";
constexpr const char* kPasswordInUrl = "pa%3Ass%40w0rd-in-url";

struct PrivateHost {
  wstest::TempDir dir{"ws-git-userinfo"};
  wstest::BeastServer server;
  std::unique_ptr<wstest::GitHttpHost> host;

  PrivateHost() {
    wsgit::git_sh("git init -q -b main scratch && cd scratch && echo recipe > recipe.txt && git add . && "
                  "git commit -qm init && git branch feature && git clone -q --bare . ../srv/private.git",
                  dir.path());
    host = std::make_unique<wstest::GitHttpHost>(server, dir / "srv", kUser, kPassword);
  }
  std::string url_with_userinfo() const {
    return "http://" + std::string(kUser) + ":" + kPasswordInUrl + "@127.0.0.1:" +
           std::to_string(server.port()) + "/git/private.git";
  }
};

// Every file under .git, by name, whose content holds the password.
std::vector<std::string> files_with_secret(const fs::path& git_dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(git_dir)) {
    if (!e.is_regular_file()) continue;
    const std::string text = wstest::read_file(e.path());
    if (text.find("w0rd-in-url") != std::string::npos || text.find(kUser + std::string(":")) != std::string::npos) {
      out.push_back(fs::relative(e.path(), git_dir).string());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("a URL's userinfo is split off and percent-decoded, as redact_url drops it") {
  auto s = ws::split_url_userinfo("https://u:p%40ss@host/x.git");
  CHECK(s.url == "https://host/x.git");
  REQUIRE(s.userinfo);
  CHECK(s.userinfo->user == "u");
  CHECK(s.userinfo->password == "p@ss");
  s = ws::split_url_userinfo("https://ghp_token@github.com/org/x.git");
  CHECK(s.url == "https://github.com/org/x.git");
  REQUIRE(s.userinfo);
  CHECK(s.userinfo->user == "ghp_token");
  CHECK(s.userinfo->password.empty());
  for (const char* kept : {"ssh://git@host/x.git", "git@host:org/x.git", "/srv/x.git", "https://host/x.git"}) {
    s = ws::split_url_userinfo(kept);
    CHECK(s.url == kept);
    CHECK_FALSE(s.userinfo);
  }
}

TEST_CASE("a clone authenticates with the URL's userinfo and keeps it in no file of .git") {
  PrivateHost h;
  ws::git::CloneOptions opts;
  opts.url = h.url_with_userinfo();
  opts.target = h.dir / "clone";
  auto r = ws::git::clone_repo(opts, ws::Logger());
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(wstest::read_file(h.dir / "clone" / "recipe.txt") == "recipe\n");
  CHECK(h.host->authorised_attempts() > 0);
  wsgit::git_sh("git fetch -q origin 2>/dev/null || true", h.dir / "clone");
  const auto leaked = files_with_secret(h.dir / "clone" / ".git");
  CHECK_MESSAGE(leaked.empty(), "userinfo kept in " << leaked.front());
  CHECK(wsgit::git_sh("git remote get-url origin", h.dir / "clone") ==
        "http://127.0.0.1:" + std::to_string(h.server.port()) + "/git/private.git\n");
}

TEST_CASE("a workflow cloned from a URL with userinfo keeps it nowhere either") {
  PrivateHost h;
  ws::git::WorkflowCloneOptions wo;
  wo.url = h.url_with_userinfo();
  wo.branch = "main";
  wo.workflows_dir = h.dir / "workflows";
  wo.name = "flow";
  auto r = ws::git::clone_workflow(wo, ws::Logger());
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  const auto leaked = files_with_secret(h.dir / "workflows" / "flow" / ".git");
  CHECK_MESSAGE(leaked.empty(), "userinfo kept in " << leaked.front());
}

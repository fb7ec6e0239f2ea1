// Cloning: one branch, the identity, and failures classified as
// authentication, not found or network, never leaking the token.
#include <doctest/doctest.h>

#include <mutex>
#include <vector>

#include "common/base64.hpp"
#include "beast_server.hpp"
#include "git/clone.hpp"
#include "git/workflow.hpp"
#include "git_fixture.hpp"

using wsgit::git_sh;
namespace fs = std::filesystem;

namespace {

class RecordingProvider : public ws::auth::CredentialProvider {
 public:
  explicit RecordingProvider(std::string token) : token_(std::move(token)) {}
  std::optional<ws::auth::GitCredential> lookup(std::string_view protocol, std::string_view host) const override {
    std::lock_guard lock(mu_);
    asked_.push_back(std::string(protocol) + " " + std::string(host));
    return ws::auth::GitCredential{"x-access-token", token_};
  }
  std::vector<std::string> asked() const {
    std::lock_guard lock(mu_);
    return asked_;
  }

 private:
  std::string token_;
  mutable std::mutex mu_;
  mutable std::vector<std::string> asked_;
};

// A git HTTP host that answers every request 401 (with a Basic challenge)
// unless it carries Basic user:token, which it answers 404: a test tells
// "credentials refused" from "credentials offered, repository missing".
struct FakeHost {
  wstest::BeastServer server;
  int port = server.port();
  explicit FakeHost(const std::vector<std::string>& creds = {}) {
    const std::string expected =
        creds.size() == 2 ? "Basic " + ws::base64_encode(creds[0] + ":" + creds[1]) : "";
    server.route("*", "/", [expected](const wstest::HttpRequest& r) {
      if (!expected.empty() && r.header("authorization") == expected) return wstest::HttpReply::text(404, "");
      auto challenge = wstest::HttpReply::text(401, "");
      challenge.headers.emplace_back("WWW-Authenticate", "Basic realm=\"git\"");
      return challenge;
    });
  }
  std::string url() const { return server.url("/org/repo.git"); }
};

ws::Result<ws::git::CloneResult> clone(const std::string& url, const fs::path& target, const std::string& branch = {},
                                       const ws::auth::CredentialProvider* creds = nullptr) {
  ws::git::CloneOptions opts;
  opts.url = url;
  opts.target = target;
  opts.branch = branch;
  opts.credentials = creds;
  return ws::git::clone_repo(opts, ws::Logger());
}

}  // namespace

TEST_CASE("clone fetches only the given branch, checks it out and writes no identity") {
  wstest::TempDir dir("ws-git-clone");
  const std::string origin = wsgit::make_origin(dir.path());
  ws::git::CloneOptions opts;
  opts.url = origin;
  opts.target = dir / "repo";
  opts.branch = "feature";
  auto r = ws::git::clone_repo(opts, ws::Logger());
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->branch == "feature");
  CHECK(git_sh("git symbolic-ref HEAD", dir / "repo") == "refs/heads/feature\n");
  CHECK(git_sh("git branch -r", dir / "repo") == "  origin/feature\n");
  // A repo-local identity would override the runner's global one (behaviour §4).
  CHECK(git_sh("git config --local --get-regexp '^user\\.' || true", dir / "repo").empty());
  CHECK(git_sh("git status --porcelain", dir / "repo").empty());
}

TEST_CASE("clone without a branch takes only the remote's default branch") {
  wstest::TempDir dir("ws-git-clone");
  const std::string origin = wsgit::make_origin(dir.path());
  git_sh("git symbolic-ref HEAD refs/heads/feature", dir / "origin.git");
  auto r = clone(origin, dir / "repo");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->branch == "feature");
  CHECK(git_sh("git for-each-ref --format='%(refname)' refs/remotes | grep -v HEAD", dir / "repo") ==
        "refs/remotes/origin/feature\n");
}

TEST_CASE("clone of an empty remote gives an empty repository") {
  wstest::TempDir dir("ws-git-clone");
  git_sh("git init -q --bare empty.git", dir.path());
  auto r = clone("file://" + (dir / "empty.git").string(), dir / "repo");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->head_sha.empty());
  CHECK(fs::exists(dir / "repo" / ".git"));
}

TEST_CASE("clone into a non-empty directory is a conflict and leaves it alone") {
  wstest::TempDir dir("ws-git-clone");
  const std::string origin = wsgit::make_origin(dir.path());
  wstest::write_file(dir / "repo" / "keep.txt", "mine");
  auto r = clone(origin, dir / "repo");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ws::Errc::conflict);
  CHECK(wstest::read_file(dir / "repo" / "keep.txt") == "mine");
}

TEST_CASE("clone from a plain path works like file://") {
  wstest::TempDir dir("ws-git-clone");
  wsgit::make_origin(dir.path());
  auto r = clone((dir / "origin.git").string(), dir / "repo");
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->branch == "main");
}

TEST_CASE("clone of a missing repository is not found, and leaves no directory") {
  wstest::TempDir dir("ws-git-clone");
  auto missing = clone("file://" + (dir / "nope.git").string(), dir / "a");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ws::Errc::not_found);
  CHECK_FALSE(fs::exists(dir / "a"));
}

TEST_CASE("a requested branch missing on the remote clones the default branch, with a warning") {
  // The operator defaults `branch` to main; this origin's default is master.
  wstest::TempDir dir("ws-git-clone");
  wsgit::make_origin(dir.path());
  git_sh("git branch -m main master && git symbolic-ref HEAD refs/heads/master", dir / "origin.git");
  std::vector<std::string> warnings;
  const ws::Logger log([&](const ws::LogEvent& e) {
    if (e.level == ws::LogLevel::warn) warnings.push_back(std::string(e.event) + ": " + std::string(e.message));
  });
  ws::git::CloneOptions opts;
  opts.url = "file://" + (dir / "origin.git").string();
  opts.target = dir / "repo";
  opts.branch = "main";
  auto r = ws::git::clone_repo(opts, log);
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->branch == "master");
  CHECK(git_sh("git symbolic-ref HEAD", dir / "repo") == "refs/heads/master\n");
  CHECK(git_sh("git status --porcelain", dir / "repo").empty());
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].rfind("clone.branch_missing: branch main does not exist", 0) == 0);
}

TEST_CASE("clone of a local repository that does not exist is not found, never a network error") {
  wstest::TempDir dir("ws-git-clone");
  const std::string nope = (dir / "nope.git").string();
  RecordingProvider creds("tok");
  for (const std::string& url : {"file://" + nope, nope}) {
    for (const std::string& branch : {std::string(), std::string("main")}) {
      CAPTURE(url);
      CAPTURE(branch);
      auto r = clone(url, dir / "repo", branch, &creds);
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == ws::Errc::not_found);
      CHECK(r.error().message.find("not found") != std::string::npos);
      CHECK_FALSE(fs::exists(dir / "repo"));
    }
  }
}

TEST_CASE("clone from a host nobody listens on is a network error") {
  wstest::TempDir dir("ws-git-clone");
  const wstest::RefusingPort refusing;
  auto r = clone(refusing.url() + "/r.git", dir / "repo");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ws::Errc::network);
}

TEST_CASE("refused credentials are an authentication error that never shows the token") {
  wstest::TempDir dir("ws-git-clone");
  FakeHost host;
  RecordingProvider creds("ghp_refused_secret_123");
  auto r = clone(host.url(), dir / "repo", "main", &creds);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ws::Errc::auth);
  CHECK(r.error().message.find("ghp_refused_secret_123") == std::string::npos);
  CHECK_FALSE(creds.asked().empty());
}

TEST_CASE("no credentials for a host that wants them is an authentication error") {
  wstest::TempDir dir("ws-git-clone");
  FakeHost host;
  auto r = clone(host.url(), dir / "repo", "main");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ws::Errc::auth);
}

TEST_CASE("credentials are asked for the URL's protocol and host and offered to it") {
  wstest::TempDir dir("ws-git-clone");
  FakeHost host({"x-access-token", "tok-accepted"});
  RecordingProvider creds("tok-accepted");
  auto r = clone(host.url(), dir / "repo", "main", &creds);
  REQUIRE_FALSE(r.ok());
  // Accepted credentials get the host's 404: the token was offered.
  CHECK(r.error().code == ws::Errc::not_found);
  REQUIRE_FALSE(creds.asked().empty());
  CHECK(creds.asked().front() == "http 127.0.0.1:" + std::to_string(host.port));
}

TEST_CASE("a workflow's sub-directory becomes workflows/<name>") {
  wstest::TempDir dir("ws-git-wf");
  git_sh("git init -q -b main seed && cd seed && mkdir -p flows/a && printf 'x\\n' > flows/a/flow.md && "
         "printf 'r\\n' > README.md && git add -A && git commit -q -m f && cd .. && git clone -q --bare seed wf.git",
         dir.path());
  ws::git::WorkflowCloneOptions opts;
  opts.url = "file://" + (dir / "wf.git").string();
  opts.subpath = "flows/a";
  opts.workflows_dir = dir / "workflows";
  opts.name = "wf";
  auto r = ws::git::clone_workflow(opts, ws::Logger());
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK_FALSE(r->whole_repo);
  CHECK(wstest::read_file(dir / "workflows" / "wf" / "flow.md") == "x\n");
  CHECK_FALSE(fs::exists(dir / "workflows" / "wf" / "README.md"));
  CHECK(std::distance(fs::directory_iterator(dir / "workflows"), fs::directory_iterator()) == 1);
}

TEST_CASE("a missing workflow sub-directory moves the whole repo, with a warning") {
  wstest::TempDir dir("ws-git-wf");
  const std::string origin = wsgit::make_origin(dir.path());
  ws::git::WorkflowCloneOptions opts;
  opts.url = origin;
  opts.subpath = "not/there";
  opts.workflows_dir = dir / "workflows";
  opts.name = "wf";
  std::vector<std::string> warnings;
  auto r = ws::git::clone_workflow(opts, ws::Logger([&](const ws::LogEvent& e) {
    if (e.level == ws::LogLevel::warn) warnings.emplace_back(e.message);
  }));
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->whole_repo);
  CHECK(fs::exists(dir / "workflows" / "wf" / ".git"));
  CHECK(warnings.size() == 1);
}

TEST_CASE("a workflow sub-path that leaves the clone is refused") {
  wstest::TempDir dir("ws-git-wf");
  git_sh("git init -q -b main seed && cd seed && ln -s /etc escape && printf 'r\\n' > README.md && "
         "git add -A && git commit -q -m f && cd .. && git clone -q --bare seed wf.git", dir.path());
  for (const std::string sub : {"../outside", "/etc", "escape"}) {
    ws::git::WorkflowCloneOptions opts;
    opts.url = "file://" + (dir / "wf.git").string();
    opts.subpath = sub;
    opts.workflows_dir = dir / "workflows";
    opts.name = "wf";
    auto r = ws::git::clone_workflow(opts, ws::Logger());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ws::Errc::unsafe_path);
    CHECK_FALSE(fs::exists(dir / "workflows" / "wf"));
    CHECK(fs::is_empty(dir / "workflows"));
  }
}

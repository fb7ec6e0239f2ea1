// Bundles: ours pass `git bundle verify` and carry every ref; the git CLI's
// (v2, v3) read back; bad bundles are clear errors that leave the repo as it was.
#include <doctest/doctest.h>

#include <fstream>

#include "git/backup.hpp"
#include "git/restore.hpp"
#include "git_fixture.hpp"

using wsgit::git_sh;
namespace fs = std::filesystem;

namespace {

struct BundleCase {
  wstest::TempDir dir{"ws-git-bundle"};
  std::string origin = wsgit::make_origin(dir.path());
  fs::path work = dir / "work";
  fs::path state = dir / "state";
  fs::path fresh = dir / "fresh";

  BundleCase() {
    git_sh("git clone -q '" + origin + "' work && git clone -q '" + origin + "' fresh", dir.path());
    git_sh("printf 'ahead\\n' >> README.md && git commit -q -am ahead && git checkout -q -b topic && "
           "printf 't\\n' > t.txt && git add t.txt && git commit -q -m topic && git tag -a vx -m vx",
           work);
  }

  void write_metadata(const std::string& branch) {
    fs::create_directories(state);
    const std::string head = git_sh("git rev-parse HEAD", work);
    wstest::write_file(state / "metadata.json",
                       "{\"remoteUrl\":\"" + origin + "\",\"currentBranch\":\"" + branch +
                           "\",\"headSha\":\"" + head.substr(0, 40) + "\"}");
  }

  ws::Result<ws::git::RestoreResult> restore() {
    ws::git::RestoreOptions opts;
    opts.state_dir = state;
    opts.repo = fresh;
    return ws::git::restore_repo(opts, ws::Logger());
  }

  // refs, objects/pack and status of `fresh`: what a failed restore must not change.
  std::string fresh_state() {
    return git_sh("git for-each-ref; ls .git/objects/pack; git status --porcelain=v1 -uall; git rev-parse HEAD", fresh);
  }
};

std::string refs_with_head(const fs::path& repo) {
  return wsgit::git_sh("{ echo \"$(git rev-parse HEAD) HEAD\"; git for-each-ref --format='%(objectname) %(refname)'; } | sort", repo);
}

}  // namespace

TEST_CASE("our bundle passes git bundle verify and lists every ref and HEAD") {
  BundleCase c;
  auto b = ws::git::backup_repo({c.work, c.state, {}, false}, ws::Logger());
  REQUIRE_MESSAGE(b.ok(), b.error().message);
  const std::string bundle = (c.state / "repo.bundle").string();
  git_sh("git bundle verify -q '" + bundle + "'", c.work);
  CHECK(git_sh("git bundle list-heads '" + bundle + "' | sort", c.work) == refs_with_head(c.work));
  git_sh("git init -q -b x imported && cd imported && git fetch -q '" + bundle + "' '+refs/heads/*:refs/heads/*'",
         c.dir.path());
  CHECK(git_sh("git for-each-ref --format='%(objectname) %(refname)' refs/heads", c.dir / "imported") ==
        git_sh("git for-each-ref --format='%(objectname) %(refname)' refs/heads", c.work));
}

TEST_CASE("a v3 bundle written by the git CLI restores") {
  BundleCase c;
  c.write_metadata("topic");
  git_sh("git bundle create -q --version=3 '" + (c.state / "repo.bundle").string() + "' --all", c.work);
  CHECK(wstest::read_file(c.state / "repo.bundle").rfind("# v3 git bundle\n@object-format=sha1\n", 0) == 0);
  auto r = c.restore();
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(r->current_branch == "topic");
  CHECK(git_sh("git rev-parse topic vx", c.fresh) == git_sh("git rev-parse topic vx", c.work));
}

TEST_CASE("a bundle with prerequisites restores when the repo has them") {
  BundleCase c;
  c.write_metadata("topic");
  git_sh("git bundle create -q '" + (c.state / "repo.bundle").string() + "' topic ^origin/main", c.work);
  CHECK(wstest::read_file(c.state / "repo.bundle").find("\n-") != std::string::npos);
  auto r = c.restore();
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(git_sh("git rev-parse HEAD", c.fresh) == git_sh("git rev-parse topic", c.work));
}

TEST_CASE("a bundle whose prerequisite is missing is an error naming it, and the repo is untouched") {
  BundleCase c;
  c.write_metadata("topic");
  git_sh("git bundle create -q '" + (c.state / "repo.bundle").string() + "' topic ^topic~1", c.work);
  const std::string before = c.fresh_state();
  auto r = c.restore();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find(git_sh("git rev-parse topic~1", c.work).substr(0, 40)) != std::string::npos);
  CHECK(c.fresh_state() == before);
}

TEST_CASE("a truncated bundle is an error and the repo is untouched") {
  BundleCase c;
  auto b = ws::git::backup_repo({c.work, c.state, {}, false}, ws::Logger());
  REQUIRE(b.ok());
  const auto size = fs::file_size(c.state / "repo.bundle");
  fs::resize_file(c.state / "repo.bundle", size * 2 / 3);
  const std::string before = c.fresh_state();
  auto r = c.restore();
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ws::Errc::git);
  CHECK(c.fresh_state() == before);
}

TEST_CASE("a corrupt pack is an error and the repo is untouched") {
  BundleCase c;
  auto b = ws::git::backup_repo({c.work, c.state, {}, false}, ws::Logger());
  REQUIRE(b.ok());
  std::string bytes = wstest::read_file(c.state / "repo.bundle");
  for (size_t i = bytes.size() / 2; i < bytes.size() / 2 + 16; ++i) bytes[i] = static_cast<char>(~bytes[i]);
  wstest::write_file(c.state / "repo.bundle", bytes);
  const std::string before = c.fresh_state();
  auto r = c.restore();
  REQUIRE_FALSE(r.ok());
  CHECK(c.fresh_state() == before);
}

TEST_CASE("an unknown bundle capability and sha256 bundles are unsupported, repo untouched") {
  BundleCase c;
  auto b = ws::git::backup_repo({c.work, c.state, {}, false}, ws::Logger());
  REQUIRE(b.ok());
  const std::string ours = wstest::read_file(c.state / "repo.bundle");
  const std::string body = ours.substr(ours.find('\n') + 1);
  const std::string before = c.fresh_state();
  for (const std::string& caps : {std::string("@filter=blob:none\n"), std::string("@object-format=sha256\n")}) {
    wstest::write_file(c.state / "repo.bundle", "# v3 git bundle\n" + caps + body);
    auto r = c.restore();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ws::Errc::unsupported);
    CHECK(c.fresh_state() == before);
  }
}

TEST_CASE("a repository with loose objects only is bundled by the packbuilder, and restores") {
  wstest::TempDir dir("ws-git-bundle");
  git_sh("git init -q -b main loose && cd loose && printf 'a\\n' > a && head -c 3000 /dev/urandom > b.bin && "
         "git add -A && git commit -q -m one && printf 'b\\n' >> a && git commit -q -am two && "
         "git tag -a t -m t && git checkout -q -b side && printf 'c\\n' > c && git add c && git commit -q -m three",
         dir.path());
  REQUIRE(git_sh("ls .git/objects/pack", dir / "loose").empty());
  auto b = ws::git::backup_repo({dir / "loose", dir / "state", {}, false}, ws::Logger());
  REQUIRE_MESSAGE(b.ok(), b.error().message);
  const std::string bundle = (dir / "state" / "repo.bundle").string();
  git_sh("git bundle verify -q '" + bundle + "'", dir / "loose");
  CHECK(git_sh("git bundle list-heads '" + bundle + "' | sort", dir / "loose") == refs_with_head(dir / "loose"));
  ws::git::RestoreOptions opts;
  opts.state_dir = dir / "state";
  opts.repo = dir / "restored";
  opts.remote_url = "file://" + (dir / "loose").string();
  auto r = ws::git::restore_repo(opts, ws::Logger());
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  CHECK(git_sh("git rev-parse side main t", dir / "restored") == git_sh("git rev-parse side main t", dir / "loose"));
}

TEST_CASE("an amended-away commit and its files stay out of the bundle") {
  BundleCase c;
  git_sh("printf 'do-not-upload-4711\\n' > secret.txt && git add secret.txt && git commit -q -m oops && "
         "git rm -q --cached secret.txt && rm secret.txt && printf 'ok\\n' > fine.txt && git add fine.txt && git commit -q --amend -m fixed",
         c.work);
  const std::string blob = git_sh("printf 'do-not-upload-4711\\n' | git hash-object --stdin", c.work).substr(0, 40);
  git_sh("git cat-file -e " + blob, c.work);  // still in the repository, loose
  auto b = ws::git::backup_repo({c.work, c.state, {}, false}, ws::Logger());
  REQUIRE_MESSAGE(b.ok(), b.error().message);
  git_sh("git init -q -b x probe && cd probe && git fetch -q '" + (c.state / "repo.bundle").string() +
         "' '+refs/heads/*:refs/heads/*'", c.dir.path());
  CHECK(wstest::sh("git cat-file -e " + blob, c.dir / "probe").exit_code != 0);
  CHECK(git_sh("git rev-parse topic", c.dir / "probe") == git_sh("git rev-parse topic", c.work));
}

// `ambient-workspace repo clone|backup|restore`: the git layer from the CLI.
#include <doctest/doctest.h>

#include "git_fixture.hpp"

using wsgit::git_sh;
namespace fs = std::filesystem;

namespace {

wstest::CommandResult cli(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {(wstest::build_root() / "examples/ambient-workspace/ambient-workspace").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return wstest::run(argv);
}

}  // namespace

TEST_CASE("repo clone, backup and restore round-trip from the command line") {
  wstest::TempDir dir("ws-git-cli");
  const std::string origin = wsgit::make_origin(dir.path());
  auto cloned = cli({"repo", "clone", origin, (dir / "work").string(), "--branch", "feature"});
  REQUIRE_MESSAGE(cloned.exit_code == 0, cloned.err);
  CHECK(cloned.out.find(" feature\n") != std::string::npos);
  git_sh("printf 'x\\n' >> README.md && git add README.md && printf 'u\\n' > 'un tracked.txt'", dir / "work");

  auto first = cli({"repo", "backup", (dir / "work").string(), (dir / "state").string()});
  REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  CHECK(first.out == "written\n");
  auto second = cli({"repo", "backup", (dir / "work").string(), (dir / "state").string()});
  CHECK(second.out == "unchanged\n");
  auto forced = cli({"repo", "backup", "--force", (dir / "work").string(), (dir / "state").string()});
  CHECK(forced.out == "written\n");

  auto restored = cli({"repo", "restore", (dir / "state").string(), (dir / "restored").string(),
                       "--remote-url", origin});
  REQUIRE_MESSAGE(restored.exit_code == 0, restored.err);
  const auto a = wsgit::snapshot(dir / "work");
  const auto b = wsgit::snapshot(dir / "restored");
  CHECK_MESSAGE(a == b, wsgit::describe_difference(a, b));
}

TEST_CASE("repo commands explain themselves and refuse bad usage with exit code 2") {
  for (const char* cmd : {"clone", "backup", "restore"}) {
    auto help = cli({"repo", cmd, "--help"});
    CHECK(help.exit_code == 0);
    CHECK(help.out.find(std::string("usage: ambient-workspace repo ") + cmd) != std::string::npos);
    auto bad = cli({"repo", cmd});
    CHECK(bad.exit_code == 2);
  }
}

TEST_CASE("a failed clone names the class of failure and exits 1") {
  wstest::TempDir dir("ws-git-cli");
  auto r = cli({"repo", "clone", "file://" + (dir / "nope.git").string(), (dir / "x").string()});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("not found") != std::string::npos);
}

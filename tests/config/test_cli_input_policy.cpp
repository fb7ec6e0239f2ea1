// behaviour §1 "Input policy" through the CLI: odd but plausible values start
// with a warning on stderr (exit 0, and hydrate's and the sidecar's logs
// carry it); garbage exits 2 with a message naming the variable.
#include <doctest/doctest.h>

#include <signal.h>

#include <thread>

#include "cli_runner.hpp"

using spectest::run_cli;

namespace {

bool has_warning(const std::string& log, std::string_view event, std::string_view message) {
  return log.find(std::string(R"("level":"warn","event":")") + std::string(event) +
                  R"(","message":")" + std::string(message) + "\"") != std::string::npos;
}

}  // namespace

TEST_CASE("repos-json skips an item without url, warning with its index") {
  const auto r = run_cli({"repos-json"}, {{"LOG_FORMAT", "json"},
                                          {"REPOS_JSON", R"([{"url":"https://h/o/a"},{"branch":"x"}])"}});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "[{\"url\":\"https://h/o/a\"}]\n");
  CHECK(has_warning(r.err, "config.repo_without_url", R"(REPOS_JSON[1] has no \"url\": skipped)"));
}

TEST_CASE("repos-json clones a repeated URL once, warning") {
  const auto r = run_cli({"repos-json", "--repos", R"([{"url":"https://h/o/a"},{"url":"https://h/o/a.git"}])"},
                         {{"LOG_FORMAT", "json"}});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "[{\"url\":\"https://h/o/a\"}]\n");
  CHECK(r.err.find("config.repo_duplicate") != std::string::npos);
}

TEST_CASE("repos-json reads null and [] as no repos; Repos of [] falls back to RepoURL") {
  CHECK(run_cli({"repos-json"}, {{"REPOS_JSON", "null"}}).out == "[]\n");
  CHECK(run_cli({"repos-json"}, {{"REPOS_JSON", "[]"}}).out == "[]\n");
  const auto r = run_cli({"repos-json", "--repos", "[]", "--repo-url", "https://h/o/x"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "[{\"url\":\"https://h/o/x\"}]\n");
}

TEST_CASE("repos-json exits 2 naming REPOS_JSON on a JSON syntax error") {
  const auto r = run_cli({"repos-json"}, {{"REPOS_JSON", R"([{"url":"https://h/o/a"})"}});
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("ambient-workspace: REPOS_JSON is not valid JSON", 0) == 0);
}

TEST_CASE("a repo name that would escape repos/ exits 2 naming the variable") {
  const auto r = run_cli({"env", "--resolved"}, {{"REPOS_JSON", R"([{"url":"https://h/o/.."}])"}});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "ambient-workspace: REPOS_JSON[0]: repo URL 'https://h/o/..' gives no usable "
                 "directory name (got '..')\n");
}

TEST_CASE("an absolute RUNNER_STATE_DIR exits 2 naming the variable") {
  const auto r = run_cli({"env", "--resolved"}, {{"RUNNER_STATE_DIR", "/etc"}});
  CHECK(r.exit_code == 2);
  CHECK(r.err.rfind("ambient-workspace: RUNNER_STATE_DIR '/etc' must be relative", 0) == 0);
}

TEST_CASE("env --resolved accepts a null workflow and a leading / in its path, warning") {
  const auto r = run_cli({"env", "--resolved"}, {{"LOG_FORMAT", "json"},
                                                 {"ACTIVE_WORKFLOW_GIT_URL", "https://h/o/wf"},
                                                 {"ACTIVE_WORKFLOW_PATH", "/flows/a"}});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("ACTIVE_WORKFLOW_PATH=flows/a\n") != std::string::npos);
  CHECK(r.err.find("config.workflow_path_absolute") != std::string::npos);
  const auto none = run_cli({"env", "--resolved"}, {{"LOG_FORMAT", "json"}, {"ACTIVE_WORKFLOW_GIT_URL", "null"}});
  CHECK(none.exit_code == 0);
  CHECK(none.out.find("ACTIVE_WORKFLOW_GIT_URL=\n") != std::string::npos);
  CHECK(has_warning(none.err, "config.workflow_null", "ACTIVE_WORKFLOW_GIT_URL is 'null': no workflow"));
}

TEST_CASE("hydrate starts on odd input and its log carries the warnings") {
  wstest::TempDir root;
  const auto r = run_cli({"hydrate"}, {{"LOG_FORMAT", "json"},
                                       {"WORKSPACE_ROOT", root.path().string()},
                                       {"REPOS_JSON", R"([{"branch":"main"}])"},
                                       {"ACTIVE_WORKFLOW_GIT_URL", "null"}});
  CHECK(r.exit_code == 0);
  CHECK(has_warning(r.err, "config.repo_without_url", R"(REPOS_JSON[0] has no \"url\": skipped)"));
  CHECK(has_warning(r.err, "config.workflow_null", "ACTIVE_WORKFLOW_GIT_URL is 'null': no workflow"));
}

TEST_CASE("hydrate exits 2 on garbage, naming the variable") {
  wstest::TempDir root;
  const auto r = run_cli({"hydrate"}, {{"WORKSPACE_ROOT", root.path().string()}, {"RUNNER_STATE_DIR", "a/../.."}});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "ambient-workspace: RUNNER_STATE_DIR 'a/../..' must not contain '..'\n");
}

TEST_CASE("the sidecar's log carries the warnings when it starts") {
  wstest::TempDir root;
  const auto log = root / "sync.log";
  wstest::Child sync({spectest::cli(), "sync"}, {},
                     spectest::session_env({{"LOG_FORMAT", "json"},
                                            {"WORKSPACE_ROOT", root.path().string()},
                                            {"ACTIVE_WORKFLOW_PATH", "/x"},
                                            {"ACTIVE_WORKFLOW_GIT_URL", "https://h/o/wf"}}),
                     log);
  bool seen = false;
  for (int i = 0; i < 200 && !seen; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    seen = std::filesystem::exists(log) && wstest::read_file(log).find("config.workflow_path_absolute") != std::string::npos;
  }
  CHECK(seen);
  sync.signal(SIGTERM);
  CHECK(sync.wait() == 0);
}

TEST_CASE("the sidecar exits 2 on a number out of range, naming the variable") {
  wstest::TempDir root;
  const auto interval = run_cli({"sync"}, {{"WORKSPACE_ROOT", root.path().string()}, {"SYNC_INTERVAL", "9223372037"}});
  CHECK(interval.exit_code == 2);
  CHECK(interval.err == "ambient-workspace: SYNC_INTERVAL must be between 1 and 86400, got 9223372037\n");
  const auto delay = run_cli({"sync"}, {{"WORKSPACE_ROOT", root.path().string()},
                                        {"SYNC_INITIAL_DELAY", "18446744073709551615"}});
  CHECK(delay.exit_code == 2);
  CHECK(delay.err == "ambient-workspace: SYNC_INITIAL_DELAY must be between 0 and 86400, got "
                     "18446744073709551615\n");
}

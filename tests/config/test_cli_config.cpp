// The CLI's spec commands as a user runs them: exit codes (0 ok, 2 bad
// input) and the messages on stderr.
#include <doctest/doctest.h>

#include "cli_runner.hpp"

using spectest::run_cli;

TEST_CASE("repos-json normalises REPOS_JSON") {
  const auto r = run_cli({"repos-json"}, {{"REPOS_JSON", R"([ {"branch":"dev", "url":"https://h/o/a.git"} ])"}});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "[{\"url\":\"https://h/o/a.git\",\"branch\":\"dev\"}]\n");
}

TEST_CASE("repos-json without input prints an empty list") {
  const auto r = run_cli({"repos-json"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "[]\n");
}

TEST_CASE("repos-json --with-names adds the directory names") {
  const auto r = run_cli({"repos-json", "--repo-url", "git@github.com:o/tool.git", "--with-names"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "[{\"url\":\"git@github.com:o/tool.git\",\"name\":\"tool\"}]\n");
}

TEST_CASE("repos-json --repos wins over --repo-url") {
  const auto r = run_cli({"repos-json", "--repo-url", "https://h/o/one", "--repos=[{\"url\":\"https://h/o/two\"}]"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "[{\"url\":\"https://h/o/two\"}]\n");
}

TEST_CASE("repos-json exits 2 naming the bad item") {
  const auto r = run_cli({"repos-json"}, {{"REPOS_JSON", R"([{"url":"https://h/o/a"},"https://h/o/b"])"}});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err == "ambient-workspace: REPOS_JSON[1] must be an object {\"url\": ...}, got a string\n");
}

TEST_CASE("repos-json exits 2 on duplicate names without echoing credentials") {
  const auto r = run_cli({"repos-json", "--repos", R"([{"url":"https://x:tok9@h/a/r"},{"url":"https://h/b/r"}])"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "ambient-workspace: Repos: repos 'https://h/a/r' and 'https://h/b/r' would both be "
                 "cloned into repos/r\n");
}

TEST_CASE("an unknown option is a usage error") {
  const auto r = run_cli({"repos-json", "--url", "x"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "ambient-workspace: unknown option '--url' for 'repos-json' (see --help)\n");
}

TEST_CASE("pod-plan reads the session from stdin and prints the plan") {
  const auto r = run_cli({"pod-plan", "--image", "registry.local/sync:1"}, {},
                         R"({"name":"s1","namespace":"proj","RepoURL":"https://h/o/app"})");
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind(R"({"initHydrate":true,"stateSync":false,)", 0) == 0);
  CHECK(r.out.find(R"("image":"registry.local/sync:1")") != std::string::npos);
}

TEST_CASE("pod-plan reads session and settings files") {
  wstest::TempDir dir;
  wstest::write_file(dir / "session.json", R"({"name":"s1","namespace":"proj"})");
  wstest::write_file(dir / "settings.json",
                     R"({"sharedMinio":{"accessKey":"minio","secretKey":"minio123"},"runnerStateDir":".x"})");
  const auto r = run_cli({"pod-plan", "--file", (dir / "session.json").string(), "--settings-file",
                          (dir / "settings.json").string(), "--runner-state-dir", ".gemini"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find(R"("stateSync":true)") != std::string::npos);
  CHECK(r.out.find(R"("mountPath":"/app/.gemini","subPath":".gemini")") != std::string::npos);
}

TEST_CASE("pod-plan on incomplete storage settings plans no persistence, exit 0") {
  const auto r = run_cli({"pod-plan", "--settings", R"({"projectStorage":{"storageMode":"custom"}})"}, {},
                         R"({"name":"s1","namespace":"proj"})");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find(R"("stateSync":false)") != std::string::npos);
  CHECK(r.out.find(R"({"type":"S3Available","status":"False","reason":"NotConfigured")") != std::string::npos);
}

TEST_CASE("pod-plan exits 2 on a session that is not JSON") {
  const auto r = run_cli({"pod-plan"}, {}, "name: s1\n");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "ambient-workspace: session is not valid JSON (at byte 0): syntax error\n");
}

TEST_CASE("pod-plan exits 2 on a missing session file") {
  const auto r = run_cli({"pod-plan", "--file", "/nonexistent/session.json"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "ambient-workspace: cannot read session file '/nonexistent/session.json'\n");
}

TEST_CASE("pod-plan refuses --settings together with --settings-file") {
  const auto r = run_cli({"pod-plan", "--settings", "{}", "--settings-file", "x"}, {}, "{}");
  CHECK(r.exit_code == 2);
  CHECK(r.err == "ambient-workspace: --settings and --settings-file exclude each other\n");
}

TEST_CASE("env --markdown prints exactly the table README carries") {
  const auto r = run_cli({"env", "--markdown"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == ws::config::env_table_markdown());
}

TEST_CASE("env lists every variable with its default") {
  const auto r = run_cli({"env"});
  CHECK(r.exit_code == 0);
  for (const auto& v : ws::config::kEnvVars) CHECK(r.out.find(std::string(v.name) + "  (") != std::string::npos);
  CHECK(r.out.find("SYNC_INTERVAL  (default: 60; read by sync)\n") != std::string::npos);
}

TEST_CASE("env --resolved masks secrets and strips URL credentials") {
  const auto r = run_cli({"env", "--resolved"},
                         {{"GITHUB_TOKEN", "ghp_0123456789abcdef"},
                          {"REPOS_JSON", R"([{"url":"https://u:pw@h/o/a"}])"},
                          {"SESSION_NAME", "s_1"}});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("0123456789") == std::string::npos);
  CHECK(r.out.find("pw@") == std::string::npos);
  CHECK(r.out.find("REPOS_JSON=[{\"url\":\"https://h/o/a\"}]\n") != std::string::npos);
  CHECK(r.out.find("SESSION_NAME=s1\n") != std::string::npos);
}

TEST_CASE("env --resolved exits 2 naming an invalid variable") {
  const auto r = run_cli({"env", "--resolved"}, {{"RUNNER_STATE_DIR", "../x"}});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "ambient-workspace: RUNNER_STATE_DIR '../x' must not contain '..'\n");
}

TEST_CASE("--help of each spec command teaches with examples") {
  for (const char* cmd : {"repos-json", "pod-plan", "env"}) {
    const auto r = run_cli({cmd, "--help"});
    CHECK(r.exit_code == 0);
    CHECK(r.out.rfind(std::string("usage: ambient-workspace ") + cmd, 0) == 0);
    CHECK(r.out.find("examples:") != std::string::npos);
  }
}

TEST_CASE("env refuses --markdown together with --resolved") {
  const auto r = run_cli({"env", "--markdown", "--resolved"});
  CHECK(r.exit_code == 2);
  CHECK(r.err == "ambient-workspace: --markdown and --resolved exclude each other\n");
}

#include <doctest/doctest.h>

#include <cstdlib>
#include <map>

#include "config/config.hpp"
#include "config/env_table.hpp"

using ws::Errc;
using ws::config::EnvSource;
using ws::config::load_config;

namespace {

ws::config::Config load(std::map<std::string, std::string, std::less<>> vars) {
  auto r = load_config(EnvSource(std::move(vars)));
  REQUIRE_MESSAGE(r.ok(), r.error().message);
  return std::move(r).value();
}

std::string error_of(std::map<std::string, std::string, std::less<>> vars) {
  auto r = load_config(EnvSource(std::move(vars)));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == Errc::invalid_input);
  return r.error().message;
}

}  // namespace

TEST_CASE("an empty environment gives the documented defaults") {
  const auto c = load({});
  CHECK(c.session == "unknown");
  CHECK(c.namespace_name == "default");
  CHECK(c.project == "default");
  CHECK(c.repos.empty());
  CHECK_FALSE(c.workflow.has_value());
  CHECK(c.s3.endpoint == "http://minio.ambient-code.svc:9000");
  CHECK(c.s3.bucket == "ambient-sessions");
  CHECK(c.s3.region == "us-east-1");
  CHECK(c.runner_state_dir == ".claude");
  CHECK(c.workspace_root == "/workspace");
  CHECK(c.state_dir() == "/workspace/.claude");
  CHECK(c.sync_initial_delay == std::chrono::seconds(30));
  CHECK(c.sync_interval == std::chrono::seconds(60));
  CHECK(c.max_sync_size == 1073741824u);
  CHECK(c.repo_backup_interval == 5u);
  CHECK(c.log_format == ws::config::LogFormat::text);
  CHECK(c.service_account_token_file == "/var/run/secrets/kubernetes.io/serviceaccount/token");
}

TEST_CASE("every default in the loader comes from the env-var table") {
  const auto c = load({});
  CHECK(ws::config::find_env_var("SYNC_INTERVAL")->default_value == "60");
  CHECK(ws::config::find_env_var("S3_BUCKET")->default_value == c.s3.bucket);
  CHECK(ws::config::find_env_var("NO_SUCH_VARIABLE") == nullptr);
}

TEST_CASE("the env-var table marks tokens and keys as secret") {
  for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "BOT_TOKEN", "GITHUB_TOKEN",
                           "GITLAB_TOKEN"}) {
    CHECK_MESSAGE(ws::config::find_env_var(name)->secret, name);
  }
  CHECK_FALSE(ws::config::find_env_var("S3_ENDPOINT")->secret);
}

TEST_CASE("the markdown table has one row per variable") {
  const auto md = ws::config::env_table_markdown();
  CHECK(md.rfind("| Variable | Default | Read by | Meaning |\n|---|---|---|---|\n", 0) == 0);
  CHECK(md.find("| `SYNC_INTERVAL` | `60` | sync | sidecar: seconds between sync cycles (1 to 86400) |") !=
        std::string::npos);
  size_t rows = 0;
  for (char ch : md) rows += ch == '\n';
  CHECK(rows == ws::config::kEnvVars.size() + 2);
}

TEST_CASE("an empty value counts as unset, as the scripts' ${VAR:-default}") {
  const auto c = load({{"SESSION_NAME", ""}, {"SYNC_INTERVAL", ""}});
  CHECK(c.session == "unknown");
  CHECK(c.sync_interval == std::chrono::seconds(60));
}

TEST_CASE("session and namespace keep only [A-Za-z0-9-]") {
  const auto c = load({{"SESSION_NAME", "sess_1/../x y"}, {"NAMESPACE", "proj.é-a"}});
  CHECK(c.session == "sess1xy");
  CHECK(c.namespace_name == "proj-a");
  CHECK(c.session_prefix() == "proj-a/sess1xy/");
  CHECK(c.project == "proj-a");
}

TEST_CASE("PROJECT_NAME overrides the project used in API paths") {
  CHECK(load({{"NAMESPACE", "ns"}, {"PROJECT_NAME", "proj"}}).project == "proj");
}

TEST_CASE("a session name with nothing left after sanitising is refused") {
  CHECK(error_of({{"SESSION_NAME", "../"}}) ==
        "SESSION_NAME '../' has no character of [A-Za-z0-9-] to keep");
}

TEST_CASE("persistence is on only when endpoint, bucket and both keys are set") {
  CHECK_FALSE(load({}).persistence_enabled());
  CHECK_FALSE(load({{"AWS_ACCESS_KEY_ID", "k"}}).persistence_enabled());
  CHECK(load({{"AWS_ACCESS_KEY_ID", "k"}, {"AWS_SECRET_ACCESS_KEY", "s"}}).persistence_enabled());
}

TEST_CASE("REPOS_JSON is parsed into repo specs, errors naming the variable") {
  const auto c = load({{"REPOS_JSON", R"([{"url":"https://h/o/a","branch":"b"}])"}});
  REQUIRE(c.repos.size() == 1);
  CHECK(c.repos[0].name == "a");
  CHECK(error_of({{"REPOS_JSON", "[1"}}).rfind("REPOS_JSON is not valid JSON", 0) == 0);
}

TEST_CASE("the workflow defaults to branch main and is named after its URL") {
  const auto c = load({{"ACTIVE_WORKFLOW_GIT_URL", "https://h/o/workflows.git"},
                       {"ACTIVE_WORKFLOW_PATH", "./flows/spec-kit/"}});
  REQUIRE(c.workflow.has_value());
  CHECK(c.workflow->branch == "main");
  CHECK(c.workflow->path == "flows/spec-kit");
  CHECK(c.workflow->name == "workflows");
}

TEST_CASE("a workflow path leaving the clone is refused") {
  CHECK(error_of({{"ACTIVE_WORKFLOW_GIT_URL", "https://h/o/w"}, {"ACTIVE_WORKFLOW_PATH", "a/../../x"}}) ==
        "ACTIVE_WORKFLOW_PATH 'a/../../x' must not contain '..'");
  CHECK(error_of({{"ACTIVE_WORKFLOW_GIT_URL", "https://h/o/w"}, {"ACTIVE_WORKFLOW_PATH", "/../x"}}) ==
        "ACTIVE_WORKFLOW_PATH '../x' must not contain '..'");
}

TEST_CASE("a workflow path's leading / is dropped with a warning") {
  const auto c = load({{"ACTIVE_WORKFLOW_GIT_URL", "https://h/o/w"}, {"ACTIVE_WORKFLOW_PATH", "//flows/x"}});
  REQUIRE(c.workflow.has_value());
  CHECK(c.workflow->path == "flows/x");
  REQUIRE(c.warnings.size() == 1);
  CHECK(c.warnings[0].event == "config.workflow_path_absolute");
  CHECK(c.warnings[0].message ==
        "ACTIVE_WORKFLOW_PATH '//flows/x' starts with '/': taken relative to the workflow repository");
  CHECK(load({{"ACTIVE_WORKFLOW_GIT_URL", "https://h/o/w"}, {"ACTIVE_WORKFLOW_PATH", "/"}}).workflow->path == "");
}

TEST_CASE("a workflow URL of null means no workflow, with a warning") {
  const auto c = load({{"ACTIVE_WORKFLOW_GIT_URL", "null"}, {"ACTIVE_WORKFLOW_PATH", "x"}});
  CHECK_FALSE(c.workflow.has_value());
  REQUIRE(c.warnings.size() == 1);
  CHECK(c.warnings[0].event == "config.workflow_null");
  CHECK(c.warnings[0].message == "ACTIVE_WORKFLOW_GIT_URL is 'null': no workflow");
}

TEST_CASE("odd REPOS_JSON starts with warnings in the config, garbage names the variable") {
  const auto c = load({{"REPOS_JSON", R"([{"branch":"x"},{"url":"https://h/o/a"},{"url":"https://h/o/a"}])"}});
  REQUIRE(c.repos.size() == 1);
  REQUIRE(c.warnings.size() == 2);
  CHECK(c.warnings[0].message == R"(REPOS_JSON[0] has no "url": skipped)");
  CHECK(c.warnings[1].event == "config.repo_duplicate");
  CHECK(load({{"REPOS_JSON", "null"}}).repos.empty());
  CHECK(load({{"REPOS_JSON", "[]"}}).warnings.empty());
  CHECK(error_of({{"REPOS_JSON", "[{"}}).rfind("REPOS_JSON is not valid JSON", 0) == 0);
  CHECK(error_of({{"REPOS_JSON", R"([{"url":"https://h/o/.."}])"}}) ==
        "REPOS_JSON[0]: repo URL 'https://h/o/..' gives no usable directory name (got '..')");
}

TEST_CASE("an environment of plain values gives no warnings") {
  CHECK(load({{"REPOS_JSON", R"([{"url":"https://h/o/a"}])"},
              {"ACTIVE_WORKFLOW_GIT_URL", "https://h/o/w"},
              {"ACTIVE_WORKFLOW_PATH", "flows/x"}})
            .warnings.empty());
}

TEST_CASE("RUNNER_STATE_DIR is normalised") {
  CHECK(load({{"RUNNER_STATE_DIR", "./.gemini/"}}).runner_state_dir == ".gemini");
  CHECK(load({{"RUNNER_STATE_DIR", "state//agent"}}).runner_state_dir == "state/agent");
}

TEST_CASE("an absolute RUNNER_STATE_DIR is refused, naming the variable") {
  CHECK(error_of({{"RUNNER_STATE_DIR", "/etc"}}) ==
        "RUNNER_STATE_DIR '/etc' must be relative to the workspace, not an absolute path");
}

TEST_CASE("a RUNNER_STATE_DIR with .. is refused, naming the variable") {
  CHECK(error_of({{"RUNNER_STATE_DIR", ".claude/../../root"}}) ==
        "RUNNER_STATE_DIR '.claude/../../root' must not contain '..'");
}

TEST_CASE("a RUNNER_STATE_DIR naming the workspace itself is refused") {
  CHECK(error_of({{"RUNNER_STATE_DIR", "./"}}) == "RUNNER_STATE_DIR './' must name a sub-directory");
}

TEST_CASE("numbers are read as whole numbers with their minimum") {
  const auto c = load({{"SYNC_INTERVAL", "5"}, {"MAX_SYNC_SIZE", "1024"},
                       {"REPO_BACKUP_INTERVAL", "1"}, {"SYNC_INITIAL_DELAY", "0"}});
  CHECK(c.sync_interval == std::chrono::seconds(5));
  CHECK(c.max_sync_size == 1024u);
  CHECK(c.repo_backup_interval == 1u);
  CHECK(c.sync_initial_delay == std::chrono::seconds(0));
}

TEST_CASE("a number that is not a whole number is refused, naming the variable") {
  CHECK(error_of({{"SYNC_INTERVAL", "1m"}}) == "SYNC_INTERVAL must be a whole number, got '1m'");
  CHECK(error_of({{"MAX_SYNC_SIZE", "-1"}}).starts_with("MAX_SYNC_SIZE: '-1' is not a size: a number of bytes"));
  CHECK(error_of({{"SYNC_INTERVAL", " 5"}}) == "SYNC_INTERVAL must be a whole number, got ' 5'");
}

TEST_CASE("MAX_SYNC_SIZE reads the same sizes as --max-size: bytes, or rclone's binary suffixes") {
  CHECK(load({{"MAX_SYNC_SIZE", "1G"}}).max_sync_size == (uint64_t{1} << 30));
  CHECK(load({{"MAX_SYNC_SIZE", "500M"}}).max_sync_size == 500ull << 20);
  CHECK(load({{"MAX_SYNC_SIZE", "1.5Gi"}}).max_sync_size == 3ull << 29);
  CHECK(load({{"MAX_SYNC_SIZE", "2k"}}).max_sync_size == 2048u);
  CHECK(load({{"MAX_SYNC_SIZE", "7b"}}).max_sync_size == 7u);
  for (const char* bad : {"1X", "1 G", "G", "1e9", "0x10", "1.5.2G", "1GiBB"}) {
    CHECK_MESSAGE(error_of({{"MAX_SYNC_SIZE", bad}}).starts_with("MAX_SYNC_SIZE: '" + std::string(bad) +
                                                                  "' is not a size"),
                  bad);
  }
  CHECK(error_of({{"MAX_SYNC_SIZE", "2P"}}) == "MAX_SYNC_SIZE must be between 1 and 1125899906842624 bytes, got 2P");
  CHECK(error_of({{"MAX_SYNC_SIZE", "0"}}) == "MAX_SYNC_SIZE must be between 1 and 1125899906842624 bytes, got 0");
}

TEST_CASE("a number below its minimum is refused") {
  CHECK(error_of({{"SYNC_INTERVAL", "0"}}) == "SYNC_INTERVAL must be between 1 and 86400, got 0");
  CHECK(error_of({{"REPO_BACKUP_INTERVAL", "0"}}) == "REPO_BACKUP_INTERVAL must be between 1 and 1000000, got 0");
}

TEST_CASE("every number from the environment is range-checked, naming the variable") {
  // SYNC_INTERVAL=9223372037 overflowed the clock into a busy loop;
  // SYNC_INITIAL_DELAY=2^64-1 was logged as "first sync in -1 s".
  CHECK(error_of({{"SYNC_INTERVAL", "9223372037"}}) == "SYNC_INTERVAL must be between 1 and 86400, got 9223372037");
  CHECK(error_of({{"SYNC_INTERVAL", "86401"}}) == "SYNC_INTERVAL must be between 1 and 86400, got 86401");
  CHECK(error_of({{"SYNC_INITIAL_DELAY", "18446744073709551615"}}) ==
        "SYNC_INITIAL_DELAY must be between 0 and 86400, got 18446744073709551615");
  CHECK(error_of({{"SYNC_INITIAL_DELAY", "99999999999999999999999"}}) ==
        "SYNC_INITIAL_DELAY must be between 0 and 86400, got 99999999999999999999999");
  CHECK(error_of({{"MAX_SYNC_SIZE", "18446744073709551615"}}) ==
        "MAX_SYNC_SIZE must be between 1 and 1125899906842624 bytes, got 18446744073709551615");
  CHECK(error_of({{"REPO_BACKUP_INTERVAL", "4294967297"}}) ==
        "REPO_BACKUP_INTERVAL must be between 1 and 1000000, got 4294967297");
  const auto edge = load({{"SYNC_INTERVAL", "86400"}, {"SYNC_INITIAL_DELAY", "86400"},
                          {"MAX_SYNC_SIZE", "1125899906842624"}, {"REPO_BACKUP_INTERVAL", "1000000"}});
  CHECK(edge.sync_interval == std::chrono::hours(24));
  CHECK(edge.sync_initial_delay == std::chrono::hours(24));
  CHECK(edge.max_sync_size == 1125899906842624u);
  CHECK(edge.repo_backup_interval == 1000000u);
}

TEST_CASE("LOG_FORMAT is text or json") {
  CHECK(load({{"LOG_FORMAT", "json"}}).log_format == ws::config::LogFormat::json);
  CHECK(error_of({{"LOG_FORMAT", "yaml"}}) == "LOG_FORMAT must be 'text' or 'json', got 'yaml'");
}

TEST_CASE("URLs must be http(s)") {
  CHECK(error_of({{"BACKEND_API_URL", "minio:9000"}}) ==
        "BACKEND_API_URL must be an http:// or https:// URL, got 'minio:9000'");
  CHECK(error_of({{"AMBIENT_CP_TOKEN_URL", "ftp://cp/token"}}) ==
        "AMBIENT_CP_TOKEN_URL must be an http:// or https:// URL, got 'ftp://cp/token'");
}

TEST_CASE("S3_ENDPOINT is an http(s) URL or file:///abs/dir, the local-directory store") {
  CHECK(load({{"S3_ENDPOINT", "https://s3.example:9000"}}).s3.endpoint == "https://s3.example:9000");
  CHECK(load({{"S3_ENDPOINT", "file:///srv/objects"}}).s3.endpoint == "file:///srv/objects");
}

TEST_CASE("S3_ENDPOINT of another scheme is refused, naming the variable") {
  CHECK(error_of({{"S3_ENDPOINT", "minio:9000"}}) ==
        "S3_ENDPOINT must be an http://, https:// or file:/// URL, got 'minio:9000'");
  CHECK(error_of({{"S3_ENDPOINT", "ftp://objects/dir"}}) ==
        "S3_ENDPOINT must be an http://, https:// or file:/// URL, got 'ftp://objects/dir'");
  CHECK(error_of({{"S3_ENDPOINT", "/srv/objects"}}) ==
        "S3_ENDPOINT must be an http://, https:// or file:/// URL, got '/srv/objects'");
}

TEST_CASE("a file:// S3_ENDPOINT must name an absolute directory") {
  CHECK(error_of({{"S3_ENDPOINT", "file://srv/objects"}}) ==
        "S3_ENDPOINT must name an absolute directory as file:///abs/dir, got 'file://srv/objects'");
  CHECK(error_of({{"S3_ENDPOINT", "file://./objects"}}) ==
        "S3_ENDPOINT must name an absolute directory as file:///abs/dir, got 'file://./objects'");
  CHECK(error_of({{"S3_ENDPOINT", "file://"}}) ==
        "S3_ENDPOINT must name an absolute directory as file:///abs/dir, got 'file://'");
}

TEST_CASE("an S3_ENDPOINT with credentials is refused without echoing them") {
  CHECK(error_of({{"S3_ENDPOINT", "file://user:pa55@/srv/objects"}}) ==
        "S3_ENDPOINT must not carry credentials (userinfo) in the URL: 'file:///srv/objects'");
  CHECK(error_of({{"S3_ENDPOINT", "http://key:pa55@minio:9000"}}) ==
        "S3_ENDPOINT must not carry credentials (userinfo) in the URL: 'http://minio:9000'");
}

TEST_CASE("a URL with credentials is refused without echoing them") {
  const auto m = error_of({{"AMBIENT_CP_TOKEN_URL", "https://user:pa55@cp/token"}});
  CHECK(m == "AMBIENT_CP_TOKEN_URL must not carry credentials (userinfo) in the URL: 'https://cp/token'");
}

TEST_CASE("token host lists are split on commas, trimmed and lower-cased") {
  const auto c = load({{"GITHUB_HOSTS", " GHE.corp.example , ,git.example:8443"}});
  CHECK(c.github_hosts == std::vector<std::string>{"ghe.corp.example", "git.example:8443"});
  CHECK(c.gitlab_hosts.empty());
}

TEST_CASE("a trailing slash of WORKSPACE_ROOT is dropped") {
  CHECK(load({{"WORKSPACE_ROOT", "/tmp/ws/"}}).state_dir() == "/tmp/ws/.claude");
}

TEST_CASE("KEY=VALUE entries build a source; an entry without = is refused by position") {
  auto src = EnvSource::from_entries({"SESSION_NAME=s1", "EMPTY=", "WITH_EQ=a=b"});
  REQUIRE(src.ok());
  CHECK(src->get("SESSION_NAME") == "s1");
  CHECK_FALSE(src->get("EMPTY").has_value());
  CHECK(src->get("WITH_EQ") == "a=b");
  auto bad = EnvSource::from_entries({"A=1", "ghp_secret"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "environment entry #2 is not of the form KEY=VALUE");
}

TEST_CASE("the process environment can be the source") {
  setenv("WS_TEST_CONFIG_PROBE", "yes", 1);
  CHECK(EnvSource::from_process().get("WS_TEST_CONFIG_PROBE") == "yes");
}

TEST_CASE("resolved_env gives every table variable its resolved value, in table order") {
  const auto c = load({{"SESSION_NAME", "s_1"}, {"REPOS_JSON", R"([ {"url": "https://h/o/a"} ])"},
                       {"GITHUB_HOSTS", "A.example,b.example"}});
  const auto env = ws::config::resolved_env(c);
  REQUIRE(env.size() == ws::config::kEnvVars.size());
  std::map<std::string, std::string> by_name(env.begin(), env.end());
  CHECK(env.front().first == ws::config::kEnvVars.front().name);
  CHECK(by_name["SESSION_NAME"] == "s1");
  CHECK(by_name["REPOS_JSON"] == R"([{"url":"https://h/o/a"}])");
  CHECK(by_name["SYNC_INTERVAL"] == "60");
  CHECK(by_name["GITHUB_HOSTS"] == "a.example,b.example");
  CHECK(by_name["LOG_FORMAT"] == "text");
}

TEST_CASE("resolved_env covers every variable of the table") {
  const auto c = load({{"ACTIVE_WORKFLOW_GIT_URL", "https://h/o/w"}, {"AWS_ACCESS_KEY_ID", "k"},
                       {"AWS_SECRET_ACCESS_KEY", "s"}, {"BACKEND_API_URL", "http://b"},
                       {"BOT_TOKEN", "t"}, {"AMBIENT_CP_TOKEN_URL", "http://cp"},
                       {"AMBIENT_CP_TOKEN_PUBLIC_KEY", "pem"}, {"SESSION_ID", "id"},
                       {"GITHUB_TOKEN", "g"}, {"GITLAB_TOKEN", "l"}, {"GITLAB_HOSTS", "x"}, {"GITHUB_HOSTS", "y"},
                       {"REPOS_JSON", R"([{"url":"https://h/o/a"}])"}});
  for (const auto& [name, value] : ws::config::resolved_env(c)) {
    if (name == "ACTIVE_WORKFLOW_PATH") continue;  // "" means the whole repo
    CHECK_MESSAGE(!value.empty(), name);
  }
}

TEST_CASE("a workflow URL without a usable name is refused, naming the variable") {
  CHECK(error_of({{"ACTIVE_WORKFLOW_GIT_URL", "https://h/"}}) ==
        "ACTIVE_WORKFLOW_GIT_URL: repo URL 'https://h/' gives no usable directory name (got '')");
}

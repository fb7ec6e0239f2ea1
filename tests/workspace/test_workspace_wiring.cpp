// From the environment to the behaviour: the `ambient-workspace` CLI runs as
// a child process with the pod's variables, and what it did is read from the
// outside (s3rver's objects, the requests a proxy in front of it saw, the
// JSON log lines, the workspace). Inner functions are tested with hand-set
// values elsewhere; these cases check the path from the variable to them.
#include <doctest/doctest.h>
#include <signal.h>

#include <boost/json.hpp>

#include <atomic>
#include <fstream>
#include <thread>

#include "beast_server.hpp"
#include "fault_proxy.hpp"
#include "s3rver.hpp"
#include "store/store.hpp"
#include "workspace_fixture.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr const char* kBucket = "ambient-sessions";

fs::path cli_path() { return wstest::build_root() / "examples" / "ambient-workspace" / "ambient-workspace"; }

wstest::EnvChanges cli_env(const fs::path& root, const std::string& endpoint) {
  wstest::EnvChanges env = {{"WORKSPACE_ROOT", root.string()}, {"SESSION_NAME", "sess-1"}, {"NAMESPACE", "proj"},
                            {"S3_ENDPOINT", endpoint},         {"S3_BUCKET", kBucket},
                            {"AWS_ACCESS_KEY_ID", "S3RVER"},   {"AWS_SECRET_ACCESS_KEY", "S3RVER"},
                            {"LOG_FORMAT", "json"},            {"SYNC_INITIAL_DELAY", "0"},
                            {"AWS_CA_BUNDLE", std::nullopt}};
  // Nothing of the machine's own session may leak into the child.
  for (const char* var : {"REPOS_JSON", "GITHUB_TOKEN", "GITLAB_TOKEN", "BOT_TOKEN", "BACKEND_API_URL",
                          "AMBIENT_CP_TOKEN_URL", "AMBIENT_CP_TOKEN_PUBLIC_KEY", "SESSION_ID", "GITHUB_HOSTS",
                          "ACTIVE_WORKFLOW_GIT_URL", "ACTIVE_WORKFLOW_PATH", "MAX_SYNC_SIZE",
                          "REPO_BACKUP_INTERVAL", "SYNC_INTERVAL"}) {
    env[var] = std::nullopt;
  }
  return env;
}

wstest::CommandResult cli(const std::vector<std::string>& args, const wstest::EnvChanges& env) {
  std::vector<std::string> argv = {cli_path().string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return wstest::run(argv, {}, env);
}

// Every line of a LOG_FORMAT=json log, each of which must be a JSON object.
std::vector<boost::json::object> json_lines(const std::string& log) {
  std::vector<boost::json::object> out;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    INFO(line);
    REQUIRE_FALSE(ec);
    REQUIRE(v.is_object());
    out.push_back(v.as_object());
  }
  return out;
}

std::string field(const boost::json::object& o, const char* name) {
  const auto* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

// The messages of `event`, in order.
std::vector<std::string> messages(const std::vector<boost::json::object>& log, const std::string& event) {
  std::vector<std::string> out;
  for (const auto& o : log) {
    if (field(o, "event") == event) out.push_back(field(o, "message"));
  }
  return out;
}

std::vector<std::string> stored_keys(const wstest::S3rver& s3, const std::string& prefix) {
  ws::store::StoreConfig sc;
  sc.endpoint = s3.endpoint();
  sc.bucket = kBucket;
  sc.access_key = wstest::S3rver::kAccessKey;
  sc.secret_key = wstest::S3rver::kSecretKey;
  auto store = ws::store::open_store(sc);
  REQUIRE(store);
  auto listed = (*store)->list(prefix);
  REQUIRE(listed);
  std::vector<std::string> keys;
  for (const auto& o : *listed) keys.push_back(o.key.substr(prefix.size()));
  return keys;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// Waits until `log_file` holds `count` lines of `event`.
bool wait_for_events(const fs::path& log_file, const std::string& event, size_t count,
                     std::chrono::seconds timeout = 60s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const std::string needle = "\"event\":\"" + event + "\"";
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(log_file)) {
      const std::string text = wstest::read_file(log_file);
      size_t n = 0;
      for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
      if (n >= count) return true;
    }
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

}  // namespace

TEST_CASE("MAX_SYNC_SIZE: a file above it is skipped with a warning, and larger trees are warned about") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  auto env = cli_env(tmp / "ws", s3.endpoint());
  REQUIRE(cli({"hydrate"}, env).exit_code == 0);
  env["MAX_SYNC_SIZE"] = "100000";

  SUBCASE("one file above the limit is not uploaded; the others are") {
    wstest::write_file(tmp / "ws" / "artifacts" / "small.txt", "small");
    wstest::write_file(tmp / "ws" / "artifacts" / "big.bin", std::string(150000, 'b'));
    const auto r = cli({"sync", "--once"}, env);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    const auto keys = stored_keys(s3, "proj/sess-1/");
    CHECK(contains(keys, "artifacts/small.txt"));
    CHECK_FALSE(contains(keys, "artifacts/big.bin"));
    const auto skipped = messages(json_lines(r.err), "sync.skipped");
    REQUIRE(skipped.size() == 1);
    CHECK(skipped[0].find("big.bin") != std::string::npos);
  }
  SUBCASE("files each below the limit are all uploaded, with a warning that the trees exceed it") {
    for (int i = 0; i < 3; ++i) {
      wstest::write_file(tmp / "ws" / "artifacts" / ("part" + std::to_string(i)), std::string(40000, 'p'));
    }
    const auto r = cli({"sync", "--once"}, env);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    const auto keys = stored_keys(s3, "proj/sess-1/");
    for (int i = 0; i < 3; ++i) CHECK(contains(keys, "artifacts/part" + std::to_string(i)));
    const auto log = json_lines(r.err);
    CHECK(messages(log, "sync.skipped").empty());
    const auto too_large = messages(log, "sync.too_large");
    REQUIRE(too_large.size() == 1);
    CHECK(too_large[0].find("120000 bytes, more than MAX_SYNC_SIZE (100000)") != std::string::npos);
  }
}

TEST_CASE("REPO_BACKUP_INTERVAL: the sidecar backs repos up on cycles 1, 1+N, 1+2N, ... and on the final one") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto app = wsws::make_origin(tmp / "origins", "app");
  const fs::path repo = tmp / "ws" / "repos" / "app";
  std::atomic<int> patch_uploads{0};
  std::atomic<int> cycles_ended{0};
  wstest::FaultProxy proxy(s3.endpoint(), [&](const wstest::HttpRequest& r) -> std::optional<wstest::HttpReply> {
    if (r.method != "PUT") return std::nullopt;
    if (r.path() == std::string("/") + kBucket + "/proj/sess-1/repo-state/app/uncommitted.patch") ++patch_uploads;
    // A cycle's last write: change the repo, so every backup has something new to upload.
    if (r.path() == std::string("/") + kBucket + "/proj/sess-1/metadata.json") {
      std::ofstream(repo / "README.md", std::ios::app) << "cycle " << ++cycles_ended << "\n";
    }
    return std::nullopt;
  });
  auto env = cli_env(tmp / "ws", proxy.endpoint());
  env["REPOS_JSON"] = "[{\"url\":\"" + app + "\"}]";
  REQUIRE(cli({"hydrate"}, env).exit_code == 0);
  env["SYNC_INTERVAL"] = "1";
  env["REPO_BACKUP_INTERVAL"] = "3";

  const fs::path log_file = tmp / "sidecar.log";
  wstest::Child sidecar({cli_path().string(), "sync"}, {}, env, log_file);
  // Five cycles; the signal then falls in the pause before the sixth.
  REQUIRE(wait_for_events(log_file, "sync.cycle", 5));
  sidecar.signal(SIGTERM);
  REQUIRE(sidecar.wait(30s) == 0);
  const auto log = json_lines(wstest::read_file(log_file));
  INFO(wstest::read_file(log_file));
  const auto cycles = messages(log, "sync.cycle");
  REQUIRE(cycles.size() >= 6);
  int scheduled = 0;
  for (size_t i = 0; i < cycles.size(); ++i) {
    const bool final = i + 1 == cycles.size();
    const bool expected = final || i % 3 == 0;
    CAPTURE(i + 1);
    CHECK((cycles[i].find("(not scheduled)") == std::string::npos) == expected);
    if (expected) {
      ++scheduled;
      CHECK(cycles[i].find("repos: 1 backed up") != std::string::npos);
    }
  }
  CHECK(patch_uploads == scheduled);
}

TEST_CASE("by default the store is listed in full once every 10 cycles, hydrate's listing counting as the first") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  std::atomic<int> listings{0};
  wstest::FaultProxy proxy(s3.endpoint(), [&](const wstest::HttpRequest& r) -> std::optional<wstest::HttpReply> {
    if (r.method == "GET" && r.query().find("list-type=2") != std::string::npos &&
        r.query().find("prefix=proj%2Fsess-1%2F") != std::string::npos) {
      ++listings;
    }
    return std::nullopt;
  });
  const auto env = cli_env(tmp / "ws", proxy.endpoint());
  REQUIRE(cli({"hydrate"}, env).exit_code == 0);
  const int at_hydrate = listings;
  CHECK(at_hydrate > 0);
  wsws::agent_files(tmp / "ws", "v1");
  // Cycles 1-9 trust what hydrate listed and they uploaded; cycle 10 lists again.
  std::vector<int> per_cycle;
  for (int cycle = 1; cycle <= 10; ++cycle) {
    const int before = listings;
    const auto r = cli({"sync", "--once"}, env);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    per_cycle.push_back(listings - before);
  }
  std::string shown;
  for (const int n : per_cycle) shown += std::to_string(n) + " ";
  CAPTURE(shown);
  for (int cycle = 1; cycle <= 9; ++cycle) {
    CAPTURE(cycle);
    CHECK(per_cycle[cycle - 1] == 0);
  }
  CHECK(per_cycle[9] > 0);
}

TEST_CASE("hydrate's JSON log carries no secret, on success and on its error paths") {
  const std::string github_env = "ghp_ENVsecretWIRING0101";
  const std::string bot = "bot-SECRET-wiring-0202";
  const std::string service_account = "sa-SECRET-wiring-0303";
  const std::string issued = "cp-SECRET-issued-0404";
  const std::string fetched_github = "ghp_FETCHEDsecretWIRING0505";
  const std::string aws_secret = "aws-SECRET-wiring-0606";
  const std::vector<std::string> secrets = {github_env, bot, service_account, issued, fetched_github, aws_secret};

  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  wstest::write_file(tmp / "sa-token", service_account + "\n");
  // The platform echoes every bearer it is sent, in its errors too.
  wstest::BeastServer platform;
  std::atomic<bool> cp_refuses{false};
  platform.route("GET", "/token", [&](const wstest::HttpRequest& r) {
    if (cp_refuses) return wstest::HttpReply::json(401, "{\"error\":\"unknown " + r.header("authorization") + "\"}");
    return wstest::HttpReply::json(200, "{\"token\":\"" + issued + "\"}");
  });
  platform.route("GET", "/api/projects/proj/agentic-sessions/sess-1/credentials/github", [&](const wstest::HttpRequest& r) {
    if (r.header("authorization") != "Bearer " + issued) {
      return wstest::HttpReply::json(403, "{\"error\":\"refused " + r.header("authorization") + "\"}");
    }
    return wstest::HttpReply::json(200, "{\"token\":\"" + fetched_github + "\",\"userName\":\"octo\",\"email\":\"o@e\"}");
  });
  platform.route("GET", "/api/projects/proj/agentic-sessions/sess-1/credentials/gitlab", [&](const wstest::HttpRequest& r) {
    return wstest::HttpReply::text(500, "internal error handling " + r.header("authorization"));
  });
  // A git host over HTTPS with a certificate nobody trusts: clones fail after the token is in play.
  wstest::BeastServer git_host(wstest::TlsIdentity::self_signed_loopback());
  const std::string git_host_name = "127.0.0.1:" + std::to_string(git_host.port());

  const wstest::RefusingPort down;
  struct Scenario {
    const char* name;
    bool store_down, use_cp, cp_refuses, github_in_env;
    int exit_code;
  };
  // Failed clones: hydrate finishes, with losses (exit 3, not a failure).
  const Scenario scenarios[] = {
      {"CP issues a token, the backend a GitHub token; the clones fail", false, true, false, false, 3},
      {"the CP token endpoint refuses the service-account bearer", false, true, true, true, 3},
      {"no CP: BOT_TOKEN is refused by the backend", false, false, false, true, 3},
      {"the store is unreachable", true, true, false, true, 1},
  };
  int n = 0;
  for (const auto& s : scenarios) {
    CAPTURE(s.name);
    const fs::path root = tmp / ("ws" + std::to_string(++n));
    auto env = cli_env(root, s.store_down ? down.url() : s3.endpoint());
    env["AWS_SECRET_ACCESS_KEY"] = aws_secret;
    env["BACKEND_API_URL"] = platform.url("/api");
    env["BOT_TOKEN"] = bot;
    env["SERVICE_ACCOUNT_TOKEN_FILE"] = (tmp / "sa-token").string();
    if (s.use_cp) env["AMBIENT_CP_TOKEN_URL"] = platform.url("/token");
    if (s.github_in_env) env["GITHUB_TOKEN"] = github_env;
    env["GITHUB_HOSTS"] = git_host_name;
    env["REPOS_JSON"] = "[{\"url\":\"" + git_host.url("/org/app.git") + "\"},{\"url\":\"file://" +
                        (tmp / "missing.git").string() + "\"}]";
    env["ACTIVE_WORKFLOW_GIT_URL"] = git_host.url("/org/flows.git");
    cp_refuses = s.cp_refuses;

    const auto r = cli({"hydrate"}, env);
    INFO(r.err);
    CHECK(r.exit_code == s.exit_code);
    const auto log = json_lines(r.err);
    CHECK_FALSE(log.empty());
    for (const auto& secret : secrets) {
      CAPTURE(secret);
      CHECK(r.err.find(secret) == std::string::npos);
      CHECK(r.out.find(secret) == std::string::npos);
      for (const auto& o : log) CHECK(field(o, "message").find(secret) == std::string::npos);
      if (!fs::exists(root)) continue;
      for (const auto& e : fs::recursive_directory_iterator(root)) {
        if (!e.is_regular_file()) continue;
        CHECK_MESSAGE(wstest::read_file(e.path()).find(secret) == std::string::npos, e.path());
      }
    }
    if (s.store_down) CHECK_FALSE(messages(log, "hydrate.failed").empty());
    else CHECK(messages(log, "clone.failed").size() == 2);
  }
}

TEST_CASE("a workflow sub-path that leaves the clone is refused by hydrate, and nothing outside moves") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto flows = wsws::make_origin(tmp / "origins", "flows");
  wstest::write_file(tmp / "outside" / "loot.txt", "not the workflow's");

  SUBCASE("a '..' path is bad input: exit 2 naming ACTIVE_WORKFLOW_PATH") {
    auto env = cli_env(tmp / "ws", s3.endpoint());
    env["ACTIVE_WORKFLOW_GIT_URL"] = flows;
    env["ACTIVE_WORKFLOW_PATH"] = "src/../../outside";
    const auto r = cli({"hydrate"}, env);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("ACTIVE_WORKFLOW_PATH") != std::string::npos);
    CHECK_FALSE(fs::exists(tmp / "ws" / "workflows" / "flows"));
  }
  SUBCASE("a symlink in the repo leading out of it: a warning, and no workflow") {
    const auto linked = wsws::make_origin(tmp / "origins", "linked");
    wsws::git_sh("git clone -q " + linked + " seed && cd seed && ln -s '" + (tmp / "outside").string() + "' escape && "
                 "git add escape && git commit -qm link && git push -q origin HEAD:main",
                 tmp.path());
    auto env = cli_env(tmp / "ws", s3.endpoint());
    env["ACTIVE_WORKFLOW_GIT_URL"] = linked;
    env["ACTIVE_WORKFLOW_PATH"] = "escape";
    const auto r = cli({"hydrate"}, env);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    const auto failed = messages(json_lines(r.err), "workflow.failed");
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].find("workflow path 'escape' leaves the repository") != std::string::npos);
    CHECK_FALSE(fs::exists(tmp / "ws" / "workflows" / "linked"));
    CHECK(wstest::read_file(tmp / "outside" / "loot.txt") == "not the workflow's");
  }
}

TEST_CASE("a repo-state set damaged in the store: hydrate restores what is there, exits 3, and metadata.json says so") {
  wstest::S3rver s3({kBucket});
  wstest::TempDir tmp;
  const auto app = wsws::make_origin(tmp / "origins", "app");
  auto env = cli_env(tmp / "ws1", s3.endpoint());
  env["REPOS_JSON"] = "[{\"url\":\"" + app + "\"}]";
  REQUIRE(cli({"hydrate"}, env).exit_code == 0);
  wstest::write_file(tmp / "ws1" / "repos" / "app" / "README.md", "unstaged work\n");
  wstest::write_file(tmp / "ws1" / "artifacts" / "a.txt", "a");
  REQUIRE(cli({"sync", "--once"}, env).exit_code == 0);

  // Someone deletes the unstaged work from the store.
  ws::store::StoreConfig sc;
  sc.endpoint = s3.endpoint();
  sc.bucket = kBucket;
  sc.access_key = wstest::S3rver::kAccessKey;
  sc.secret_key = wstest::S3rver::kSecretKey;
  auto store = ws::store::open_store(sc);
  REQUIRE(store);
  REQUIRE((*store)->remove({"proj/sess-1/repo-state/app/uncommitted.patch"}));

  env["WORKSPACE_ROOT"] = (tmp / "ws2").string();
  const auto r = cli({"hydrate"}, env);
  INFO(r.err);
  CHECK(r.exit_code == 3);
  const auto log = json_lines(r.err);
  REQUIRE(messages(log, "repo_state.damaged").size() == 1);
  CHECK(messages(log, "repo_state.damaged")[0].find("uncommitted.patch missing") != std::string::npos);
  const auto done = messages(log, "hydrate.done");
  REQUIRE(done.size() == 1);
  CHECK(done[0].find("1 repo state(s) DAMAGED in the store, restored with losses") != std::string::npos);
  CHECK(fs::exists(tmp / "ws2" / "repos" / "app" / ".git"));  // the rest came back

  // The sidecar tells the platform.
  wstest::write_file(tmp / "ws2" / "artifacts" / "b.txt", "b");
  REQUIRE(cli({"sync", "--once", "--state-only"}, env).exit_code == 0);
  auto meta = (*store)->get_bytes("proj/sess-1/metadata.json");
  REQUIRE(meta);
  CHECK(meta->find("\"restoredWithLosses\":[\"app\"]") != std::string::npos);

  env["WORKSPACE_ROOT"] = (tmp / "ws3").string();
  CHECK(cli({"hydrate", "--allow-losses"}, env).exit_code == 0);
}

// `repos-json`, `pod-plan` and `env`: the spec layer from the shell. They
// read and print JSON or tables and touch neither network nor disk (except
// the files named by --file / --settings-file).
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <boost/json.hpp>

#include "cli.hpp"
#include "common/redact.hpp"
#include "config/config.hpp"
#include "config/env_table.hpp"
#include "config/json_fields.hpp"
#include "config/pod_plan.hpp"
#include "config/repo_spec.hpp"

namespace cli {
namespace {

namespace json = boost::json;

ws::Result<std::string> read_input(const std::optional<std::string>& path, std::string_view what) {
  if (!path || *path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(*path, std::ios::binary);
  if (!in) {
    return ws::Error(ws::Errc::invalid_input,
                     "cannot read " + std::string(what) + " file '" + *path + "'");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int run_repos_json(const Args& args) {
  const auto repo_url = args.value("--repo-url");
  const auto repos = args.value("--repos");
  ws::Result<std::vector<ws::config::RepoSpec>> parsed = std::vector<ws::config::RepoSpec>{};
  ws::config::InputWarnings warnings;
  if (repo_url || repos) {
    parsed = ws::config::repos_from_session(repo_url.value_or(""), repos.value_or(""), &warnings);
  } else if (auto env = ws::config::EnvSource::from_process().get("REPOS_JSON")) {
    parsed = ws::config::parse_repos_json(*env, "REPOS_JSON", &warnings);
  }
  if (!parsed) return report(parsed.error());
  ws::config::log_input_warnings(warnings, terminal_logger());
  std::cout << ws::config::repos_to_json(*parsed, args.flag("--with-names")) << "\n";
  return kExitOk;
}

// The settings object: --settings-file (or --settings), then each option
// overriding its field.
ws::Result<std::string> settings_json(const Args& args) {
  json::object settings;
  const auto inline_settings = args.value("--settings");
  const auto settings_file = args.value("--settings-file");
  if (inline_settings && settings_file) {
    return ws::Error(ws::Errc::invalid_input, "--settings and --settings-file exclude each other");
  }
  if (inline_settings || settings_file) {
    std::string text;
    if (inline_settings) {
      text = *inline_settings;
    } else {
      auto file = read_input(settings_file, "settings");
      if (!file) return std::move(file).error();
      text = std::move(*file);
    }
    auto parsed = ws::config::jsonf::parse_object(text, "settings");
    if (!parsed) return std::move(parsed).error();
    settings = std::move(*parsed);
  }
  const std::pair<const char*, const char*> overrides[] = {
      {"--image", "stateSyncImage"},          {"--image-pull-policy", "imagePullPolicy"},
      {"--backend-api-url", "backendApiUrl"}, {"--cp-token-url", "cpTokenUrl"},
      {"--runner-state-dir", "runnerStateDir"},
  };
  for (const auto& [option, field] : overrides) {
    if (auto v = args.value(option)) settings[field] = *v;
  }
  return json::serialize(settings);
}

int run_pod_plan(const Args& args) {
  auto session = read_input(args.value("--file"), "session");
  if (!session) return report(session.error());
  auto settings = settings_json(args);
  if (!settings) return report(settings.error());
  auto plan = ws::config::pod_plan_json(*session, *settings);
  if (!plan) return report(plan.error());
  std::cout << *plan << "\n";
  return kExitOk;
}

void print_table() {
  for (const auto& v : ws::config::kEnvVars) {
    std::cout << v.name << "  (";
    if (!v.default_value.empty()) std::cout << "default: " << v.default_value << "; ";
    std::cout << "read by " << ws::config::env_reader_name(v.read_by) << (v.secret ? "; secret" : "")
              << ")\n    " << v.meaning << "\n";
  }
}

// What this environment resolves to, safe to paste into a bug report:
// secrets masked, URLs (also inside REPOS_JSON) without userinfo.
int print_resolved() {
  auto config = ws::config::load_config(ws::config::EnvSource::from_process());
  if (!config) return report(config.error());
  ws::config::log_input_warnings(config->warnings, terminal_logger());
  auto repos = config->repos;
  for (auto& r : repos) r.url = ws::redact_url(r.url);
  for (const auto& [name, value] : ws::config::resolved_env(*config)) {
    std::cout << name << "=";
    if (ws::config::find_env_var(name)->secret) {
      std::cout << (value.empty() ? "" : ws::mask_secret(value));
    } else if (name == "REPOS_JSON") {
      std::cout << (repos.empty() ? "" : ws::config::repos_to_json(repos));
    } else {
      std::cout << ws::redact_url(value);
    }
    std::cout << "\n";
  }
  return kExitOk;
}

int run_env(const Args& args) {
  if (args.flag("--markdown") && args.flag("--resolved")) {
    return report(ws::Error(ws::Errc::invalid_input, "--markdown and --resolved exclude each other"));
  }
  if (args.flag("--resolved")) return print_resolved();
  if (args.flag("--markdown")) {
    std::cout << ws::config::env_table_markdown();
  } else {
    print_table();
  }
  return kExitOk;
}

}  // namespace

void add_spec_commands(std::vector<Command>& out) {
  out.push_back({"repos-json", "[--repo-url URL] [--repos JSON] [--with-names]",
                 "validate and normalise the session's repo list",
                 "Prints the repo list as canonical compact JSON: [{\"url\", \"branch\"?, \"autoPush\"?}].\n"
                 "With --repo-url/--repos it applies the CP session's rule (Repos when non-empty,\n"
                 "else RepoURL as one repo); otherwise it reads REPOS_JSON. --with-names adds the\n"
                 "directory each repo is cloned into under repos/.\n\n"
                 "examples:\n"
                 "  REPOS_JSON='[{\"url\":\"https://github.com/org/app.git\",\"branch\":\"dev\"}]' \\\n"
                 "    ambient-workspace repos-json --with-names\n"
                 "  ambient-workspace repos-json --repo-url git@github.com:org/app.git\n\n"
                 "Odd but plausible input is accepted with a warning on stderr: null (no repos),\n"
                 "an item without url (skipped), a repo listed twice (kept once). Exit 2 with a\n"
                 "message naming the item and field when the list is garbage (bad JSON with its\n"
                 "byte offset, an item that is not an object, two remotes cloned into one name).",
                 {{"--repo-url", "URL", "the session's RepoURL"},
                  {"--repos", "JSON", "the session's Repos (a JSON array); wins when non-empty"},
                  {"--with-names", "", "add each repo's directory name as \"name\""}},
                 run_repos_json});

  out.push_back({"pod-plan", "[--file SESSION.json] [--settings-file SETTINGS.json] [options]",
                 "print the init-hydrate / state-sync containers a session pod needs",
                 "Reads a CP session as JSON (stdin, or --file) and the CP's settings, and prints\n"
                 "the pod plan: {\"initHydrate\", \"stateSync\", \"storage\", \"initContainers\",\n"
                 "\"containers\", \"volumes\", \"workspaceMount\"}, containers as Kubernetes JSON.\n"
                 "Session: {\"name\", \"namespace\", \"project\"?, \"id\"?, \"RepoURL\"?, \"Repos\"?,\n"
                 "\"workflow\"?: {\"gitUrl\", \"branch\"?, \"path\"?}}. Settings fields: stateSyncImage,\n"
                 "imagePullPolicy, backendApiUrl, cpTokenUrl, cpTokenPublicKey, botToken,\n"
                 "runnerStateDir, projectStorage {storageMode, S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY,\n"
                 "S3_SECRET_KEY}, clusterStorage {endpoint, bucket, accessKey, secretKey},\n"
                 "sharedMinio {accessKey, secretKey}, githubHosts, gitlabHosts ([host[:port]] or\n"
                 "\"h1,h2\"), secretRefs {VAR: {name, key}}, env {VAR: value}.\n\n"
                 "examples:\n"
                 "  echo '{\"name\":\"s1\",\"namespace\":\"proj\",\"RepoURL\":\"https://github.com/o/r\"}' |\n"
                 "    ambient-workspace pod-plan --image quay.io/ambient_code/vteam_state_sync:latest\n"
                 "  ambient-workspace pod-plan --file session.json --settings-file settings.json | jq .\n\n"
                 "Incomplete S3 settings are not an error: the plan has no persistence and its\n"
                 "\"conditions\" carry S3Available=False with a reason; \"warnings\" lists the\n"
                 "fallbacks taken and odd session input accepted. Exit 2 with a message naming\n"
                 "the field at fault for garbage.",
                 {{"--file", "PATH", "the session JSON (default: stdin; '-' is stdin)"},
                  {"--settings-file", "PATH", "the settings JSON object"},
                  {"--settings", "JSON", "the settings JSON object, inline"},
                  {"--image", "IMAGE", "stateSyncImage (default quay.io/ambient_code/vteam_state_sync)"},
                  {"--image-pull-policy", "POLICY", "imagePullPolicy: Always, IfNotPresent or Never"},
                  {"--backend-api-url", "URL", "backendApiUrl"},
                  {"--cp-token-url", "URL", "cpTokenUrl"},
                  {"--runner-state-dir", "DIR", "runnerStateDir (default .claude)"}},
                 run_pod_plan});

  out.push_back({"env", "[--markdown | --resolved]", "list the environment variables the pod reads",
                 "Prints every variable hydrate and sync read, with default and meaning: the\n"
                 "single table the library loads from. --markdown prints README's table;\n"
                 "--resolved prints the values this environment resolves to (secrets masked),\n"
                 "or exits 2 naming the variable that is invalid.\n\n"
                 "examples:\n"
                 "  ambient-workspace env\n"
                 "  SESSION_NAME=s1 RUNNER_STATE_DIR=.gemini ambient-workspace env --resolved",
                 {{"--markdown", "", "print the table as GitHub markdown"},
                  {"--resolved", "", "print the resolved values of this environment"}},
                 run_env});
}

}  // namespace cli

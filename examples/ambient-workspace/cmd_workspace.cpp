// `hydrate` and `sync`: the drop-ins for the state-sync image's two scripts.
// Both read the session's environment (behaviour §1) through the spec layer's
// loader; nothing here reads a variable itself.
#include <cstdio>
#include <iostream>
#include <string>

#include "cli.hpp"
#include "config/config.hpp"
#include "config/env_source.hpp"
#include "config/env_table.hpp"
#include "workspace/signal_watch.hpp"
#include "workspace/workspace.hpp"

namespace cli {
namespace {

// The variables `who` reads, from the spec layer's table (the one source of
// truth), with their defaults; secrets are marked, never shown.
std::string env_help(ws::config::EnvReader who) {
  std::string out = "environment:\n";
  for (const auto& v : ws::config::kEnvVars) {
    if (!ws::config::reads(v.read_by, who)) continue;
    std::string left = "  " + std::string(v.name);
    left += std::string(left.size() < 32 ? 32 - left.size() : 1, ' ');
    out += left + std::string(v.meaning);
    if (!v.default_value.empty()) out += " (default: " + std::string(v.default_value) + ")";
    if (v.secret) out += " [secret]";
    out += "\n";
  }
  return out;
}

ws::Result<ws::config::Config> load_env_config() {
  return ws::config::load_config(ws::config::EnvSource::from_process());
}

int run_hydrate(const Args& args) {
  auto cfg = load_env_config();
  if (!cfg) return report(cfg.error());
  const auto log = terminal_logger(args.flag("--verbose"));
  auto r = ws::workspace::hydrate(*cfg, {}, log);
  if (!r) {
    log.error("hydrate.failed", "hydrate failed: " + r.error().message);
    return r.error().code == ws::Errc::invalid_input ? kExitUsage : kExitFailure;
  }
  return r->restored_with_losses() && !args.flag("--allow-losses") ? kExitLosses : kExitOk;
}

int run_sync(const Args& args) {
  const bool state_only = args.flag("--state-only");
  const bool repos_only = args.flag("--repos-only");
  if (state_only && repos_only) {
    return report(ws::Error(ws::Errc::invalid_input, "--state-only and --repos-only exclude each other"));
  }
  // Signals are blocked and watched before any other thread exists, so the
  // whole process inherits the mask and no work runs in a handler.
  ws::workspace::StopToken stop;
  std::unique_ptr<ws::workspace::SignalWatch> watch;
  if (!args.flag("--once")) {
    auto w = ws::workspace::SignalWatch::start(stop);
    if (!w) return report(w.error());
    watch = std::move(*w);
  }
  auto cfg = load_env_config();
  if (!cfg) return report(cfg.error());
  const auto log = terminal_logger(args.flag("--verbose"));
  if (args.flag("--once")) {
    auto engine = ws::workspace::SyncEngine::open(*cfg, {}, log);
    if (!engine) return report(engine.error());
    auto r = (*engine)->run_cycle(!state_only, ws::workspace::CycleOptions{!repos_only, !state_only});
    if (!r) {
      log.error("sync.failed", "sync failed: " + r.error().message);
      return kExitFailure;
    }
    return kExitOk;
  }
  auto st = ws::workspace::run_sidecar(*cfg, {}, stop, log,
                                       ws::workspace::CycleOptions{!repos_only, !state_only});
  return st ? kExitOk : kExitFailure;
}

}  // namespace

void add_workspace_commands(std::vector<Command>& out) {
  out.push_back(Command{
      "hydrate", "[--verbose]",
      "prepare the workspace: layout, restore state from S3, clone repos and workflow",
      "The init container's job (behaviour §3): create the workspace layout; with persistence on,\n"
      "check the bucket (exit 1 when it is unreachable or refuses us), download the state\n"
      "trees, clone every repo of REPOS_JSON (a failed clone is a warning naming auth,\n"
      "not-found or network), set up the workflow, then restore each saved repo's branches,\n"
      "staged and unstaged changes.\n\n"
      "Exit 3 when hydrate finished but something was not brought back: a failed clone,\n"
      "an object that would not download, a repo state that would not apply or that was\n"
      "damaged in the store (each warned about by name). --allow-losses makes that exit 0,\n"
      "as the pod plan's init container does: the pod must start.\n\n" +
          env_help(ws::config::EnvReader::hydrate),
      {{"--verbose", "", "also print debug lines"},
       {"--allow-losses", "", "exit 0 instead of 3 when something was not restored (the pod plan passes it)"}},
      run_hydrate});
  out.push_back(Command{
      "sync", "[--once] [--state-only | --repos-only] [--verbose]",
      "persist the workspace to S3: the sidecar loop, or one cycle with --once",
      "The sidecar's job (behaviour §5): after SYNC_INITIAL_DELAY seconds, every SYNC_INTERVAL\n"
      "seconds checkpoint SQLite databases in the state directory, back up every git repo\n"
      "under repos/ (every REPO_BACKUP_INTERVAL-th cycle), mirror the state directory,\n"
      "artifacts/ and file-uploads/ to S3 and write metadata.json. On SIGTERM or SIGINT: one\n"
      "last repo backup and sync, then exit 0. With persistence off it idles until signalled.\n\n" +
          env_help(ws::config::EnvReader::sync),
      {{"--once", "", "run one full cycle now (repo backup included) and exit"},
       {"--state-only", "", "sync the state trees only, never back up repos"},
       {"--repos-only", "", "back up the repos only, never sync the state trees"},
       {"--verbose", "", "also print debug lines"}},
      run_sync});
}

}  // namespace cli

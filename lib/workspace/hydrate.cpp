// Hydrate (behaviour §3), in the spec's order, except that the git side (clones,
// workflow, then Phase 2) runs while Phase 1 downloads: they share nothing,
// and Phase 2 needs only the clones. Only a broken store (bucket check, a
// tree that cannot be listed) fails it; every per-repo and per-object
// problem is a warning, because a pod without one repo or one file is more
// useful than no pod, as long as nothing is lost.
#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <system_error>
#include <thread>

#include "common/exception_guard.hpp"
#include "git/git.hpp"
#include "config/layout.hpp"
#include "store/object_key.hpp"
#include "sync/sync.hpp"
#include "workspace/engine_paths.hpp"
#include "workspace/git_access.hpp"
#include "workspace/kept_changes.hpp"
#include "workspace/layout.hpp"
#include "workspace/repo_state_set.hpp"
#include "workspace/runner_ownership.hpp"
#include "workspace/restore_losses.hpp"
#include "workspace/unrestored_keys.hpp"
#include "workspace/workspace.hpp"

namespace ws::workspace {
namespace fs = std::filesystem;
namespace L = config::layout;

namespace {

bool non_empty_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec) && !fs::is_empty(p, ec);
}

const char* clone_failure_kind(Errc c) {
  switch (c) {
    case Errc::auth: return "authentication failed";
    case Errc::not_found: return "repository or branch not found";
    case Errc::network: return "network error";
    default: return "clone failed";
  }
}

// Per-key failures worth another pass: a corrupt or cut download, a store
// hiccup. A name the filesystem refuses or a file/directory clash fails the
// same way every time.
bool worth_retrying(Errc c) {
  return c == Errc::protocol || c == Errc::network || c == Errc::store || c == Errc::auth ||
         c == Errc::internal;
}

constexpr int kDownloadPasses = 3;

// Phase 1 (behaviour §3 step 3). Only a tree that could not be listed fails it:
// an object that still fails after the retry passes is a loud warning and
// is recorded (unrestored_keys.hpp), so that the sidecar keeps it in the
// store: one bad object must neither keep the pod in Init nor be deleted
// by the next sync.
Status download_trees(store::Store& store, const config::Config& cfg, const fs::path& cache,
                      int parallel, const CancelToken* cancel, HydrateReport& report, const Logger& log) {
  const fs::path root(cfg.workspace_root);
  const std::string prefix = cfg.session_prefix();
  sync::CopyOptions co;
  co.parallel = parallel;
  co.state_db = cache / "sync-state.db";
  co.cancel = cancel;
  // tree -> its objects that failed in the tree's last pass, with why
  std::map<std::string, std::vector<sync::FileIssue>> failed;
  std::vector<std::string> names;
  for (const auto& tree : L::synced_trees(cfg.runner_state_dir)) names.push_back(tree);
  for (int pass = 1;; ++pass) {
    std::vector<sync::CopyTree> trees;
    for (const auto& tree : names) trees.push_back({prefix + tree, root / tree});
    auto results = sync::copy_down_trees(store, trees, co, log);
    std::vector<std::string> retry;
    for (size_t t = 0; t < names.size(); ++t) {
      const std::string& tree = names[t];
      auto& s = results[t];
      if (!s) return std::move(s).error().context("restoring " + tree);
      report.files_downloaded += s->transferred;
      report.bytes_downloaded += s->bytes_transferred;
      auto& mine = failed[tree];
      mine.clear();
      for (auto& f : s->failed) {
        if (f.code == Errc::unsafe_path) {
          ++report.unsafe_keys;
          log.warn("hydrate.unsafe_key", "refused key under " + tree + "/ that would leave " +
                                             (root / tree).string() + ": " + f.message);
          continue;
        }
        if (worth_retrying(f.code) && (retry.empty() || retry.back() != tree)) retry.push_back(tree);
        mine.push_back(std::move(f));
      }
      log.info("hydrate.tree", "restored " + tree + "/: " + std::to_string(s->transferred) +
                                   " file(s) downloaded, " + std::to_string(s->unchanged) + " already present");
    }
    if (retry.empty() || pass == kDownloadPasses) break;
    log.info("hydrate.retry", "some objects failed to download; trying " + std::to_string(retry.size()) +
                                  " tree(s) again (pass " + std::to_string(pass + 1) + " of " +
                                  std::to_string(kDownloadPasses) + ")");
    if (cancel != nullptr ? cancel->sleep_for(std::chrono::seconds(pass))
                          : (std::this_thread::sleep_for(std::chrono::seconds(pass)), false)) {
      return Error(Errc::cancelled, "restoring the state trees: cancelled");
    }
    names = std::move(retry);
  }

  std::vector<UnrestoredKey> unrestored;
  for (const auto& [tree, issues] : failed) {
    for (const auto& f : issues) {
      unrestored.push_back({tree, f.path});
      log.warn("hydrate.object_unrestored",
               "could not restore " + tree + "/" + f.path + " (" + errc_name(f.code) + "): " + f.message +
                   "; the object stays in the store, and the sidecar will not delete it until this path "
                   "is written in the workspace");
    }
  }
  report.objects_unrestored = static_cast<int>(unrestored.size());
  // Without the record the next sync would delete these objects: better no
  // pod than lost data.
  if (auto st = write_unrestored(unrestored_record(cache), unrestored); !st) {
    return std::move(st).error().context("recording the objects that could not be restored");
  }
  if (!unrestored.empty()) {
    log.warn("hydrate.incomplete", std::to_string(unrestored.size()) +
                                       " object(s) of the saved state could not be restored (see above); "
                                       "starting the pod without them");
  }
  return {};
}

void clone_repos(const config::Config& cfg, const GitAccess& access, const CancelToken* cancel,
                 HydrateReport& report, const Logger& log) {
  const fs::path repos = fs::path(cfg.workspace_root) / L::kReposDir;
  for (const auto& r : cfg.repos) {
    if (cancel_requested(cancel)) return;
    const fs::path target = repos / r.name;
    if (non_empty_dir(target)) {
      log.info("clone.present", "repos/" + r.name + " already exists; not cloning it again");
      continue;
    }
    git::CloneOptions co;
    co.url = r.url;
    co.target = target;
    co.branch = r.branch.value_or("");
    co.credentials = access.credentials.get();
    auto c = git::clone_repo(co, log);
    if (!c) {
      ++report.repos_failed;
      log.warn("clone.failed", "could not clone repos/" + r.name + " (" +
                                   clone_failure_kind(c.error().code) + "): " + c.error().message);
      continue;
    }
    ++report.repos_cloned;
    log.info("clone.done", "cloned repos/" + r.name + " (branch " + c->branch + ")");
  }
}

void clone_workflow(const config::Config& cfg, const GitAccess& access, const CancelToken* cancel,
                    HydrateReport& report, const Logger& log) {
  if (!cfg.workflow || cancel_requested(cancel)) return;
  const auto& wf = *cfg.workflow;
  const fs::path workflows = fs::path(cfg.workspace_root) / L::kWorkflowsDir;
  if (non_empty_dir(workflows / wf.name)) {
    log.info("workflow.present", "workflows/" + wf.name + " already exists; not cloning it again");
    report.workflow_ready = true;
    return;
  }
  git::WorkflowCloneOptions wo;
  wo.url = wf.git_url;
  wo.branch = wf.branch.empty() ? "main" : wf.branch;
  wo.subpath = wf.path;
  wo.workflows_dir = workflows;
  wo.name = wf.name;
  wo.credentials = access.credentials.get();
  auto w = git::clone_workflow(wo, log);
  if (!w) {
    log.warn("workflow.failed", "could not set up workflow " + wf.name + " (" +
                                    clone_failure_kind(w.error().code) + "): " + w.error().message);
    return;
  }
  report.workflow_ready = true;
  log.info("workflow.done", "workflow ready at workflows/" + wf.name +
                                (w->whole_repo ? " (whole repository)" : " (sub-directory " + wf.path + ")"));
}

// The URLs the session names itself: saved state may clone only from kinds
// of origin these use, besides https and ssh.
std::vector<std::string> session_urls(const config::Config& cfg) {
  std::vector<std::string> urls;
  for (const auto& r : cfg.repos) urls.push_back(r.url);
  if (cfg.workflow) urls.push_back(cfg.workflow->git_url);
  return urls;
}

Status restore_repo_states(store::Store& store, const config::Config& cfg, const GitAccess& access,
                           const fs::path& cache, const CancelToken* cancel, HydrateReport& report,
                           const Logger& log) {
  const std::string base = cfg.session_prefix() + std::string(L::kRepoStateDir) + "/";
  auto listed = store.list(base);
  if (!listed) return std::move(listed).error().context("listing repo-state");
  std::map<std::string, std::vector<store::ObjectInfo>> by_repo;
  for (auto& o : *listed) {
    const std::string rest = o.key.substr(base.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos) continue;
    const std::string name = rest.substr(0, slash);
    // One safe path segment: no "..", ".", empty name or NUL.
    if (auto rel = store::relative_path_for_key(name); !rel) {
      ++report.unsafe_keys;
      log.warn("hydrate.unsafe_key", "refused repo-state entry that would leave repos/: " +
                                         rel.error().message);
      continue;
    }
    by_repo[name].push_back(std::move(o));
  }
  const fs::path repos = fs::path(cfg.workspace_root) / L::kReposDir;
  const auto origins = git::OriginPolicy::for_session(session_urls(cfg));
  for (const auto& [name, objects] : by_repo) {
    if (cancel_requested(cancel)) return Error(Errc::cancelled, "restoring repo-state: cancelled");
    const fs::path staging = cache / "hydrate" / "repo-state" / name;
    std::error_code ec;
    fs::remove_all(staging, ec);
    auto source = download_set(store, base + name + "/", objects, staging, log);
    if (!source) {
      ++report.restore_failed;
      log.warn("restore.failed", "could not download repo-state of " + name + ": " + source.error().message);
      continue;
    }
    if (*source == SetSource::none) continue;
    if (*source == SetSource::damaged) {
      report.damaged_repo_states.push_back(name);
      if (fs::is_empty(staging, ec)) continue;  // nothing left to restore
    }
    git::RestoreOptions ro;
    ro.state_dir = staging;
    ro.repo = repos / name;
    ro.credentials = access.credentials.get();
    ro.origins = origins;
    ro.trusted_parent = repos;
    auto r = git::restore_repo(ro, log);
    fs::remove_all(staging, ec);
    if (!r) {
      ++report.restore_failed;
      // A refused origin keeps its saved state in the store: the sidecar
      // never deletes the state of a repo missing from repos/.
      log.warn(r.error().code == Errc::unsafe_path ? "restore.origin_refused" : "restore.failed",
               "could not restore repos/" + name + ": " + r.error().message);
      continue;
    }
    ++report.repos_restored;
    std::string msg = "restored repos/" + name + " on " + r->current_branch + " (" +
                      std::to_string(r->branches_imported) + " branch(es)" +
                      (r->cloned ? ", cloned from its saved remote" : "") + ", state " +
                      set_source_name(*source) + ")";
    log.info("restore.done", msg);
    if (!r->head_matches) {
      log.warn("restore.head_mismatch", "repos/" + name + ": HEAD differs from the saved headSha");
    }
    for (const auto& p : r->rejected_worktree) {
      log.warn("restore.rejected", "repos/" + name + ": saved work-tree change to " + p + " did not apply");
    }
    for (const auto& p : r->rejected_index) {
      log.warn("restore.rejected", "repos/" + name + ": saved staged change to " + p + " did not apply");
    }
    keep_in_store(store, base + name + "/", r->kept_patches, log);
  }
  return {};
}

// Layout done, persistence off: the repos and the workflow still come
// (behaviour §3 step 1: the CP adds the init container whenever the session names
// repos, with or without S3); only the state steps are skipped.
HydrateReport hydrate_without_state(const config::Config& cfg, const CancelToken* cancel, const Logger& log) {
  HydrateReport report;
  log.info("hydrate.no_persistence",
           "persistence is off (S3_ENDPOINT, S3_BUCKET, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
           "are not all set): no state to restore; cloning the repos and the workflow");
  if (cfg.repos.empty() && !cfg.workflow) return report;
  const GitAccess access = resolve_git_access(cfg, log);
  clone_repos(cfg, access, cancel, report, log);
  clone_workflow(cfg, access, cancel, report, log);
  return report;
}

Result<HydrateReport> hydrate_with_state(const config::Config& cfg, const EngineOptions& opts,
                                         const fs::path& cache, const Logger& log) {
  HydrateReport report;
  report.persistence = true;
  auto opened = open_configured_store(cfg, opts, log);
  if (!opened) return std::move(opened).error();
  const auto view = opts.cancel != nullptr ? (*opened)->cancellable(*opts.cancel) : nullptr;
  store::Store& store = view ? *view : **opened;
  if (auto st = store.check_bucket(); !st) {
    return std::move(st).error().context("object store " + store.describe() + " is not usable");
  }
  log.info("hydrate.store", "using " + store.describe() + ", session " + cfg.session_prefix());
  std::error_code ec;
  fs::create_directories(cache, ec);
  if (ec) return Error(Errc::io, "creating " + cache.string() + ": " + ec.message());

  // Phase 1 waits on the store; the clones, the workflow and Phase 2 (which
  // needs only the clones) wait on git and the disk. The two sides touch
  // disjoint directories and count into separate reports, so they overlap.
  // A Phase 1 that could not list a tree still fails hydrate, after the git
  // side has finished.
  const Logger shared_log = serialized(log);
  HydrateReport git_side;
  Status repo_states;
  Status trees;
  {
    std::jthread git_thread([&] {
      repo_states = catch_exceptions("cloning and restoring repos", [&] {
        const GitAccess access = resolve_git_access(cfg, shared_log);
        clone_repos(cfg, access, opts.cancel, git_side, shared_log);
        clone_workflow(cfg, access, opts.cancel, git_side, shared_log);
        return restore_repo_states(store, cfg, access, cache, opts.cancel, git_side, shared_log);
      });
    });
    trees = download_trees(store, cfg, cache, opts.parallel, opts.cancel, report, shared_log);
  }
  report.repos_cloned = git_side.repos_cloned;
  report.repos_failed = git_side.repos_failed;
  report.workflow_ready = git_side.workflow_ready;
  report.repos_restored = git_side.repos_restored;
  report.restore_failed = git_side.restore_failed;
  report.damaged_repo_states = git_side.damaged_repo_states;
  report.unsafe_keys += git_side.unsafe_keys;
  if (auto st = write_restore_losses(restore_losses_record(cache), report.damaged_repo_states); !st) {
    shared_log.warn("hydrate.losses_record", st.error().message);
  }
  WS_TRY(trees);
  WS_TRY(repo_states);
  fs::remove_all(cache / "hydrate", ec);
  return report;
}

Result<HydrateReport> hydrate_unguarded(const config::Config& cfg, const EngineOptions& opts, const Logger& log) {
  config::log_input_warnings(cfg.warnings, log);
  WS_TRY(create_layout(LayoutOptions{fs::path(cfg.workspace_root), cfg.runner_state_dir, true}, log));
  const fs::path cache = cache_dir(cfg, opts);
  auto report = cfg.persistence_enabled() ? hydrate_with_state(cfg, opts, cache, log)
                                          : Result<HydrateReport>(hydrate_without_state(cfg, opts.cancel, log));
  // A step the cancel skipped is no failure of its own: the whole call is.
  if (report && cancel_requested(opts.cancel)) report = Error(Errc::cancelled, "hydrate cancelled");
  // On failure too: a restarted init container, or whoever looks, finds
  // what was written usable by the runner.
  give_workspace_to_runner(cfg, cache, log);
  if (!report) return report;
  log.info("hydrate.done",
           "hydrate done: " + std::to_string(report->files_downloaded) + " file(s) restored, " +
               std::to_string(report->repos_cloned) + " repo(s) cloned, " +
               std::to_string(report->repos_failed) + " clone failure(s), " +
               std::to_string(report->repos_restored) + " repo state(s) restored" +
               (report->damaged_repo_states.empty()
                    ? ""
                    : ", " + std::to_string(report->damaged_repo_states.size()) +
                          " repo state(s) DAMAGED in the store, restored with losses") +
               (report->objects_unrestored > 0
                    ? ", " + std::to_string(report->objects_unrestored) + " object(s) NOT restored"
                    : "") +
               (report->unsafe_keys > 0 ? ", " + std::to_string(report->unsafe_keys) + " unsafe key(s) refused"
                                        : ""));
  return report;
}

}  // namespace

Result<HydrateReport> hydrate(const config::Config& cfg, const EngineOptions& opts, const Logger& log) {
  return catch_exceptions("hydrate", [&] { return hydrate_unguarded(cfg, opts, log); });
}

}  // namespace ws::workspace

// One sync cycle (behaviour §5): checkpoint SQLite, back up repos (on schedule),
// mirror the three trees, write metadata.json, log a summary line. The
// engine keeps, between cycles, the sync layer's hash cache and manifest
// (a no-change cycle reads no file and sends no request) and the manifest
// of each repo's last uploaded repo-state set, also on disk for the next
// process.
#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <system_error>
#include <thread>
#include <unordered_set>

#include "common/exception_guard.hpp"
#include "git/git.hpp"
#include "config/layout.hpp"
#include "sync/sync.hpp"
#include "workspace/engine_paths.hpp"
#include "workspace/repo_state_set.hpp"
#include "workspace/restore_losses.hpp"
#include "workspace/session_metadata.hpp"
#include "workspace/sidecar_loop.hpp"
#include "workspace/sqlite_checkpoint.hpp"
#include "workspace/sync_lock.hpp"
#include "workspace/unrestored_keys.hpp"
#include "workspace/uploaded_set_record.hpp"
#include "workspace/workspace.hpp"

namespace ws::workspace {
namespace fs = std::filesystem;
namespace L = config::layout;

struct SyncEngine::Impl {
  config::Config cfg;
  EngineOptions opts;
  Logger log;
  std::shared_ptr<store::Store> store;
  fs::path cache;
  // repo name -> the manifest in place, as last uploaded or read (and
  // recorded on disk for the next process, uploaded_set_record.hpp).
  std::map<std::string, SetManifest> uploaded_sets;

  fs::path uploaded_record(const std::string& name) const { return cache / "repo-state" / (name + ".uploaded"); }
  std::string record_scope(const std::string& prefix) const { return store->identity() + "\t" + prefix; }
  void remember_set(const std::string& name, const std::string& prefix, SetManifest manifest);
  Status forget_set(const std::string& name);

  Status backup_repos(CycleReport& report);
  Status backup_one(const std::string& name, const fs::path& repo, CycleReport& report);
  Result<std::optional<SetManifest>> previous_set(const std::string& prefix);
  Status mirror_trees(CycleReport& report);
  Result<CycleReport> run_cycle(bool backup_repos, const CycleOptions& what);
  const CancelToken* cancel = nullptr;  // the running cycle's
  bool let_transfers_end = false;
  // The store as the running cycle talks to it: `store`, or its view that
  // aborts transfers on a cancel.
  store::Store* cycle_store = nullptr;
  bool cancelled() const { return cancel_requested(cancel); }
  Result<std::vector<UnrestoredKey>> keys_to_keep();
  bool told_about_kept = false;
};

Result<std::unique_ptr<SyncEngine>> SyncEngine::open(const config::Config& cfg, const EngineOptions& opts,
                                                     const Logger& log) {
  if (!cfg.persistence_enabled()) {
    return Error(Errc::invalid_input,
                 "persistence is off: S3_ENDPOINT, S3_BUCKET, AWS_ACCESS_KEY_ID and "
                 "AWS_SECRET_ACCESS_KEY must all be set to sync");
  }
  auto impl = std::make_unique<Impl>();
  impl->cfg = cfg;
  impl->opts = opts;
  // The repo backup and the trees' mirror log from two threads at once.
  impl->log = serialized(log);
  auto store = open_configured_store(cfg, opts, impl->log);
  if (!store) return std::move(store).error();
  impl->store = std::move(*store);
  impl->cache = cache_dir(cfg, opts);
  std::error_code ec;
  fs::create_directories(impl->cache, ec);
  if (ec) return Error(Errc::io, "creating " + impl->cache.string() + ": " + ec.message());
  return std::unique_ptr<SyncEngine>(new SyncEngine(std::move(impl)));
}

SyncEngine::SyncEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SyncEngine::~SyncEngine() = default;

// The manifest in place; when there is none but the old scripts left a set,
// that set is adopted (its manifest written from the listing) so that it
// stays the fallback while the first new set is written.
Result<std::optional<SetManifest>> SyncEngine::Impl::previous_set(const std::string& prefix) {
  auto m = fetch_manifest(*cycle_store, prefix, log);
  if (!m || *m) return m;
  auto listed = cycle_store->list(prefix);
  if (!listed) return std::move(listed).error();
  SetManifest adopted;
  for (const auto& o : *listed) {
    const std::string name = o.key.substr(prefix.size());
    if (!is_set_file(name)) continue;  // the manifest, .pending/, kept rejected patches
    if (o.md5_hex.empty()) return std::optional<SetManifest>();
    adopted[name] = SetEntry{o.md5_hex, o.size};
  }
  if (adopted.empty()) return std::optional<SetManifest>();
  WS_TRY(cycle_store->put_bytes(prefix + std::string(kSetManifestName), manifest_to_json(adopted)));
  return std::optional<SetManifest>(std::move(adopted));
}

void SyncEngine::Impl::remember_set(const std::string& name, const std::string& prefix, SetManifest manifest) {
  if (auto st = write_uploaded_set(uploaded_record(name), record_scope(prefix), manifest); !st) {
    log.warn("repo.record_failed", st.error().message + "; the next process will ask the store");
  }
  uploaded_sets[name] = std::move(manifest);
}

// The backup's fingerprint already says "unchanged" for the new state, so
// until the store holds it whole, nothing may claim the store has it: a
// failed or killed upload leaves the next cycle asking the store.
Status SyncEngine::Impl::forget_set(const std::string& name) {
  uploaded_sets.erase(name);
  std::error_code ec;
  fs::remove(uploaded_record(name), ec);
  if (ec) return Error(Errc::io, "removing " + uploaded_record(name).string() + ": " + ec.message());
  return {};
}

Status SyncEngine::Impl::backup_one(const std::string& name, const fs::path& repo, CycleReport& report) {
  git::BackupOptions bo;
  bo.repo = repo;
  bo.outdir = cache / "repo-state" / name;
  bo.trusted_parent = fs::path(cfg.workspace_root) / L::kReposDir;
  auto b = git::backup_repo(bo, log);
  if (!b) return std::move(b).error().context("backing up repos/" + name);
  const std::string prefix = L::repo_state_prefix(cfg.session_prefix(), name);
  auto known = uploaded_sets.find(name);
  if (known == uploaded_sets.end()) {
    if (auto recorded = read_uploaded_set(uploaded_record(name), record_scope(prefix))) {
      known = uploaded_sets.emplace(name, std::move(*recorded)).first;
    }
  }
  if (b->unchanged && known != uploaded_sets.end()) {
    ++report.repos_unchanged;
    return {};
  }
  auto manifest = manifest_of_dir(bo.outdir);
  if (!manifest) return std::move(manifest).error();
  std::optional<SetManifest> previous;
  if (known != uploaded_sets.end()) {
    previous = known->second;
  } else {
    auto p = previous_set(prefix);
    if (!p) return std::move(p).error().context("reading repo-state of " + name);
    previous = std::move(*p);
  }
  if (previous && *previous == *manifest) {
    remember_set(name, prefix, std::move(*manifest));
    ++report.repos_unchanged;
    return {};
  }
  WS_TRY(forget_set(name));
  WS_TRY(upload_set(*cycle_store, prefix, bo.outdir, *manifest, previous, log));
  remember_set(name, prefix, std::move(*manifest));
  ++report.repos_backed_up;
  log.info("repo.backed_up", "backed up repos/" + name + " (" + b->current_branch + " at " +
                                 b->head_sha.substr(0, 12) + ")");
  return {};
}

Status SyncEngine::Impl::backup_repos(CycleReport& report) {
  const fs::path repos = fs::path(cfg.workspace_root) / L::kReposDir;
  std::vector<std::pair<std::string, fs::path>> found;
  std::error_code ec;
  for (fs::directory_iterator it(repos, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code e2;
    if (it->is_directory(e2) && fs::exists(it->path() / ".git", e2)) {
      found.emplace_back(it->path().filename().string(), it->path());
    }
  }
  std::sort(found.begin(), found.end());
  Status first;
  for (const auto& [name, path] : found) {
    if (cancelled()) {
      log.warn("repo.backup_cancelled", "repos/" + name + " not backed up: the cycle was cancelled");
      if (first.ok()) first = Error(Errc::cancelled, "repo backup cancelled before repos/" + name);
      continue;
    }
    auto st = backup_one(name, path, report);
    if (!st) {
      ++report.repos_failed;
      log.warn("repo.backup_failed", st.error().message);
      if (first.ok()) first = std::move(st);
    }
  }
  return first;
}

// The objects hydrate could not restore, less those whose path the runner
// has written since (a file or a link there now: its upload replaces the
// object). A directory at that path is not the object, so it stays kept.
Result<std::vector<UnrestoredKey>> SyncEngine::Impl::keys_to_keep() {
  const fs::path record = unrestored_record(cache);
  auto recorded = read_unrestored(record);
  if (!recorded) return std::move(recorded).error();
  std::vector<UnrestoredKey> kept;
  const fs::path root(cfg.workspace_root);
  for (auto& k : *recorded) {
    std::error_code ec;
    const auto st = fs::symlink_status(root / k.tree / k.path, ec);
    if (fs::exists(st) && !fs::is_directory(st)) {
      log.info("sync.unrestored_written", k.tree + "/" + k.path +
                                              " was not restored by hydrate and has now been written; syncing it");
      continue;
    }
    kept.push_back(std::move(k));
  }
  if (kept.size() != recorded->size()) {
    if (auto st = write_unrestored(record, kept); !st) log.warn("sync.unrestored_record", st.error().message);
  }
  if (!kept.empty() && !told_about_kept) {
    told_about_kept = true;
    log.warn("sync.unrestored_kept", std::to_string(kept.size()) +
                                         " object(s) that hydrate could not restore are kept in the store "
                                         "until their paths are written in the workspace");
  }
  return kept;
}

Status SyncEngine::Impl::mirror_trees(CycleReport& report) {
  const fs::path root(cfg.workspace_root);
  const std::string prefix = cfg.session_prefix();
  // Without the list no delete is safe: the trees wait for a readable one.
  auto kept = keys_to_keep();
  if (!kept) {
    log.warn("sync.unrestored_unreadable", kept.error().message + "; the state trees are not synced");
    return std::move(kept).error().context("reading the list of objects hydrate could not restore");
  }
  std::vector<std::string> names;
  std::vector<sync::MirrorTree> trees;
  for (const auto& tree : L::synced_trees(cfg.runner_state_dir)) {
    std::error_code ec;
    if (!fs::is_directory(root / tree, ec)) continue;
    names.push_back(tree);
    trees.push_back({root / tree, prefix + tree});
  }
  sync::MirrorOptions mo;
  mo.max_file_size = cfg.max_sync_size;
  mo.parallel = opts.parallel;
  mo.state_db = cache / "sync-state.db";
  mo.confine_to = root;
  mo.cancel = cancel;
  mo.let_transfers_end = let_transfers_end;
  std::unordered_set<std::string> keep;
  for (const auto& k : *kept) keep.insert(prefix + k.tree + "/" + k.path);
  if (!keep.empty()) mo.keep_remote = [&keep](std::string_view key) { return keep.count(std::string(key)) != 0; };
  auto results = sync::mirror_up_trees(*cycle_store, trees, mo, log);
  Status first;
  for (size_t t = 0; t < names.size(); ++t) {
    const std::string& tree = names[t];
    auto& s = results[t];
    if (!s) {
      log.warn("sync.tree_failed", "syncing " + tree + "/ failed: " + s.error().message);
      if (first.ok()) first = std::move(s).error().context("syncing " + tree);
      continue;
    }
    report.files_uploaded += s->transferred;
    report.files_unchanged += s->unchanged;
    report.files_deleted += s->deleted;
    report.files_skipped += s->skipped.size();
    report.bytes_total += s->bytes;
    report.bytes_uploaded += s->bytes_transferred;
    if (!s->ok()) {
      for (const auto& f : s->failed) log.warn("sync.file_failed", tree + "/" + f.path + ": " + f.message);
      if (first.ok()) first = s->status().error().context("syncing " + tree);
      continue;
    }
    ++report.paths_synced;
  }
  if (report.bytes_total > cfg.max_sync_size) {
    log.warn("sync.too_large", "the synced trees hold " + std::to_string(report.bytes_total) +
                                   " bytes, more than MAX_SYNC_SIZE (" +
                                   std::to_string(cfg.max_sync_size) + ")");
  }
  return first;
}

Result<CycleReport> SyncEngine::run_cycle(bool backup_repos, const CycleOptions& what) {
  return catch_exceptions("sync cycle", [&] { return impl_->run_cycle(backup_repos, what); });
}

Result<CycleReport> SyncEngine::Impl::run_cycle(bool backup_repos, const CycleOptions& what) {
  Impl& d = *this;
  // Held until the cycle ends: a second cycle on this workspace stops here.
  auto lock = SyncLock::acquire(d.cache);
  if (!lock) return std::move(lock).error();
  d.cancel = what.cancel;
  d.let_transfers_end = what.let_transfers_end;
  std::unique_ptr<store::Store> view;
  if (what.cancel != nullptr && !what.let_transfers_end) view = d.store->cancellable(*what.cancel);
  d.cycle_store = view ? view.get() : d.store.get();
  const auto t0 = std::chrono::steady_clock::now();
  CycleReport report;
  Status first;
  auto note = [&first](Status st) {
    if (!st && first.ok()) first = std::move(st);
  };
  if (what.trees) {
    checkpoint_databases(fs::path(d.cfg.workspace_root) / d.cfg.runner_state_dir, d.log);
  }
  // The repo backup (git, then a few uploads) and the trees' mirror (many
  // uploads) write disjoint keys, so they run side by side, each counting
  // into its own report.
  CycleReport repo_report;
  Status repos_status, trees_status;
  {
    std::optional<std::jthread> repo_thread;
    if (what.repos && backup_repos) {
      repo_thread.emplace([&] {
        repos_status = catch_exceptions("backing up repos", [&] { return d.backup_repos(repo_report); });
      });
    }
    if (what.trees) trees_status = d.mirror_trees(report);
  }
  report.repos_backed_up = repo_report.repos_backed_up;
  report.repos_unchanged = repo_report.repos_unchanged;
  report.repos_failed = repo_report.repos_failed;
  note(std::move(repos_status));
  note(std::move(trees_status));
  if (what.trees && !d.cancelled()) {
    if (report.paths_synced > 0) {
      const SessionMetadata meta{std::chrono::system_clock::now(), d.cfg.session, d.cfg.namespace_name,
                                 report.paths_synced, read_restore_losses(restore_losses_record(d.cache))};
      note(d.cycle_store->put_bytes(d.cfg.session_prefix() + std::string(L::kSessionMetadataKey),
                              to_json(meta), store::PutOptions{std::nullopt, "", "application/json"}));
    }
  }
  report.duration = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - t0);
  d.log.info("sync.cycle",
             std::string(first.ok() ? "sync done" : "sync incomplete") + ": " +
                 std::to_string(report.files_uploaded) + " up, " +
                 std::to_string(report.files_unchanged) + " unchanged, " +
                 std::to_string(report.files_deleted) + " deleted, " +
                 std::to_string(report.bytes_uploaded) + " of " + std::to_string(report.bytes_total) +
                 " bytes sent; repos: " + std::to_string(report.repos_backed_up) + " backed up, " +
                 std::to_string(report.repos_unchanged) + " unchanged" +
                 (report.repos_failed > 0 ? ", " + std::to_string(report.repos_failed) + " failed" : "") +
                 (what.repos && backup_repos ? "" : " (not scheduled)") + "; " +
                 std::to_string(report.duration.count()) + " ms");
  if (!first) {
    // Whichever part failed first, a cycle cut short by a cancel says so.
    if (d.cancelled()) return Error(Errc::cancelled, "sync cycle cancelled: " + first.error().message);
    return std::move(first).error();
  }
  return report;
}

Status run_sidecar(const config::Config& cfg, const EngineOptions& opts, StopToken& stop,
                   const Logger& log, const CycleOptions& what) {
  config::log_input_warnings(cfg.warnings, log);
  SidecarSchedule schedule;
  schedule.initial_delay = cfg.sync_initial_delay;
  schedule.interval = cfg.sync_interval;
  schedule.repo_backup_every = static_cast<int>(cfg.repo_backup_interval);
  schedule.persistence = cfg.persistence_enabled();
  schedule.shutdown_timeout = cfg.sync_shutdown_timeout;
  std::unique_ptr<SyncEngine> engine;
  auto cycle = [&](const CycleRequest& req) -> Status {
    if (!engine) {
      auto e = SyncEngine::open(cfg, opts, log);
      if (!e) return std::move(e).error();
      engine = std::move(*e);
    }
    CycleOptions this_cycle = what;
    this_cycle.cancel = req.cancel;
    this_cycle.let_transfers_end = !req.final;
    auto r = engine->run_cycle(req.backup_repos, this_cycle);
    if (!r) return std::move(r).error();
    return {};
  };
  const auto outcome = run_sidecar_loop(schedule, cycle, stop, log);
  if (!outcome.final_ok) return Error(Errc::store, "the final sync failed; see the log above");
  return {};
}

}  // namespace ws::workspace

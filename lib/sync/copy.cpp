// copy_down: list, map every key safely into the tree, skip what is already
// identical, download the rest in parallel.
#include <sys/stat.h>

#include <cerrno>
#include <memory>
#include <mutex>
#include <optional>

#include "store/digest.hpp"
#include "store/object_key.hpp"
#include "sync/cancel_view.hpp"
#include "sync/filter.hpp"
#include "sync/prefix.hpp"
#include "sync/progress.hpp"
#include "sync/safe_path.hpp"
#include "sync/state_db.hpp"
#include "sync/sync.hpp"
#include "sync/tree_batch.hpp"
#include "sync/tree_state.hpp"

namespace ws::sync {
namespace {

struct Planned {
  store::ObjectInfo object;
  std::string rel;
};

class CopyRun {
 public:
  CopyRun(store::Store& store, std::string prefix, const fs::path& root, const CopyOptions& opts,
          const Logger& log)
      : store_(store), prefix_(std::move(prefix)), root_(root), opts_(opts), log_(log) {}

  // Lists the prefix and decides what to download. An error means nothing
  // could be decided for this tree.
  Status prepare() {
    auto filter = ExcludeFilter::compile(opts_.excludes, opts_.filter_rules);
    if (!filter) return std::move(filter).error();
    filter_ = std::move(*filter);
    auto listing = store_.list(prefix_);
    if (!listing) return std::move(listing).error().context("listing " + prefix_);
    listing_ = std::move(*listing);
    summary_.listed = true;
    std::error_code ec;
    if (!opts_.dry_run) {
      fs::create_directories(root_, ec);
      if (ec || !fs::is_directory(root_, ec)) {
        return Error(Errc::io, "cannot create directory " + root_.string() +
                                   (ec ? ": " + ec.message() : std::string(": a file is in the way")));
      }
    }
    if (!opts_.dry_run) state_ = open_tree_state(opts_.state_db, root_, store_, prefix_, log_);
    plan(listing_);
    return {};
  }

  size_t pending() const { return downloads_.size(); }
  uint64_t pending_size(size_t n) const { return downloads_[n].object.size; }

  // Downloads the nth planned object; safe from several threads at once.
  void transfer(size_t n, const TransferBatch& batch) {
    const Planned& d = downloads_[n];
    const bool cancelled = cancel_requested(opts_.cancel);
    if (cancelled || batch.outage.load()) {
      std::lock_guard lock(mu_);
      summary_.failed.push_back({d.rel, cancelled ? Errc::cancelled : Errc::network,
                                 cancelled ? "cancelled" : "not attempted: the store is unreachable"});
      return;
    }
    // A directory in the way at the file's own path fails the rename into
    // place (Errc::conflict); the download is wasted, but that case is rare
    // and checking first would cost every file a stat.
    Result<store::ObjectInfo> got = Error(Errc::internal, "not attempted");
    if (const Status dirs = make_parent_dirs(root_, d.rel, &checked_dirs_); dirs) {
      got = store_.get_file(d.object.key, root_ / d.rel);
    } else {
      got = dirs.error();
    }
    if (!got && (got.error().code == Errc::network || got.error().code == Errc::auth)) batch.outage = true;
    {
      std::lock_guard lock(mu_);
      if (!got) {
        log_.warn("sync.download_failed", d.rel + ": " + got.error().message);
        summary_.failed.push_back({d.rel, got.error().code, got.error().message});
      } else {
        ++summary_.transferred;
        summary_.bytes_transferred += d.object.size;
        remember(d, *got, batch.started_ns);
      }
    }
    batch.progress.file_done(d.rel, d.object.size);
  }

  // Records what was downloaded; the summary of this tree.
  Result<SyncSummary> finish() {
    if (opts_.dry_run) {
      summary_.transferred = downloads_.size();
      for (const auto& d : downloads_) {
        summary_.bytes_transferred += d.object.size;
        log_.info("sync.dry_run", "would download " + d.object.key + " (" + std::to_string(d.object.size) + " bytes)");
      }
      return std::move(summary_);
    }
    save_state(listing_);
    log_.info("sync.copied", "copied " + prefix_ + " to " + root_.string() + ": " +
                                 std::to_string(summary_.transferred) + " downloaded, " +
                                 std::to_string(summary_.unchanged) + " unchanged, " +
                                 std::to_string(summary_.failed.size()) + " failed");
    if (cancel_requested(opts_.cancel)) return Error(Errc::cancelled, "copy cancelled");
    return std::move(summary_);
  }

 private:
  // Is the local file already this object? Uses the hash cache when it can.
  bool identical(const std::string& rel, const store::ObjectInfo& o) {
    struct stat st {};
    const fs::path local = root_ / rel;
    if (lstat(local.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
    if (static_cast<uint64_t>(st.st_size) != o.size) return false;
    std::string remote_md5 = o.md5_hex;
    if (remote_md5.empty()) {
      auto head = store_.head(o.key);
      if (!head || head->md5_hex.empty()) return false;
      remote_md5 = head->md5_hex;
    }
    std::string local_md5;
    if (const auto* cached = state_.cached_md5(rel, o.size, mtime_ns_of(st), static_cast<uint64_t>(st.st_ino))) {
      local_md5 = *cached;
    } else {
      auto md5 = store::md5_file_hex(local);
      if (!md5) return false;
      local_md5 = *md5;
    }
    return local_md5 == remote_md5;
  }

  void plan(const std::vector<store::ObjectInfo>& objects) {
    for (const auto& o : objects) {
      std::string_view rest = std::string_view(o.key).substr(prefix_.size());
      // "dir/" placeholders some tools create carry no file.
      if (rest.empty() || (rest.back() == '/' && o.size == 0 && rest.find('\0') == std::string_view::npos &&
                           store::relative_path_for_key(rest.substr(0, rest.size() - 1)))) {
        continue;
      }
      auto rel = store::relative_path_for_key(rest);
      if (!rel) {
        log_.warn("sync.unsafe_key", rel.error().message + "; not downloaded");
        summary_.failed.push_back({printable(o.key), Errc::unsafe_path, rel.error().message});
        continue;
      }
      const std::string r(rest);
      if (filter_.excludes_path(r)) continue;
      ++summary_.files;
      summary_.bytes += o.size;
      if (identical(r, o)) {
        ++summary_.unchanged;
        continue;
      }
      downloads_.push_back({o, r});
    }
  }

  static std::string printable(std::string_view key) {
    std::string out;
    for (char c : key) out += c == '\0' ? std::string("\\0") : std::string(1, c);
    return out;
  }

  // Records the downloaded file's hash so the next mirror_up need not read it.
  void remember(const Planned& d, const store::ObjectInfo& got, int64_t started) {
    const std::string md5 = !got.md5_hex.empty() ? got.md5_hex : d.object.md5_hex;
    if (!state_.db || md5.empty()) return;
    struct stat st {};
    if (::stat((root_ / d.rel).c_str(), &st) != 0) return;
    if (static_cast<uint64_t>(st.st_size) != d.object.size || !outside_racy_window(mtime_ns_of(st), started)) return;
    new_hashes_.push_back({d.rel, CachedHash{d.object.size, mtime_ns_of(st), static_cast<uint64_t>(st.st_ino), md5}});
  }

  // The listing is the remote's full state: it seeds the manifest of
  // mirror_up for the same store and prefix.
  void save_state(const std::vector<store::ObjectInfo>& listing) {
    if (!state_.db) return;
    auto st = state_.db->update_hashes(state_.root_key, new_hashes_, {});
    if (!st) log_.warn("sync.state_db", st.error().message);
    RemoteView view;
    for (const auto& o : listing) view.emplace(o.key, RemoteEntry{o.size, o.md5_hex});
    st = state_.db->replace_manifest(state_.scope, view);
    if (!st) log_.warn("sync.state_db", st.error().message);
  }

  store::Store& store_;
  std::string prefix_;
  fs::path root_;
  const CopyOptions& opts_;
  const Logger& log_;
  ExcludeFilter filter_;
  TreeState state_;
  std::vector<std::pair<std::string, CachedHash>> new_hashes_;
  std::vector<store::ObjectInfo> listing_;
  std::vector<Planned> downloads_;
  CheckedDirs checked_dirs_;
  std::mutex mu_;
  SyncSummary summary_;
};

}  // namespace

std::vector<Result<SyncSummary>> copy_down_trees(store::Store& store, const std::vector<CopyTree>& trees,
                                                 const CopyOptions& opts, const Logger& log_in) {
  const Logger log = serialized(log_in);
  const CancelView view(store, opts.cancel, opts.let_transfers_end);
  auto make = [&](size_t t) -> Result<std::unique_ptr<CopyRun>> {
    auto prefix = normalize_prefix(trees[t].key_prefix);
    if (!prefix) return std::move(prefix).error();
    return std::make_unique<CopyRun>(view.store(), std::move(*prefix), trees[t].local_root, opts, log);
  };
  return run_tree_batch<CopyRun>(trees.size(), make, opts.parallel, opts.dry_run, "download", log);
}

Result<SyncSummary> copy_down(store::Store& store, std::string_view key_prefix, const fs::path& local_root,
                              const CopyOptions& opts, const Logger& log) {
  auto results = copy_down_trees(store, {CopyTree{std::string(key_prefix), local_root}}, opts, log);
  return std::move(results.front());
}

}  // namespace ws::sync

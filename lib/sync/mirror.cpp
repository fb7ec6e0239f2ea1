// mirror_up: scan, decide against the remote view (manifest or full
// listing), upload, then delete extras. A file is hashed before the
// decision only when a same-size remote object makes its hash the
// question; every other file is uploaded whatever its hash, so it is hashed
// by its own upload job, overlapping the other transfers.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_set>

#include "common/worker_pool.hpp"
#include "store/digest.hpp"
#include "sync/cancel_view.hpp"
#include "sync/filter.hpp"
#include "sync/prefix.hpp"
#include "sync/progress.hpp"
#include "sync/scan.hpp"
#include "sync/state_db.hpp"
#include "sync/sync.hpp"
#include "sync/tree_batch.hpp"
#include "sync/tree_state.hpp"

namespace ws::sync {
namespace {

bool is_store_outage(Errc c) { return c == Errc::network || c == Errc::auth; }

// One file's MD5, read now.
struct LocalHash {
  enum class Outcome { hashed, vanished, failed } outcome = Outcome::failed;
  std::string md5;
  Error error;
  bool cacheable = false;  // unchanged while read, and not modified within the racy window
};

LocalHash hash_local(const LocalFile& f) {
  const int64_t started = wall_clock_ns();
  auto md5 = store::md5_file_hex(f.source, 0, UINT64_MAX, Symlinks::refuse);
  struct stat st {};
  if (::lstat(f.source.c_str(), &st) != 0 && errno == ENOENT) return {LocalHash::Outcome::vanished, "", Error(), false};
  if (!md5) return {LocalHash::Outcome::failed, "", std::move(md5).error(), false};
  const bool cacheable = static_cast<uint64_t>(st.st_size) == f.size && mtime_ns_of(st) == f.mtime_ns &&
                         outside_racy_window(f.mtime_ns, started);
  return {LocalHash::Outcome::hashed, std::move(*md5), Error(), cacheable};
}

// One tree's cycle: prepare() decides, transfer() runs one planned upload
// (from any thread), finish() deletes the extras and saves the state.
class MirrorCycle {
 public:
  MirrorCycle(store::Store& store, const fs::path& root, std::string prefix, const MirrorOptions& opts,
              const Logger& log)
      : store_(store), root_(root), prefix_(std::move(prefix)), opts_(opts), log_(log) {}

  Status prepare() {
    auto filter = ExcludeFilter::compile(opts_.excludes, opts_.filter_rules);
    if (!filter) return std::move(filter).error();
    filter_ = std::move(*filter);
    auto scan = scan_tree(root_, filter_, opts_.max_file_size, log_, opts_.confine_to);
    if (!scan) return std::move(scan).error().context("mirroring " + root_.string());
    scan_ = std::move(*scan);
    summary_.files = scan_.files.size();
    summary_.bytes = scan_.bytes;
    summary_.skipped = scan_.skipped;
    state_ = open_tree_state(opts_.state_db, root_, store_, prefix_, log_);
    WS_TRY(load_remote_view());
    hash_for_decisions();
    if (cancelled()) return Error(Errc::cancelled, "sync cancelled");
    decide();
    return {};
  }

  size_t pending() const { return uploads_.size(); }
  uint64_t pending_size(size_t n) const { return scan_.files[uploads_[n]].size; }

  void transfer(size_t n, const TransferBatch& batch) {
    const size_t i = uploads_[n];
    const LocalFile& f = scan_.files[i];
    if (cancelled() || batch.outage.load()) {
      std::lock_guard lock(mu_);
      summary_.failed.push_back({f.rel, cancelled() ? Errc::cancelled : Errc::network,
                                 cancelled() ? "cancelled" : "not attempted: the store is unreachable"});
      return;
    }
    std::string md5 = md5_[i];
    if (md5.empty()) {
      LocalHash h = hash_local(f);
      std::lock_guard lock(mu_);
      if (!record_hash(i, h)) return;
      md5 = std::move(h.md5);
    }
    store::PutOptions put;
    // Seconds and fraction apart: one division of the whole would lose
    // the exact fraction to double rounding (rclone keeps nanoseconds).
    put.mtime = double(f.mtime_ns / 1'000'000'000) + double(f.mtime_ns % 1'000'000'000) / 1e9;
    put.md5_hex = md5;
    put.source_links = Symlinks::refuse;
    const std::string key = key_of(f.rel);
    auto st = store_.put_file(key, f.source, put);
    if (!st && is_store_outage(st.error().code)) batch.outage = true;
    {
      std::lock_guard lock(mu_);
      if (st) {
        ++summary_.transferred;
        summary_.bytes_transferred += f.size;
        uploaded_.push_back({key, RemoteEntry{f.size, md5}});
      } else {
        log_.warn("sync.upload_failed", f.rel + ": " + st.error().message);
        summary_.failed.push_back({f.rel, st.error().code, st.error().message});
      }
    }
    batch.progress.file_done(f.rel, f.size);
  }

  Result<SyncSummary> finish() {
    if (opts_.dry_run) return summary_for_dry_run();
    record_uploads();
    delete_extras();
    save_state();
    log_.info("sync.mirrored", "mirrored " + root_.string() + " to " + prefix_ + ": " +
                                   std::to_string(summary_.transferred) + " uploaded, " +
                                   std::to_string(summary_.unchanged) + " unchanged, " +
                                   std::to_string(summary_.deleted) + " deleted, " +
                                   std::to_string(summary_.failed.size()) + " failed");
    if (cancelled()) return Error(Errc::cancelled, "sync cancelled");
    return std::move(summary_);
  }

 private:
  bool cancelled() const { return cancel_requested(opts_.cancel); }
  std::string key_of(const std::string& rel) const { return prefix_ + rel; }

  // A same-size remote object: only the hash can tell whether to upload.
  bool hash_decides(const LocalFile& f) const {
    auto it = remote_.find(key_of(f.rel));
    return it != remote_.end() && it->second.size == f.size;
  }

  // Takes one hash into the cycle (under mu_ when uploads run). False when
  // the file is not to be uploaded: it vanished (it is simply not part of
  // this cycle) or could not be read (a failure).
  bool record_hash(size_t i, const LocalHash& h) {
    const LocalFile& f = scan_.files[i];
    switch (h.outcome) {
      case LocalHash::Outcome::vanished:
        vanished_[i] = 1;
        summary_.bytes -= f.size;
        --summary_.files;
        return false;
      case LocalHash::Outcome::failed:
        summary_.failed.push_back({f.rel, h.error.code, h.error.message});
        return false;
      case LocalHash::Outcome::hashed:
        md5_[i] = h.md5;
        if (h.cacheable) new_hashes_.push_back({f.rel, CachedHash{f.size, f.mtime_ns, f.inode, h.md5}});
        return true;
    }
    return false;
  }

  // Takes the cached hashes, and hashes the other files whose upload
  // depends on their hash.
  void hash_for_decisions() {
    const auto& files = scan_.files;
    md5_.assign(files.size(), {});
    vanished_.assign(files.size(), 0);
    std::vector<size_t> misses;
    for (size_t i = 0; i < files.size(); ++i) {
      if (const auto* md5 = state_.cached_md5(files[i].rel, files[i].size, files[i].mtime_ns, files[i].inode)) {
        md5_[i] = *md5;
      } else if (hash_decides(files[i])) {
        misses.push_back(i);
      }
    }
    run_parallel(misses.size(), std::min(opts_.parallel, 4), [&](size_t m) {
      LocalHash h = hash_local(files[misses[m]]);
      std::lock_guard lock(mu_);
      record_hash(misses[m], h);
    });
  }

  Status load_remote_view() {
    std::optional<Manifest> manifest;
    if (state_.db) {
      auto m = state_.db->load_manifest(state_.scope);
      if (m) manifest = std::move(*m);
    }
    if (manifest && opts_.verify_every > 1 && manifest->trusted_cycles + 1 < opts_.verify_every) {
      remote_ = std::move(manifest->entries);
      trusted_cycles_ = manifest->trusted_cycles + 1;
      return {};
    }
    auto listing = store_.list(prefix_);
    if (!listing) return std::move(listing).error().context("listing " + prefix_);
    summary_.listed = true;
    for (auto& o : *listing) {
      remote_.emplace(std::move(o.key), RemoteEntry{o.size, std::move(o.md5_hex)});
    }
    return {};
  }

  void decide() {
    const auto& files = scan_.files;
    // Local files with a same-size remote object of unknown MD5 (multipart
    // without Md5chksum in the listing) need a HEAD to compare.
    std::vector<size_t> need_head;
    for (size_t i = 0; i < files.size(); ++i) {
      if (vanished_[i] || md5_[i].empty()) continue;
      auto it = remote_.find(key_of(files[i].rel));
      if (it != remote_.end() && it->second.size == files[i].size && it->second.md5.empty()) {
        need_head.push_back(i);
      }
    }
    std::mutex mu;
    run_parallel(need_head.size(), opts_.parallel, [&](size_t n) {
      const std::string key = key_of(files[need_head[n]].rel);
      auto info = store_.head(key);
      if (!info) return;
      std::lock_guard lock(mu);
      remote_[key].md5 = info->md5_hex;
    });
    std::vector<std::string> local_keys;
    local_keys.reserve(files.size());
    for (size_t i = 0; i < files.size(); ++i) {
      if (vanished_[i]) continue;
      local_keys.push_back(key_of(files[i].rel));
      if (!hash_decides(files[i])) {
        uploads_.push_back(i);
      } else if (md5_[i].empty()) {
        continue;  // could not be read: already in failed
      } else if (remote_.find(local_keys.back())->second.md5 == md5_[i]) {
        ++summary_.unchanged;
      } else {
        uploads_.push_back(i);
      }
    }
    std::sort(local_keys.begin(), local_keys.end());
    for (const auto& [key, entry] : remote_) {
      if (std::binary_search(local_keys.begin(), local_keys.end(), key)) continue;
      // Excluded files on the remote are left alone, as rclone does without
      // --delete-excluded.
      const std::string_view rel = std::string_view(key).substr(prefix_.size());
      if (filter_.excludes_path(rel)) continue;
      // So are the remote copies of what the scan skipped (a file grown past
      // the size limit, a broken link, an unreadable directory): skipping is
      // not deleting, as with rclone's --max-size.
      if (under_skipped(rel)) continue;
      if (opts_.keep_remote && opts_.keep_remote(key)) continue;
      extras_.push_back(key);
    }
  }

  bool under_skipped(std::string_view rel) const {
    for (const auto& s : scan_.skipped) {
      if (rel == s.path || (rel.size() > s.path.size() && rel.starts_with(s.path) && rel[s.path.size()] == '/')) {
        return true;
      }
    }
    return false;
  }

  Result<SyncSummary> summary_for_dry_run() {
    summary_.transferred = uploads_.size();
    summary_.deleted = extras_.size();
    for (size_t i : uploads_) {
      const LocalFile& f = scan_.files[i];
      summary_.bytes_transferred += f.size;
      log_.info("sync.dry_run", "would upload " + f.rel + " (" + std::to_string(f.size) + " bytes)");
    }
    for (const auto& key : extras_) log_.info("sync.dry_run", "would delete " + key);
    return std::move(summary_);
  }

  void record_uploads() {
    for (const auto& [key, entry] : uploaded_) remote_[key] = entry;
    if (state_.db) {
      auto st = state_.db->update_manifest(state_.scope, uploaded_, {});
      if (!st) log_.warn("sync.state_db", st.error().message);
    }
  }
  void delete_extras() {
    if (extras_.empty()) return;
    if (!summary_.failed.empty()) {
      log_.warn("sync.deletes_skipped", "not deleting " + std::to_string(extras_.size()) +
                                            " remote files because some uploads failed");
      return;
    }
    // The manifest forgets a key before it is deleted: it may under-claim
    // what the remote holds, never over-claim.
    if (state_.db) {
      auto st = state_.db->update_manifest(state_.scope, {}, extras_);
      if (!st) {
        log_.warn("sync.state_db", st.error().message + "; not deleting this cycle");
        return;
      }
    }
    for (const auto& key : extras_) remote_.erase(key);
    auto result = store_.remove(extras_);
    if (!result) {
      for (const auto& key : extras_) {
        summary_.failed.push_back({key, result.error().code, "delete: " + result.error().message});
      }
      return;
    }
    summary_.deleted = extras_.size() - result->size();
    for (const auto& f : *result) {
      summary_.failed.push_back({f.key, Errc::store, "delete: " + f.message});
    }
  }

  void save_state() {
    if (!state_.db) return;
    std::unordered_set<std::string_view> present;
    for (const auto& f : scan_.files) present.insert(f.rel);
    std::vector<std::string> gone;
    for (const auto& [rel, h] : state_.cache) {
      if (present.count(rel) == 0) gone.push_back(rel);
    }
    auto st = state_.db->update_hashes(state_.root_key, new_hashes_, gone);
    if (!st) log_.warn("sync.state_db", st.error().message);
    st = summary_.listed ? state_.db->replace_manifest(state_.scope, remote_)
                         : state_.db->set_trusted_cycles(state_.scope, trusted_cycles_);
    if (!st) log_.warn("sync.state_db", st.error().message);
  }

  store::Store& store_;
  fs::path root_;
  std::string prefix_;
  const MirrorOptions& opts_;
  const Logger& log_;

  ExcludeFilter filter_;
  TreeScan scan_;
  SyncSummary summary_;
  TreeState state_;
  std::vector<std::pair<std::string, CachedHash>> new_hashes_;
  std::vector<std::string> md5_;    // per scan_.files index; empty: not (yet) hashed
  std::vector<char> vanished_;      // per scan_.files index: deleted while we looked
  RemoteView remote_;
  int trusted_cycles_ = 0;
  std::vector<size_t> uploads_;
  std::vector<std::string> extras_;
  std::vector<std::pair<std::string, RemoteEntry>> uploaded_;
  std::mutex mu_;
};

}  // namespace

std::vector<Result<SyncSummary>> mirror_up_trees(store::Store& store, const std::vector<MirrorTree>& trees,
                                                 const MirrorOptions& opts, const Logger& log_in) {
  const Logger log = serialized(log_in);
  const CancelView view(store, opts.cancel, opts.let_transfers_end);
  auto make = [&](size_t t) -> Result<std::unique_ptr<MirrorCycle>> {
    auto prefix = normalize_prefix(trees[t].key_prefix);
    if (!prefix) return std::move(prefix).error();
    return std::make_unique<MirrorCycle>(view.store(), trees[t].local_root, std::move(*prefix), opts, log);
  };
  return run_tree_batch<MirrorCycle>(trees.size(), make, opts.parallel, opts.dry_run, "upload", log);
}

Result<SyncSummary> mirror_up(store::Store& store, const fs::path& local_root, std::string_view key_prefix,
                              const MirrorOptions& opts, const Logger& log) {
  auto results = mirror_up_trees(store, {MirrorTree{local_root, std::string(key_prefix)}}, opts, log);
  return std::move(results.front());
}

}  // namespace ws::sync

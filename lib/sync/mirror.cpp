// mirror_up: scan, hash (through the cache), decide against the remote view
// (manifest or full listing), upload, then delete extras.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <mutex>
#include <optional>
#include <unordered_set>

#include "store/digest.hpp"
#include "sync/filter.hpp"
#include "sync/prefix.hpp"
#include "sync/progress.hpp"
#include "sync/scan.hpp"
#include "sync/state_db.hpp"
#include "sync/sync.hpp"
#include "sync/worker_pool.hpp"

namespace ws::sync {
namespace {

// A file modified this close to its hashing may be written again within the
// same mtime tick; such hashes are used but not cached.
constexpr int64_t kRacyWindowNs = 2'000'000'000;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_store_outage(Errc c) { return c == Errc::network || c == Errc::auth; }

// The per-cycle work, kept together so the steps read in order.
class MirrorCycle {
 public:
  MirrorCycle(store::Store& store, const fs::path& root, std::string prefix, const MirrorOptions& opts,
              const Logger& log)
      : store_(store), root_(root), prefix_(std::move(prefix)), opts_(opts), log_(log) {}

  Result<SyncSummary> run() {
    auto filter = ExcludeFilter::compile(opts_.excludes);
    if (!filter) return std::move(filter).error();
    filter_ = std::move(*filter);
    auto scan = scan_tree(root_, filter_, opts_.max_file_size, log_);
    if (!scan) return std::move(scan).error().context("mirroring " + root_.string());
    scan_ = std::move(*scan);
    summary_.files = scan_.files.size();
    summary_.bytes = scan_.bytes;
    summary_.skipped = scan_.skipped;
    open_state();
    WS_TRY(hash_files());
    if (cancelled()) return Error(Errc::cancelled, "sync cancelled");
    WS_TRY(load_remote_view());
    decide();
    if (opts_.dry_run) return summary_for_dry_run();
    upload();
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
  bool cancelled() const { return opts_.cancel != nullptr && opts_.cancel->load(); }
  std::string key_of(const std::string& rel) const { return prefix_ + rel; }

  void open_state() {
    if (opts_.state_db.empty()) return;
    auto db = StateDb::open(opts_.state_db);
    if (!db) {
      log_.warn("sync.state_db", db.error().message + "; continuing without the cache");
      return;
    }
    db_.emplace(std::move(*db));
    root_key_ = fs::absolute(root_).lexically_normal().string();
    scope_ = store_.describe() + "\n" + prefix_;
    auto cache = db_->load_hashes(root_key_);
    if (cache) cache_ = std::move(*cache);
  }

  Status hash_files() {
    const auto& files = scan_.files;
    md5_.assign(files.size(), {});
    std::vector<size_t> misses;
    for (size_t i = 0; i < files.size(); ++i) {
      auto it = cache_.find(files[i].rel);
      if (it != cache_.end() && it->second.size == files[i].size &&
          it->second.mtime_ns == files[i].mtime_ns && it->second.inode == files[i].inode) {
        md5_[i] = it->second.md5;
      } else {
        misses.push_back(i);
      }
    }
    const int64_t hashing_started = now_ns();
    std::vector<char> vanished(files.size(), 0);
    std::mutex mu;
    run_parallel(misses.size(), std::min(opts_.parallel, 4), [&](size_t m) {
      const size_t i = misses[m];
      const LocalFile& f = files[i];
      auto md5 = store::md5_file_hex(root_ / f.rel);
      struct stat st {};
      const bool gone = ::stat((root_ / f.rel).c_str(), &st) != 0 && errno == ENOENT;
      std::lock_guard lock(mu);
      if (gone) {
        vanished[i] = 1;
        return;
      }
      if (!md5) {
        summary_.failed.push_back({f.rel, md5.error().code, md5.error().message});
        return;
      }
      md5_[i] = *md5;
      const int64_t mtime = int64_t(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
      if (static_cast<uint64_t>(st.st_size) == f.size && mtime == f.mtime_ns &&
          f.mtime_ns < hashing_started - kRacyWindowNs) {
        new_hashes_.push_back({f.rel, CachedHash{f.size, f.mtime_ns, f.inode, *md5}});
      }
    });
    // A file deleted while we looked is simply not part of this cycle.
    for (size_t i = files.size(); i-- > 0;) {
      if (vanished[i]) {
        summary_.bytes -= files[i].size;
        --summary_.files;
      }
    }
    local_.reserve(files.size());
    for (size_t i = 0; i < files.size(); ++i) {
      if (!vanished[i]) local_.push_back(i);
    }
    return {};
  }

  Status load_remote_view() {
    std::optional<Manifest> manifest;
    if (db_) {
      auto m = db_->load_manifest(scope_);
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
    // Local files with a same-size remote object of unknown MD5 (multipart
    // without Md5chksum in the listing) need a HEAD to compare.
    std::vector<size_t> need_head;
    for (size_t i : local_) {
      const LocalFile& f = scan_.files[i];
      if (md5_[i].empty()) continue;  // failed to hash: already in failed
      auto it = remote_.find(key_of(f.rel));
      if (it != remote_.end() && it->second.size == f.size && it->second.md5.empty()) {
        need_head.push_back(i);
      }
    }
    std::mutex mu;
    run_parallel(need_head.size(), opts_.parallel, [&](size_t n) {
      const std::string key = key_of(scan_.files[need_head[n]].rel);
      auto info = store_.head(key);
      if (!info) return;
      std::lock_guard lock(mu);
      remote_[key].md5 = info->md5_hex;
    });
    for (size_t i : local_) {
      const LocalFile& f = scan_.files[i];
      if (md5_[i].empty()) continue;
      auto it = remote_.find(key_of(f.rel));
      if (it != remote_.end() && it->second.size == f.size && it->second.md5 == md5_[i]) {
        ++summary_.unchanged;
      } else {
        uploads_.push_back(i);
      }
    }
    std::vector<std::string> local_keys;
    local_keys.reserve(local_.size());
    for (size_t i : local_) local_keys.push_back(key_of(scan_.files[i].rel));
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
    for (size_t i : uploads_) summary_.bytes_transferred += scan_.files[i].size;
    return std::move(summary_);
  }

  void upload() {
    uint64_t bytes_total = 0;
    for (size_t i : uploads_) bytes_total += scan_.files[i].size;
    TransferProgress progress(log_, "upload", uploads_.size(), bytes_total);
    progress.start();
    std::mutex mu;
    std::atomic<bool> outage{false};
    run_parallel(uploads_.size(), opts_.parallel, [&](size_t n) {
      const LocalFile& f = scan_.files[uploads_[n]];
      const std::string& md5 = md5_[uploads_[n]];
      const std::string key = key_of(f.rel);
      if (cancelled() || outage.load()) {
        std::lock_guard lock(mu);
        summary_.failed.push_back({f.rel, cancelled() ? Errc::cancelled : Errc::network,
                                   cancelled() ? "cancelled" : "not attempted: the store is unreachable"});
        return;
      }
      store::PutOptions put;
      // Seconds and fraction apart: one division of the whole would lose
      // the exact fraction to double rounding (rclone keeps nanoseconds).
      put.mtime = double(f.mtime_ns / 1'000'000'000) + double(f.mtime_ns % 1'000'000'000) / 1e9;
      put.md5_hex = md5;
      auto st = store_.put_file(key, root_ / f.rel, put);
      if (!st && is_store_outage(st.error().code)) outage = true;
      {
        std::lock_guard lock(mu);
        if (st) {
          ++summary_.transferred;
          summary_.bytes_transferred += f.size;
          uploaded_.push_back({key, RemoteEntry{f.size, md5}});
        } else {
          log_.warn("sync.upload_failed", f.rel + ": " + st.error().message);
          summary_.failed.push_back({f.rel, st.error().code, st.error().message});
        }
      }
      progress.file_done(f.rel, f.size);
    });
    for (const auto& [key, entry] : uploaded_) remote_[key] = entry;
    if (db_) {
      auto st = db_->update_manifest(scope_, uploaded_, {});
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
    if (db_) {
      auto st = db_->update_manifest(scope_, {}, extras_);
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
    if (!db_) return;
    std::unordered_set<std::string_view> present;
    for (const auto& f : scan_.files) present.insert(f.rel);
    std::vector<std::string> gone;
    for (const auto& [rel, h] : cache_) {
      if (present.count(rel) == 0) gone.push_back(rel);
    }
    auto st = db_->update_hashes(root_key_, new_hashes_, gone);
    if (!st) log_.warn("sync.state_db", st.error().message);
    st = summary_.listed ? db_->replace_manifest(scope_, remote_)
                         : db_->set_trusted_cycles(scope_, trusted_cycles_);
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
  std::optional<StateDb> db_;
  std::string root_key_, scope_;
  HashCache cache_;
  std::vector<std::pair<std::string, CachedHash>> new_hashes_;
  std::vector<std::string> md5_;    // per scan_.files index
  std::vector<size_t> local_;       // scan_.files indices still present
  RemoteView remote_;
  int trusted_cycles_ = 0;
  std::vector<size_t> uploads_;
  std::vector<std::string> extras_;
  std::vector<std::pair<std::string, RemoteEntry>> uploaded_;
};

}  // namespace

Result<SyncSummary> mirror_up(store::Store& store, const fs::path& local_root, std::string_view key_prefix,
                              const MirrorOptions& opts, const Logger& log) {
  auto prefix = normalize_prefix(key_prefix);
  if (!prefix) return std::move(prefix).error();
  return MirrorCycle(store, local_root, std::move(*prefix), opts, log).run();
}

}  // namespace ws::sync

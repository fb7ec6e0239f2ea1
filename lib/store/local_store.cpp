#include "store/local_store.hpp"

#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "store/atomic_file.hpp"
#include "store/digest.hpp"
#include "store/object_key.hpp"

namespace ws::store {
namespace fs = std::filesystem;
namespace {

constexpr const char* kMd5Xattr = "user.ws.md5";

std::string cache_stamp(const struct stat& st) {
  return std::to_string(st.st_size) + " " +
         std::to_string(static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec);
}

std::string cached_md5(const fs::path& file, const struct stat& st) {
  char buf[128];
  const ssize_t n = ::getxattr(file.c_str(), kMd5Xattr, buf, sizeof buf);
  if (n <= 33) return {};
  const std::string_view v(buf, static_cast<size_t>(n));
  if (v.substr(33) != cache_stamp(st)) return {};
  return std::string(v.substr(0, 32));
}

// Best effort: a filesystem without user xattrs just hashes again next time.
void cache_md5(const fs::path& file, const std::string& md5) {
  struct stat st{};
  if (::stat(file.c_str(), &st) != 0) return;
  const std::string v = md5 + " " + cache_stamp(st);
  ::setxattr(file.c_str(), kMd5Xattr, v.data(), v.size(), 0);
}

Error stat_error(std::string_view key, const fs::path& file) {
  if (errno == ENOENT || errno == ENOTDIR) return Error(Errc::not_found, "no object '" + std::string(key) + "'");
  return Error(Errc::io, "cannot stat " + file.string() + ": " + std::strerror(errno));
}

}  // namespace

LocalStore::LocalStore(fs::path root, std::string bucket, Logger log)
    : root_(std::move(root)), bucket_dir_(root_ / bucket), bucket_(std::move(bucket)), log_(std::move(log)) {}

std::string LocalStore::describe() const {
  return "local bucket '" + bucket_ + "' at file://" + root_.string();
}

std::string LocalStore::identity() const { return "file\n" + root_.string() + "\n" + bucket_; }

Status LocalStore::check_bucket() {
  std::error_code ec;
  if (!fs::is_directory(bucket_dir_, ec)) {
    return Error(Errc::not_found, "no bucket '" + bucket_ + "': " + bucket_dir_.string() + " is not a directory");
  }
  if (::access(bucket_dir_.c_str(), R_OK | W_OK | X_OK) != 0) {
    return Error(Errc::auth, "bucket directory " + bucket_dir_.string() + " is not writable: " + std::strerror(errno));
  }
  return {};
}

Result<fs::path> LocalStore::object_path(std::string_view key) const {
  auto rel = relative_path_for_key(key);
  if (!rel) return std::move(rel).error();
  return bucket_dir_ / *rel;
}

Result<ObjectInfo> LocalStore::info_for(std::string key, const fs::path& file) const {
  struct stat st{};
  if (::stat(file.c_str(), &st) != 0) return stat_error(key, file);
  if (!S_ISREG(st.st_mode)) return Error(Errc::not_found, "no object '" + key + "'");
  ObjectInfo info;
  info.key = std::move(key);
  info.size = static_cast<uint64_t>(st.st_size);
  info.mtime = mtime_of(st);
  info.md5_hex = cached_md5(file, st);
  if (info.md5_hex.empty()) {
    auto md5 = md5_file_hex(file);
    if (!md5) return std::move(md5).error();
    info.md5_hex = *md5;
    cache_md5(file, info.md5_hex);
  }
  info.etag = info.md5_hex;
  return info;
}

Result<std::vector<ObjectInfo>> LocalStore::list(std::string_view prefix) {
  WS_TRY(check_prefix(prefix));
  WS_TRY(check_bucket());
  // Walk only the deepest directory the prefix names completely.
  const auto slash = prefix.rfind('/');
  const fs::path start = slash == std::string_view::npos
                             ? bucket_dir_
                             : bucket_dir_ / std::string(prefix.substr(0, slash));
  std::vector<ObjectInfo> out;
  std::error_code ec;
  if (!fs::is_directory(start, ec)) return out;
  fs::recursive_directory_iterator it(start, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    std::string key = it->path().lexically_relative(bucket_dir_).generic_string();
    if (key.compare(0, prefix.size(), prefix) != 0) continue;
    auto info = info_for(std::move(key), it->path());
    if (!info) {
      if (info.error().code == Errc::not_found) continue;  // removed while listing
      return std::move(info).error();
    }
    out.push_back(std::move(*info));
  }
  if (ec) return Error(Errc::io, "cannot list " + start.string() + ": " + ec.message());
  std::sort(out.begin(), out.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.key < b.key; });
  return out;
}

Result<ObjectInfo> LocalStore::head(std::string_view key) {
  auto file = object_path(key);
  if (!file) return std::move(file).error();
  return info_for(std::string(key), *file);
}

Result<ObjectInfo> LocalStore::get_file(std::string_view key, const fs::path& dest) {
  auto info = head(key);
  if (!info) return info;
  auto out = AtomicFile::create(dest);
  if (!out) return std::move(out).error();
  auto copied = out->copy_from(bucket_dir_ / std::string(key));
  if (!copied) return std::move(copied).error();
  WS_TRY(out->commit(info->mtime));
  return info;
}

Result<std::string> LocalStore::get_bytes(std::string_view key) {
  auto file = object_path(key);
  if (!file) return std::move(file).error();
  struct stat st{};
  if (::stat(file->c_str(), &st) != 0) return stat_error(key, *file);
  if (!S_ISREG(st.st_mode)) return Error(Errc::not_found, "no object '" + std::string(key) + "'");
  FILE* f = std::fopen(file->c_str(), "rb");
  if (!f) return stat_error(key, *file);
  std::string data(static_cast<size_t>(st.st_size), '\0');
  const size_t n = std::fread(data.data(), 1, data.size(), f);
  std::fclose(f);
  data.resize(n);
  return data;
}

Status LocalStore::put_file(std::string_view key, const fs::path& src, const PutOptions& opts) {
  auto file = object_path(key);
  if (!file) return std::move(file).error();
  WS_TRY(check_bucket());
  auto out = AtomicFile::create(*file, temp_dir());
  if (!out) return std::move(out).error();
  auto digest = Digest::md5();
  auto st = out->copy_from(src, &digest, opts.source_links);
  if (!st) return std::move(st).error();
  WS_TRY(out->commit(opts.mtime ? *opts.mtime : mtime_of(*st)));
  cache_md5(*file, to_hex(digest.finish()));
  return {};
}

Status LocalStore::put_bytes(std::string_view key, std::string_view data, const PutOptions& opts) {
  auto file = object_path(key);
  if (!file) return std::move(file).error();
  WS_TRY(check_bucket());
  auto out = AtomicFile::create(*file, temp_dir());
  if (!out) return std::move(out).error();
  WS_TRY(out->write(data));
  WS_TRY(out->commit(opts.mtime));
  cache_md5(*file, md5_hex(data));
  return {};
}

Status LocalStore::remove_one(std::string_view key) {
  auto file = object_path(key);
  if (!file) return std::move(file).error();
  // A directory at the key's path holds other keys; like S3, deleting a key
  // that is not there succeeds.
  if (::unlink(file->c_str()) != 0 && errno != ENOENT && errno != ENOTDIR && errno != EISDIR) {
    return Error(Errc::io, "cannot delete " + file->string() + ": " + std::strerror(errno));
  }
  // S3 has no directories: drop the ones this delete emptied.
  for (fs::path dir = file->parent_path(); dir != bucket_dir_ && dir.native().size() > bucket_dir_.native().size();
       dir = dir.parent_path()) {
    if (::rmdir(dir.c_str()) != 0) break;
  }
  return {};
}

Result<std::vector<DeleteFailure>> LocalStore::remove(const std::vector<std::string>& keys) {
  WS_TRY(check_bucket());
  std::vector<DeleteFailure> failures;
  for (const auto& key : keys) {
    if (auto st = remove_one(key); !st) failures.push_back({key, st.error().message});
  }
  return failures;
}

}  // namespace ws::store

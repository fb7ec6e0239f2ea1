// The local-directory backend (endpoint file:///abs/dir): object <key> of
// bucket <b> is the file <dir>/<b>/<key>, with the semantics of the S3
// backend. Temporary files live in <dir>/.ws-tmp (never a bucket name), so no
// key is ever hidden from a listing and renames stay on one filesystem.
//
// MD5: computed from the content (while writing, for puts) and cached in the
// extended attribute user.ws.md5 as "<hex> <size> <mtime-ns>"; the cache is
// trusted only while size and mtime still match, so a file edited behind the
// store's back is re-hashed, and on filesystems without user xattrs every
// listing hashes.
// The object's mtime is the file's mtime.
#pragma once

#include <filesystem>

#include "store/store.hpp"

namespace ws::store {

class LocalStore final : public Store {
 public:
  LocalStore(std::filesystem::path root, std::string bucket, Logger log = {});

  std::string describe() const override;
  std::string identity() const override;
  Status check_bucket() override;
  Result<std::vector<ObjectInfo>> list(std::string_view prefix) override;
  Result<ObjectInfo> head(std::string_view key) override;
  Result<ObjectInfo> get_file(std::string_view key, const std::filesystem::path& dest) override;
  Result<std::string> get_bytes(std::string_view key) override;
  Status put_file(std::string_view key, const std::filesystem::path& src,
                  const PutOptions& opts = {}) override;
  Status put_bytes(std::string_view key, std::string_view data, const PutOptions& opts = {}) override;
  Result<std::vector<DeleteFailure>> remove(const std::vector<std::string>& keys) override;

 private:
  Result<std::filesystem::path> object_path(std::string_view key) const;
  std::filesystem::path temp_dir() const { return root_ / ".ws-tmp"; }
  Result<ObjectInfo> info_for(std::string key, const std::filesystem::path& file) const;
  Status remove_one(std::string_view key);

  std::filesystem::path root_;
  std::filesystem::path bucket_dir_;
  std::string bucket_;
  Logger log_;
};

}  // namespace ws::store

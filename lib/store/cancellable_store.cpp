#include "store/cancellable_store.hpp"

namespace ws::store {

std::unique_ptr<Store> Store::cancellable(const CancelToken& cancel) {
  return std::make_unique<CancelCheckedStore>(*this, cancel);
}

Status CancelCheckedStore::check(std::string_view what) const {
  if (!cancel_.requested()) return {};
  return Error(Errc::cancelled, std::string(what) + " (" + inner_.describe() + "): cancelled");
}

Status CancelCheckedStore::check_bucket() {
  WS_TRY(check("checking the bucket"));
  return inner_.check_bucket();
}

Result<std::vector<ObjectInfo>> CancelCheckedStore::list(std::string_view prefix) {
  WS_TRY(check("listing '" + std::string(prefix) + "'"));
  return inner_.list(prefix);
}

Result<ObjectInfo> CancelCheckedStore::head(std::string_view key) {
  WS_TRY(check("reading '" + std::string(key) + "'"));
  return inner_.head(key);
}

Result<ObjectInfo> CancelCheckedStore::get_file(std::string_view key, const std::filesystem::path& dest) {
  WS_TRY(check("downloading '" + std::string(key) + "'"));
  return inner_.get_file(key, dest);
}

Result<std::string> CancelCheckedStore::get_bytes(std::string_view key) {
  WS_TRY(check("downloading '" + std::string(key) + "'"));
  return inner_.get_bytes(key);
}

Status CancelCheckedStore::put_file(std::string_view key, const std::filesystem::path& src, const PutOptions& opts) {
  WS_TRY(check("uploading '" + std::string(key) + "'"));
  return inner_.put_file(key, src, opts);
}

Status CancelCheckedStore::put_bytes(std::string_view key, std::string_view data, const PutOptions& opts) {
  WS_TRY(check("uploading '" + std::string(key) + "'"));
  return inner_.put_bytes(key, data, opts);
}

Result<std::vector<DeleteFailure>> CancelCheckedStore::remove(const std::vector<std::string>& keys) {
  WS_TRY(check("deleting " + std::to_string(keys.size()) + " objects"));
  return inner_.remove(keys);
}

}  // namespace ws::store

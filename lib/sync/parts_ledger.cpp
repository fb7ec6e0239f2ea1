#include "sync/parts_ledger.hpp"

#include <optional>

namespace ws::sync {

void PartsLedger::load(StateDb& db, const std::string& scope, const std::string& store_id) {
  if (threshold_ == 0) return;
  if (auto records = db.load_parts(scope)) records_ = std::move(*records);
  if (auto refused = db.store_refuses(store_id, kCopyRequest)) copy_refused_ = *refused;
}

Result<store::PartsUpload> PartsLedger::upload(store::Store& store, const std::string& key,
                                               const std::filesystem::path& src, const store::PutOptions& put) {
  store::PartsOptions opts;
  opts.part_size = part_size_;
  std::optional<store::PartsRecord> base;
  {
    std::lock_guard lock(mu_);
    opts.copy = !copy_refused_ && !copy_refused_now_;
    if (auto it = records_.find(key); it != records_.end()) base = it->second;
  }
  if (base) opts.base = &*base;
  auto up = store.put_file_parts(key, src, put, opts);
  // A failed upload was aborted: the object, and so its record, is as it was.
  if (!up) return up;
  std::lock_guard lock(mu_);
  if (up->copy_unsupported) copy_refused_now_ = true;
  if (up->record.etag.empty()) {
    if (records_.erase(key) != 0) drop_.push_back(key);
  } else {
    records_[key] = up->record;
    put_.emplace_back(key, up->record);
  }
  return up;
}

void PartsLedger::forget(const std::string& key) {
  std::lock_guard lock(mu_);
  if (records_.erase(key) != 0) drop_.push_back(key);
}

Status PartsLedger::save(StateDb& db, const std::string& scope, const std::string& store_id,
                         const RemoteView& remote) {
  std::lock_guard lock(mu_);
  for (const auto& [key, record] : records_) {
    if (remote.find(key) == remote.end()) drop_.push_back(key);
  }
  if (copy_refused_now_) WS_TRY(db.note_store_refuses(store_id, kCopyRequest));
  return db.update_parts(scope, put_, drop_);
}

}  // namespace ws::sync

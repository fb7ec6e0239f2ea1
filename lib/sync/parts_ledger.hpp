// The delta-upload side of one tree's mirror cycle: which files go up in
// fixed-size parts, the part records of the objects already up (kept in the
// state database beside the manifest), and whether the store copies parts
// on the server at all (a NotImplemented answer is remembered there too, so
// it is asked once, not every cycle). Thread-safe: uploads run in parallel.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "sync/state_db.hpp"

namespace ws::sync {

class PartsLedger {
 public:
  // `threshold` 0: no file goes up in parts.
  PartsLedger(uint64_t threshold, uint64_t part_size) : threshold_(threshold), part_size_(part_size) {}

  // Reads the records of `scope` and the store's refusals; a database
  // error only costs whole uploads.
  void load(StateDb& db, const std::string& scope, const std::string& store_id);

  bool wants_parts(uint64_t size) const { return threshold_ > 0 && size >= threshold_; }

  // Uploads `src` to `key` in parts, copying the unchanged ones from the
  // object the record describes, and keeps the new record.
  Result<store::PartsUpload> upload(store::Store& store, const std::string& key, const std::filesystem::path& src,
                                    const store::PutOptions& put);

  // `key` was written whole: its record no longer describes the object.
  void forget(const std::string& key);

  // Writes the new records and refusals; drops the records of keys that
  // are not in `remote` (deleted, or gone from the listing).
  Status save(StateDb& db, const std::string& scope, const std::string& store_id, const RemoteView& remote);

 private:
  static constexpr const char* kCopyRequest = "UploadPartCopy";

  const uint64_t threshold_, part_size_;
  std::mutex mu_;
  PartsRecords records_;
  std::vector<std::pair<std::string, store::PartsRecord>> put_;
  std::vector<std::string> drop_;
  bool copy_refused_ = false;  // known before this cycle
  bool copy_refused_now_ = false;
};

}  // namespace ws::sync

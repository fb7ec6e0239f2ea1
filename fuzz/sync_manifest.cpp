// The sync layer's manifest, built from a listing of the store (which an
// endpoint or another writer controls) and kept in the sync state database:
// whatever keys, sizes and MD5s a listing page carries, the manifest read
// back holds exactly the entries with a known MD5.
#include "fuzz_check.hpp"
#include "store/s3_xml.hpp"
#include "sync/state_db.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ws::sync;
  static auto db = StateDb::open(":memory:");
  FUZZ_CHECK(db);
  auto page = ws::store::parse_list_objects_v2(ws::fuzz::text_of(data, size));
  if (!page) return 0;
  RemoteView view;
  for (const auto& o : page->objects) view[o.key] = RemoteEntry{o.size, o.md5_hex};
  RemoteView known;
  for (const auto& [key, e] : view) {
    if (!e.md5.empty()) known[key] = e;
  }
  FUZZ_CHECK(db->replace_manifest("scope", view));
  auto loaded = db->load_manifest("scope");
  FUZZ_CHECK(loaded && loaded->has_value());
  const auto& entries = (*loaded)->entries;
  FUZZ_CHECK(entries.size() == known.size());
  for (const auto& [key, e] : known) {
    const auto it = entries.find(key);
    FUZZ_CHECK(it != entries.end() && it->second.size == e.size && it->second.md5 == e.md5);
  }
  return 0;
}

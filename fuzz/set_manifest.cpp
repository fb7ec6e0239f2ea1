// A stored repo-state set manifest (libworkspace-set.json), which anyone
// with write access to the session's prefix can replace: any text is read
// or refused with an error (never an exception), and a manifest that is
// read names only set files and writes out to JSON that reads back the same.
#include "fuzz_check.hpp"
#include "workspace/repo_state_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ws::workspace;
  auto m = manifest_from_json(ws::fuzz::text_of(data, size));
  if (!m) return 0;
  auto again = manifest_from_json(manifest_to_json(*m));
  FUZZ_CHECK(again);
  FUZZ_CHECK(*again == *m);
  return 0;
}

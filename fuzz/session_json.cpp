// The CP session object of the pod plan: any text is parsed or refused with
// an error. What is accepted names the session with something left after
// sanitising, clones only into repos/<name> and reads the workflow from a
// relative path inside its repo.
#include "fuzz_check.hpp"
#include "config/sanitize.hpp"
#include "config/session.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ws::config;
  auto s = parse_session(ws::fuzz::text_of(data, size));
  if (!s) return 0;
  FUZZ_CHECK(!sanitize_name(s->name).empty() && !sanitize_name(s->namespace_name).empty());
  for (const auto& r : s->repos) FUZZ_CHECK(ws::fuzz::is_entry_name(r.name));
  if (s->workflow) {
    FUZZ_CHECK(ws::fuzz::is_entry_name(s->workflow->name));
    FUZZ_CHECK(ws::fuzz::is_relative_inside(s->workflow->path));
  }
  return 0;
}

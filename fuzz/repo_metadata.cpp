// A stored repo-state/<repo>/metadata.json: any text is read or refused with
// an error; what is read, written again, reads back the same and never
// carries userinfo in its remote URL.
#include "common/redact.hpp"
#include "fuzz_check.hpp"
#include "git/repo_metadata.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ws::git;
  auto m = parse_repo_metadata(ws::fuzz::text_of(data, size));
  if (!m) return 0;
  auto again = parse_repo_metadata(to_json(*m));
  FUZZ_CHECK(again);
  FUZZ_CHECK(again->remote_url == ws::redact_url(m->remote_url));
  FUZZ_CHECK(again->current_branch == m->current_branch && again->head_sha == m->head_sha &&
             again->local_branches == m->local_branches && again->backed_up_at == m->backed_up_at);
  return 0;
}

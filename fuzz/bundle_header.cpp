// The text header of a stored repo.bundle: any bytes are read as a header
// or refused with an error, and an accepted header written out again reads
// back the same, leaving the stream at the same first byte of the pack. (A
// v3 header without capabilities is written as v2, which says the same.)
#include "fuzz_check.hpp"
#include "git/bundle_header.hpp"

#include <sstream>

namespace {

bool same(const ws::git::BundleHeader& a, const ws::git::BundleHeader& b) {
  if (a.capabilities != b.capabilities || a.prerequisites != b.prerequisites ||
      a.refs.size() != b.refs.size()) {
    return false;
  }
  for (size_t i = 0; i < a.refs.size(); ++i) {
    if (a.refs[i].oid != b.refs[i].oid || a.refs[i].name != b.refs[i].name) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ws::git;
  std::istringstream in{std::string(ws::fuzz::text_of(data, size))};
  auto header = read_bundle_header(in);
  if (!header) return 0;
  const std::string pack(std::istreambuf_iterator<char>(in), {});
  std::istringstream again{serialize_bundle_header(*header) + pack};
  auto reread = read_bundle_header(again);
  FUZZ_CHECK(reread);
  FUZZ_CHECK(same(*header, *reread));
  FUZZ_CHECK(std::string(std::istreambuf_iterator<char>(again), {}) == pack);
  return 0;
}

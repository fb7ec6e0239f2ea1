// The text header of a git bundle (v2, and v3 with capabilities): what a
// bundle needs (prerequisites) and what it brings (refs). The pack follows
// the blank line that ends the header.
#pragma once

#include <istream>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace ws::git {

struct BundleRef {
  std::string oid;   // 40 hex
  std::string name;  // "refs/heads/main", "HEAD"
};

struct BundleHeader {
  int version = 2;
  std::vector<std::pair<std::string, std::string>> capabilities;  // v3 only
  std::vector<std::string> prerequisites;                         // 40 hex each
  std::vector<BundleRef> refs;
};

// The header's bytes, blank line included (v2; v3 when capabilities are set).
std::string serialize_bundle_header(const BundleHeader& header);

// Reads a header from `in`, leaving `in` at the first byte of the pack.
// unsupported: not a bundle version this build reads (v2, v3), a capability
// other than @object-format=sha1, or a sha256 object name; invalid_input: a
// malformed line.
Result<BundleHeader> read_bundle_header(std::istream& in);

}  // namespace ws::git

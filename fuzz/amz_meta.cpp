// The x-amz-meta-* values and ETag of a stored object (rclone's Mtime and
// Md5chksum conventions): any header value is read or ignored; an mtime
// that is accepted formats back to a value that reads the same, an
// Md5chksum decodes to bytes that encode and decode the same, and an MD5
// taken from an ETag is 16 bytes.
#include <cmath>

#include "common/base64.hpp"
#include "fuzz_check.hpp"
#include "store/digest.hpp"
#include "store/rclone_metadata.hpp"
#include "store/s3_xml.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ws::store;
  const auto text = ws::fuzz::text_of(data, size);
  if (const auto mtime = parse_mtime(text)) {
    const auto again = parse_mtime(format_mtime(*mtime));
    FUZZ_CHECK(again);
    FUZZ_CHECK(std::abs(*again - *mtime) <= 1e-9 * std::max(1.0, std::abs(*mtime)));
  }
  if (auto raw = ws::base64_decode(text)) {
    auto again = ws::base64_decode(ws::base64_encode(*raw));
    FUZZ_CHECK(again && *again == *raw);
  }
  if (const auto md5 = md5_from_etag(text); !md5.empty()) {
    auto raw = from_hex(md5);
    FUZZ_CHECK(raw && raw->size() == 16);
  }
  return 0;
}

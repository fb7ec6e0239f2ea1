// S3's XML answers (ListObjectsV2 pages, error documents, multipart and
// delete results) from an endpoint that may be hostile: any bytes are read
// or refused with an error, listed objects have a key and an MD5 that is
// 32 lower-case hex digits or none, and an error answer's message never
// carries the credentials, even when the answer echoes them.
#include "fuzz_check.hpp"
#include "http/http.hpp"
#include "store/s3_response_error.hpp"
#include "store/s3_xml.hpp"

namespace {

bool is_md5_hex(const std::string& s) {
  return s.size() == 32 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ws::store;
  const auto text = ws::fuzz::text_of(data, size);
  if (auto page = parse_list_objects_v2(text)) {
    for (const auto& o : page->objects) {
      FUZZ_CHECK(!o.key.empty());
      FUZZ_CHECK(o.md5_hex.empty() || is_md5_hex(o.md5_hex));
    }
    FUZZ_CHECK(!page->truncated || !page->next_continuation_token.empty());
  }
  if (auto id = parse_upload_id(text)) FUZZ_CHECK(!id->empty());
  (void)parse_delete_result(text);

  constexpr std::string_view kAccessKey = "AKIAFUZZACCESS";
  constexpr std::string_view kSecretKey = "fuzzSecretKey/Example+1234";
  ws::http::Response resp;
  resp.status = size % 2 == 0 ? 400 : 403;
  resp.body = std::string(text);
  const auto err = s3_response_error(resp, "GET k", kAccessKey, kSecretKey);
  FUZZ_CHECK(err.message.find(kAccessKey) == std::string::npos);
  FUZZ_CHECK(err.message.find(kSecretKey) == std::string::npos);
  return 0;
}

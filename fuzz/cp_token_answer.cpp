// The CP token endpoint's answer and the token in it: any body gives a
// non-empty token or a protocol error that never quotes the body, and any
// token (a JWT or not) gives an expiry or none without overflowing.
#include "auth/api_token.hpp"
#include "auth/jwt_expiry.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ws::auth;
  const auto text = ws::fuzz::text_of(data, size);
  (void)jwt_expiry(text);
  auto token = token_from_answer(text);
  if (!token) {
    FUZZ_CHECK(token.error().code == ws::Errc::protocol);
    FUZZ_CHECK(token.error().message.find('{') == std::string::npos);
    return 0;
  }
  FUZZ_CHECK(!token->empty());
  (void)jwt_expiry(*token);
  return 0;
}

// The CP token endpoint's answer and the token in it: any body gives a
// non-empty token or a protocol error that never quotes the body, and any
// token (a JWT or not) gives an expiry or none, which a refresh can be
// scheduled before without overflowing the clock.
#include "auth/api_token.hpp"
#include "auth/jwt_expiry.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ws::auth;
  const auto text = ws::fuzz::text_of(data, size);
  if (const auto exp = jwt_expiry(text)) (void)(*exp - std::chrono::hours(24));
  auto token = token_from_answer(text);
  if (!token) {
    FUZZ_CHECK(token.error().code == ws::Errc::protocol);
    FUZZ_CHECK(token.error().message.find('{') == std::string::npos);
    return 0;
  }
  FUZZ_CHECK(!token->empty());
  if (const auto exp = jwt_expiry(*token)) (void)(*exp - std::chrono::hours(24));
  return 0;
}

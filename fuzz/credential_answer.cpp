// The backend's answer to a git-credentials request: any body gives a
// credential with a non-empty token or a "malformed" outcome whose message
// never quotes the body (it may hold a token under another name).
#include "auth/git_credentials.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ws::auth;
  const std::string what = "github credentials from https://backend/x";
  const auto r = parse_credential_answer(ws::fuzz::text_of(data, size), what);
  if (r.credential) {
    FUZZ_CHECK(r.outcome == CredentialOutcome::fetched && !r.credential->token.empty());
  } else {
    FUZZ_CHECK(r.outcome == CredentialOutcome::malformed);
    FUZZ_CHECK(r.message.rfind(what + ": ", 0) == 0);
    FUZZ_CHECK(r.message.find('{') == std::string::npos);
  }
  return 0;
}

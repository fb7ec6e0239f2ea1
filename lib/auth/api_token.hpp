// The API bearer token of a session (behaviour §4): from the CP token endpoint
// when AMBIENT_CP_TOKEN_URL is set, else BOT_TOKEN.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "auth/auth_options.hpp"
#include "common/error.hpp"
#include "common/log.hpp"
#include "http/http.hpp"
#include "config/config.hpp"

namespace ws::auth {

enum class TokenSource { cp_token_endpoint, bot_token };

const char* token_source_name(TokenSource s) noexcept;

struct ApiToken {
  std::string value;  // secret
  TokenSource source = TokenSource::bot_token;
  // From the token's JWT "exp" claim when it has one.
  std::optional<std::chrono::system_clock::time_point> expires_at;
};

// Errors: not_found when neither a CP token URL nor BOT_TOKEN is configured;
// invalid_input for a bad URL, key or session id; auth when the endpoint
// refuses (401/403); network when it cannot be reached; protocol for any
// other status or a malformed answer. Each names the step that failed.
Result<ApiToken> resolve_api_token(const config::Config& config, const AuthOptions& options,
                                   http::Client& client, const Logger& log);

// The token of the CP's 200 answer {"token": "..."}. protocol errors never
// quote the body: it may carry a token under another name.
Result<std::string> token_from_answer(std::string_view body);

// Only the CP exchange (for callers that hold the inputs, not a Config).
// With an empty `public_key_pem` the bearer presented is the service-account
// token read from `service_account_token_file`.
struct CpTokenRequest {
  std::string url;
  std::string public_key_pem;
  std::string session_id;
  std::string service_account_token_file;
};

Result<ApiToken> fetch_cp_token(const CpTokenRequest& request, const AuthOptions& options,
                                http::Client& client, const Logger& log);

}  // namespace ws::auth

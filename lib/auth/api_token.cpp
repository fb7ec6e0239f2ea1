#include "auth/api_token.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <sstream>
#include <thread>

#include "auth/answer_excerpt.hpp"
#include "auth/bearer_destination.hpp"
#include "auth/jwt_expiry.hpp"
#include "auth/session_id_cipher.hpp"
#include "common/redact.hpp"

namespace ws::auth {
namespace {

constexpr const char* kDefaultServiceAccountTokenFile =
    "/var/run/secrets/kubernetes.io/serviceaccount/token";

Result<std::string> read_service_account_token(const std::string& configured) {
  const std::string path = configured.empty() ? kDefaultServiceAccountTokenFile : configured;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in) {
    return Error(Errc::auth,
                 "reading the service-account token: cannot read " + path +
                     " (and AMBIENT_CP_TOKEN_PUBLIC_KEY is not set)");
  }
  std::string token = text.str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) {
    token.pop_back();
  }
  if (token.empty()) return Error(Errc::auth, "reading the service-account token: " + path + " is empty");
  return token;
}

}  // namespace

Result<std::string> token_from_answer(std::string_view body) {
  boost::system::error_code ec;
  const auto doc = boost::json::parse(body, ec);
  if (ec || !doc.is_object()) return Error(Errc::protocol, "the answer is not a JSON object");
  const auto* token = doc.as_object().if_contains("token");
  if (token == nullptr || !token->is_string()) {
    return Error(Errc::protocol, "the answer has no string field \"token\"");
  }
  if (token->as_string().empty()) return Error(Errc::protocol, "the answer's \"token\" is empty");
  return std::string(token->as_string());
}

namespace {

Result<ApiToken> attempt_exchange(const std::string& url, const std::string& bearer,
                                  const AuthOptions& options, http::Client& client) {
  http::Request req;
  req.url = url;
  req.headers.push_back({"Authorization", "Bearer " + bearer});
  req.headers.push_back({"Accept", "application/json"});
  req.timeout = options.token_timeout;
  req.connect_timeout = std::min(options.token_timeout, req.connect_timeout);
  http::RetryPolicy once;
  once.max_attempts = 1;  // this layer paces its own attempts (1 s, then 2 s)
  auto res = client.perform(req, once);
  if (!res) return Error(res.error().code, "connecting: " + scrub(res.error().message, bearer));
  if (res->status != 200) {
    const Errc code = res->status == 401 || res->status == 403 ? Errc::auth : Errc::protocol;
    return Error(code, "HTTP " + std::to_string(res->status) + " " + answer_excerpt(res->body, bearer));
  }
  auto token = token_from_answer(res->body);
  if (!token) return std::move(token).error().context("malformed answer");
  ApiToken out;
  out.value = std::move(*token);
  out.source = TokenSource::cp_token_endpoint;
  out.expires_at = jwt_expiry(out.value);
  return out;
}

}  // namespace

const char* token_source_name(TokenSource s) noexcept {
  switch (s) {
    case TokenSource::cp_token_endpoint: return "CP token endpoint";
    case TokenSource::bot_token: return "BOT_TOKEN";
  }
  return "unknown";
}

Result<ApiToken> fetch_cp_token(const CpTokenRequest& request, const AuthOptions& options,
                                http::Client& client, const Logger& log) {
  auto where = check_bearer_destination("AMBIENT_CP_TOKEN_URL", request.url, options.allow_plain_http);
  if (!where) return std::move(where).error().context("CP token endpoint");

  auto bearer = request.public_key_pem.empty()
                    ? read_service_account_token(request.service_account_token_file)
                    : encrypt_session_id(request.public_key_pem, request.session_id);
  if (!bearer) return std::move(bearer).error().context("CP token endpoint");

  const int attempts = std::max(options.token_attempts, 1);
  const std::string target = "CP token endpoint " + redact_url(request.url);
  for (int attempt = 1;; ++attempt) {
    auto token = attempt_exchange(request.url, *bearer, options, client);
    if (token) {
      log.info("token.fetched", "API token from the " + target);
      return token;
    }
    Error err = std::move(token).error().context(target);
    if (attempt >= attempts) {
      err.message += " (after " + std::to_string(attempts) + " attempts)";
      return err;
    }
    const auto pause = options.token_retry_pause * attempt;
    log.warn("token.retry", err.message + "; attempt " + std::to_string(attempt + 1) + " of " +
                                std::to_string(attempts) + " in " + std::to_string(pause.count()) +
                                " ms");
    if (options.sleeper) options.sleeper(pause);
    else std::this_thread::sleep_for(pause);
  }
}

Result<ApiToken> resolve_api_token(const config::Config& config, const AuthOptions& options,
                                   http::Client& client, const Logger& log) {
  if (!config.cp_token_url.empty()) {
    return fetch_cp_token({config.cp_token_url, config.cp_token_public_key, config.session_id,
                           config.service_account_token_file},
                          options, client, log);
  }
  if (!config.bot_token.empty()) {
    ApiToken t;
    t.value = config.bot_token;
    t.source = TokenSource::bot_token;
    t.expires_at = jwt_expiry(t.value);
    return t;
  }
  return Error(Errc::not_found, "no API token: neither AMBIENT_CP_TOKEN_URL nor BOT_TOKEN is set");
}

}  // namespace ws::auth

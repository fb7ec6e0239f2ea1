#include "libworkspace/auth.h"

#include <memory>

#include "auth/api_token.hpp"
#include "auth/session_credentials.hpp"
#include "capi/auth_handles.hpp"
#include "capi/capi.hpp"
#include "capi/spec_handles.hpp"

namespace {

using ws::capi::fail;
using ws::capi::guard;
using ws::capi::check_version_of;
using ws::capi::null_arg;
using ws::capi::rejected;
using ws::capi::succeed;

ws::auth::AuthOptions options_from(const ws_auth_options* opts) {
  ws::auth::AuthOptions o;
  if (opts == nullptr) return o;
  o.allow_plain_http = opts->allow_plain_http != 0;
  if (opts->token_attempts > 0) o.token_attempts = static_cast<int>(opts->token_attempts);
  if (opts->token_timeout_ms > 0) o.token_timeout = std::chrono::milliseconds(opts->token_timeout_ms);
  return o;
}

const ws::auth::CredentialResult* result_for(const ws_credentials* creds, ws_git_hosting hosting) {
  switch (hosting) {
    case WS_GIT_HOSTING_GITHUB: return &creds->resolved.git.github;
    case WS_GIT_HOSTING_GITLAB: return &creds->resolved.git.gitlab;
  }
  return nullptr;
}

ws_credential_outcome to_c(ws::auth::CredentialOutcome o) {
  using O = ws::auth::CredentialOutcome;
  switch (o) {
    case O::fetched: return WS_CREDENTIAL_FETCHED;
    case O::from_environment: return WS_CREDENTIAL_FROM_ENVIRONMENT;
    case O::auth_failed: return WS_CREDENTIAL_AUTH_FAILED;
    case O::not_configured: return WS_CREDENTIAL_NOT_CONFIGURED;
    case O::unreachable: return WS_CREDENTIAL_UNREACHABLE;
    case O::malformed: return WS_CREDENTIAL_MALFORMED;
    case O::skipped: return WS_CREDENTIAL_SKIPPED;
  }
  return WS_CREDENTIAL_SKIPPED;
}

}  // namespace

extern "C" {

int ws_auth_api_token(const ws_config* cfg, const ws_auth_options* opts, const ws_callbacks* callbacks,
                      char** out) {
  return guard([&] {
    int status = 0;
    if (null_arg(out, "out", &status)) return status;
    *out = nullptr;
    if (null_arg(cfg, "cfg", &status)) return status;
    if (rejected(check_version_of(opts, WS_AUTH_OPTIONS_VERSION, "ws_auth_options"), &status)) return status;
    auto log = ws::capi::make_logger(callbacks);
    if (!log) return fail(log.error());
    ws::http::Client client(*log);
    auto token = ws::auth::resolve_api_token(cfg->config, options_from(opts), client, *log);
    if (!token) return fail(token.error());
    *out = ws::capi::dup_string(token->value);
    return succeed();
  });
}

int ws_credentials_resolve(ws_credentials** out, const ws_config* cfg, const ws_auth_options* opts,
                           const ws_callbacks* callbacks) {
  return guard([&] {
    int status = 0;
    if (null_arg(out, "out", &status)) return status;
    *out = nullptr;
    if (null_arg(cfg, "cfg", &status)) return status;
    if (rejected(check_version_of(opts, WS_AUTH_OPTIONS_VERSION, "ws_auth_options"), &status)) return status;
    auto log = ws::capi::make_logger(callbacks);
    if (!log) return fail(log.error());
    auto handle = std::make_unique<ws_credentials>();
    handle->resolved = ws::auth::resolve_session_credentials(cfg->config, options_from(opts), *log);
    *out = handle.release();
    return succeed();
  });
}

void ws_credentials_free(ws_credentials* creds) { delete creds; }

int ws_credentials_outcome(const ws_credentials* creds, ws_git_hosting hosting,
                           ws_credential_outcome* outcome, const char** message) {
  return guard([&] {
    int status = 0;
    if (null_arg(creds, "creds", &status) || null_arg(outcome, "outcome", &status)) return status;
    const auto* r = result_for(creds, hosting);
    if (r == nullptr) return fail(ws::Error(ws::Errc::invalid_input, "unknown git hosting"));
    *outcome = to_c(r->outcome);
    if (message != nullptr) *message = r->message.c_str();
    return succeed();
  });
}

int ws_credentials_lookup(const ws_credentials* creds, const char* protocol, const char* host,
                          char** username, char** password) {
  return guard([&] {
    int status = 0;
    if (null_arg(username, "username", &status) || null_arg(password, "password", &status)) return status;
    *username = nullptr;
    *password = nullptr;
    if (null_arg(creds, "creds", &status) || null_arg(protocol, "protocol", &status) ||
        null_arg(host, "host", &status)) {
      return status;
    }
    auto found = creds->resolved.provider->lookup(protocol, host);
    if (!found) {
      return fail(ws::Error(ws::Errc::not_found,
                            std::string("no credential for ") + protocol + "://" + host));
    }
    std::unique_ptr<char, decltype(&ws_string_free)> user(ws::capi::dup_string(found->username),
                                                           &ws_string_free);
    *password = ws::capi::dup_string(found->password);
    *username = user.release();
    return succeed();
  });
}

int ws_credentials_identity(const ws_credentials* creds, const char** name, const char** email) {
  return guard([&] {
    int status = 0;
    if (null_arg(creds, "creds", &status) || null_arg(name, "name", &status) ||
        null_arg(email, "email", &status)) {
      return status;
    }
    *name = creds->resolved.identity.name.c_str();
    *email = creds->resolved.identity.email.c_str();
    return succeed();
  });
}

}  // extern "C"

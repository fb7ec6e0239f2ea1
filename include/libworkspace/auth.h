/*
 * libworkspace — auth area of the C API: the session's API bearer token and
 * its git hosting credentials (behaviour §4). See common.h for conventions.
 *
 * Every string these calls return that is a token is a secret: the library
 * never logs it, and callers should not either. Tokens go to a host only
 * through ws_credentials_lookup, which applies behaviour §4's host scoping.
 */
#ifndef LIBWORKSPACE_AUTH_H
#define LIBWORKSPACE_AUTH_H

#include "common.h"
#include "spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of the calls below. Zero fields take the defaults of behaviour §4. */
typedef struct ws_auth_options {
	unsigned int version;          /* WS_AUTH_OPTIONS_VERSION */
	int allow_plain_http;          /* nonzero: bearer tokens may travel over plain
	                                  http to hosts outside the cluster */
	unsigned int token_attempts;   /* CP token endpoint attempts; 0 = 3 */
	unsigned int token_timeout_ms; /* each attempt's timeout; 0 = 10000 */
} ws_auth_options;

#define WS_AUTH_OPTIONS_VERSION 1
#define WS_AUTH_OPTIONS_INIT { WS_AUTH_OPTIONS_VERSION, 0, 0, 0 }

/* Sets *opts as WS_AUTH_OPTIONS_INIT does, for `version`. */
WS_EXTERN(int) ws_auth_options_init(ws_auth_options *opts, unsigned int version);

/*
 * Resolves the session's API bearer token: from the CP token endpoint when
 * AMBIENT_CP_TOKEN_URL is configured (three attempts, 1 s then 2 s apart),
 * else BOT_TOKEN. `opts` and `callbacks` may be NULL (defaults, no logging).
 * On success *out is the token (a secret), owned by the caller and freed
 * with ws_string_free; on failure *out is NULL and the status says why:
 * WS_ENOTFOUND nothing configured, WS_EINVALID bad URL/key/session id,
 * WS_EAUTH refused, WS_ENETWORK unreachable, WS_EPROTOCOL malformed answer.
 * Blocks for up to about 33 s.
 */
WS_EXTERN(int) ws_auth_api_token(const ws_config *cfg, const ws_auth_options *opts,
                                 const ws_callbacks *callbacks, char **out);

/* The session's resolved git credentials; immutable, shareable between threads. */
typedef struct ws_credentials ws_credentials;

typedef enum ws_git_hosting {
	WS_GIT_HOSTING_GITHUB = 0,
	WS_GIT_HOSTING_GITLAB = 1
} ws_git_hosting;

/* How a hosting's token was obtained, or why there is none. */
typedef enum ws_credential_outcome {
	WS_CREDENTIAL_FETCHED = 0,          /* from the backend credentials API */
	WS_CREDENTIAL_FROM_ENVIRONMENT = 1, /* GITHUB_TOKEN / GITLAB_TOKEN */
	WS_CREDENTIAL_AUTH_FAILED = 2,      /* backend refused the API token (401/403) */
	WS_CREDENTIAL_NOT_CONFIGURED = 3,   /* backend has none (404) */
	WS_CREDENTIAL_UNREACHABLE = 4,      /* backend could not be reached */
	WS_CREDENTIAL_MALFORMED = 5,        /* unexpected status or answer */
	WS_CREDENTIAL_SKIPPED = 6           /* no backend URL or no API token */
} ws_credential_outcome;

/*
 * Resolves GitHub and GitLab credentials: GITHUB_TOKEN / GITLAB_TOKEN, else
 * the backend credentials API (resolving the API token first). Problems are
 * warnings through `callbacks` and outcomes on the handle, not failures: this
 * fails only on bad arguments. *out is owned by the caller
 * (ws_credentials_free). `opts` and `callbacks` may be NULL.
 */
WS_EXTERN(int) ws_credentials_resolve(ws_credentials **out, const ws_config *cfg,
                                      const ws_auth_options *opts, const ws_callbacks *callbacks);

/* Frees credentials; NULL is fine. */
WS_EXTERN(void) ws_credentials_free(ws_credentials *creds);

/*
 * The outcome for `hosting`; `message` (may be NULL) receives a
 * human-readable reason when there is no token, else "". The message is
 * borrowed from `creds`, valid until ws_credentials_free.
 */
WS_EXTERN(int) ws_credentials_outcome(const ws_credentials *creds, ws_git_hosting hosting,
                                      ws_credential_outcome *outcome, const char **message);

/*
 * The username and token git should offer to `host` (may carry a port, any
 * case) over `protocol` ("https"). A token goes only to its own hosts and
 * only over https; anything else is WS_ENOTFOUND with *username and
 * *password NULL. On WS_OK both are owned by the caller (ws_string_free);
 * the password is a secret.
 */
WS_EXTERN(int) ws_credentials_lookup(const ws_credentials *creds, const char *protocol,
                                     const char *host, char **username, char **password);

/*
 * The git identity for cloned repos: the credential's userName and email,
 * else "Ambient Code Bot" <bot@ambient-code.local>. Both borrowed from
 * `creds`, valid until ws_credentials_free.
 */
WS_EXTERN(int) ws_credentials_identity(const ws_credentials *creds, const char **name,
                                       const char **email);

#ifdef __cplusplus
}
#endif

#endif /* LIBWORKSPACE_AUTH_H */

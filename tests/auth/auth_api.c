/*
 * The auth area of the C API as a C caller sees it: status codes, host
 * scoping through ws_credentials_lookup, ownership of returned strings.
 */
#include <libworkspace/libworkspace.h>

#include <stdio.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "%s:%d: CHECK(%s) failed (last error: %s)\n", \
			        __FILE__, __LINE__, #cond, ws_error_last());      \
			failures++;                                              \
		}                                                                \
	} while (0)

static const char *const token = "ghp_CAPIgithubSECRET0099";

static ws_config *config_with(const char *const *keys, const char *const *values, size_t n)
{
	ws_config *cfg = NULL;
	CHECK(ws_config_from_pairs(&cfg, keys, values, n) == WS_OK);
	return cfg;
}

static void lookup_gives_the_token_only_to_its_hosts(void)
{
	const char *keys[] = {"GITHUB_TOKEN", "GITHUB_HOSTS"};
	const char *values[] = {token, "ghe.corp.example"};
	ws_config *cfg = config_with(keys, values, 2);
	ws_credentials *creds = NULL;
	ws_credential_outcome outcome = WS_CREDENTIAL_SKIPPED;
	const char *message = NULL, *name = NULL, *email = NULL;
	char *user = NULL, *password = NULL;
	const char *lookalikes[] = {"github.com.evil.io", "notgithub.com", "gitlab.evil.com", "github.com:8443"};
	size_t i;

	CHECK(ws_credentials_resolve(&creds, cfg, NULL, NULL) == WS_OK);
	CHECK(ws_credentials_outcome(creds, WS_GIT_HOSTING_GITHUB, &outcome, &message) == WS_OK);
	CHECK(outcome == WS_CREDENTIAL_FROM_ENVIRONMENT);
	CHECK(message != NULL && message[0] == '\0');
	CHECK(ws_credentials_outcome(creds, WS_GIT_HOSTING_GITLAB, &outcome, &message) == WS_OK);
	CHECK(outcome == WS_CREDENTIAL_SKIPPED);

	CHECK(ws_credentials_lookup(creds, "https", "GitHub.com", &user, &password) == WS_OK);
	CHECK(user != NULL && strcmp(user, "x-access-token") == 0);
	CHECK(password != NULL && strcmp(password, token) == 0);
	ws_string_free(user);
	ws_string_free(password);

	CHECK(ws_credentials_lookup(creds, "https", "ghe.corp.example", &user, &password) == WS_OK);
	ws_string_free(user);
	ws_string_free(password);

	for (i = 0; i < sizeof lookalikes / sizeof lookalikes[0]; i++) {
		CHECK(ws_credentials_lookup(creds, "https", lookalikes[i], &user, &password) == WS_ENOTFOUND);
		CHECK(user == NULL && password == NULL);
		CHECK(strstr(ws_error_last(), token) == NULL);
	}
	CHECK(ws_credentials_lookup(creds, "http", "github.com", &user, &password) == WS_ENOTFOUND);

	CHECK(ws_credentials_identity(creds, &name, &email) == WS_OK);
	CHECK(strcmp(name, "Ambient Code Bot") == 0);
	CHECK(strcmp(email, "bot@ambient-code.local") == 0);
	ws_credentials_free(creds);
	ws_config_free(cfg);
}

static void api_token_from_bot_token_or_not_found(void)
{
	const char *keys[] = {"BOT_TOKEN"};
	const char *values[] = {"bot-CAPI-token-1234"};
	ws_config *cfg = config_with(keys, values, 1);
	ws_config *empty = config_with(NULL, NULL, 0);
	ws_auth_options opts = WS_AUTH_OPTIONS_INIT;
	char *out = NULL;

	CHECK(ws_auth_api_token(cfg, &opts, NULL, &out) == WS_OK);
	CHECK(out != NULL && strcmp(out, "bot-CAPI-token-1234") == 0);
	ws_string_free(out);

	CHECK(ws_auth_api_token(empty, NULL, NULL, &out) == WS_ENOTFOUND);
	CHECK(out == NULL);
	CHECK(strstr(ws_error_last(), "BOT_TOKEN") != NULL);
	ws_config_free(cfg);
	ws_config_free(empty);
}

static void null_arguments_are_invalid(void)
{
	char *out = NULL;
	ws_credentials *creds = NULL;
	CHECK(ws_auth_api_token(NULL, NULL, NULL, &out) == WS_EINVALID);
	CHECK(ws_credentials_resolve(&creds, NULL, NULL, NULL) == WS_EINVALID);
	CHECK(creds == NULL);
	ws_credentials_free(NULL);
}

int main(void)
{
	lookup_gives_the_token_only_to_its_hosts();
	api_token_from_bot_token_or_not_found();
	null_arguments_are_invalid();
	if (failures > 0) fprintf(stderr, "%d failures\n", failures);
	return failures == 0 ? 0 : 1;
}

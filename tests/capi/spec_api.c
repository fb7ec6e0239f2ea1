/*
 * The spec area of the C API as a C caller sees it: status codes,
 * ws_error_last() messages, ownership of returned strings and handles.
 */
#include <libworkspace/libworkspace.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                         \
	do {                                                                \
		if (!(cond)) {                                              \
			fprintf(stderr, "%s:%d: CHECK(%s) failed (last error: %s)\n", \
			        __FILE__, __LINE__, #cond, ws_error_last()); \
			failures++;                                         \
		}                                                           \
	} while (0)

#define CHECK_STR(actual, expected)                                         \
	do {                                                                \
		const char *a_ = (actual), *e_ = (expected);                \
		if (a_ == NULL || strcmp(a_, e_) != 0) {                    \
			fprintf(stderr, "%s:%d: got \"%s\"\n    expected \"%s\"\n", \
			        __FILE__, __LINE__, a_ ? a_ : "(null)", e_); \
			failures++;                                         \
		}                                                           \
	} while (0)

static int contains(const char *haystack, const char *needle)
{
	return haystack != NULL && strstr(haystack, needle) != NULL;
}

static void config_from_envp_resolves_defaults_and_sanitises(void)
{
	const char *envp[] = {"SESSION_NAME=my_session", "RUNNER_STATE_DIR=./.gemini/", NULL};
	ws_config *cfg = NULL;
	const char *value = NULL;
	CHECK(ws_config_from_envp(&cfg, envp) == WS_OK);
	CHECK_STR(ws_error_last(), "");
	CHECK(ws_config_get(cfg, "SESSION_NAME", &value) == WS_OK);
	CHECK_STR(value, "mysession");
	CHECK(ws_config_get(cfg, "NAMESPACE", &value) == WS_OK);
	CHECK_STR(value, "default");
	CHECK(ws_config_get(cfg, "RUNNER_STATE_DIR", &value) == WS_OK);
	CHECK_STR(value, ".gemini");
	CHECK(ws_config_get(cfg, "SYNC_INTERVAL", &value) == WS_OK);
	CHECK_STR(value, "60");
	CHECK(ws_config_persistence_enabled(cfg) == 0);
	ws_config_free(cfg);
}

static void config_get_of_an_unknown_variable_is_not_found(void)
{
	const char *envp[] = {NULL};
	ws_config *cfg = NULL;
	const char *value = NULL;
	CHECK(ws_config_from_envp(&cfg, envp) == WS_OK);
	CHECK(ws_config_get(cfg, "HOME", &value) == WS_ENOTFOUND);
	CHECK_STR(ws_error_last(), "'HOME' is not a variable of the session pod (see 'ambient-workspace env')");
	ws_config_free(cfg);
}

static void config_from_pairs_enables_persistence_with_all_four_s3_settings(void)
{
	const char *keys[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "S3_BUCKET"};
	const char *values[] = {"AK", "SK", "bucket-1"};
	ws_config *cfg = NULL;
	const char *value = NULL;
	CHECK(ws_config_from_pairs(&cfg, keys, values, 3) == WS_OK);
	CHECK(ws_config_persistence_enabled(cfg) == 1);
	CHECK(ws_config_get(cfg, "S3_BUCKET", &value) == WS_OK);
	CHECK_STR(value, "bucket-1");
	ws_config_free(cfg);
}

static void config_errors_name_the_variable(void)
{
	const char *bad_dir[] = {"RUNNER_STATE_DIR=/etc", NULL};
	const char *bad_number[] = {"SYNC_INTERVAL=soon", NULL};
	const char *bad_entry[] = {"SESSION_NAME=s", "ghp_not_an_entry", NULL};
	ws_config *cfg = (ws_config *)&failures; /* must be reset to NULL */
	CHECK(ws_config_from_envp(&cfg, bad_dir) == WS_EINVALID);
	CHECK(cfg == NULL);
	CHECK_STR(ws_error_last(),
	          "RUNNER_STATE_DIR '/etc' must be relative to the workspace, not an absolute path");
	CHECK(ws_config_from_envp(&cfg, bad_number) == WS_EINVALID);
	CHECK_STR(ws_error_last(), "SYNC_INTERVAL must be a whole number, got 'soon'");
	CHECK(ws_config_from_envp(&cfg, bad_entry) == WS_EINVALID);
	CHECK_STR(ws_error_last(), "environment entry #2 is not of the form KEY=VALUE");
	CHECK(!contains(ws_error_last(), "ghp_"));
}

static void config_from_pairs_refuses_an_empty_key(void)
{
	const char *keys[] = {"SESSION_NAME", ""};
	const char *values[] = {"s", "x"};
	ws_config *cfg = NULL;
	CHECK(ws_config_from_pairs(&cfg, keys, values, 2) == WS_EINVALID);
	CHECK_STR(ws_error_last(), "keys[1] must be a non-empty string");
	CHECK(cfg == NULL);
}

static void null_arguments_are_invalid_and_named(void)
{
	char *out = NULL;
	CHECK(ws_config_from_env(NULL) == WS_EINVALID);
	CHECK_STR(ws_error_last(), "argument 'out' must not be NULL");
	CHECK(ws_repos_normalize(NULL, 0, &out) == WS_EINVALID);
	CHECK_STR(ws_error_last(), "argument 'repos_json' must not be NULL");
	CHECK(out == NULL);
	CHECK(ws_config_get(NULL, "SESSION_NAME", (const char **)&out) == WS_EINVALID);
	CHECK_STR(ws_error_last(), "argument 'cfg' must not be NULL");
	CHECK(ws_config_persistence_enabled(NULL) == 0);
	ws_config_free(NULL);
	ws_string_free(NULL);
}

static void config_from_env_reads_the_process_environment(void)
{
	ws_config *cfg = NULL;
	const char *value = NULL;
	CHECK(ws_config_from_env(&cfg) == WS_OK);
	CHECK(ws_config_get(cfg, "WORKSPACE_ROOT", &value) == WS_OK);
	CHECK(value != NULL && value[0] == '/');
	ws_config_free(cfg);
}

static void repos_are_normalised_to_canonical_json(void)
{
	char *out = NULL;
	CHECK(ws_repos_normalize(" [ {\"branch\": \"dev\", \"url\": \"https://h/o/app.git\"} ] ",
	                         WS_REPOS_DEFAULT, &out) == WS_OK);
	CHECK_STR(out, "[{\"url\":\"https://h/o/app.git\",\"branch\":\"dev\"}]");
	ws_string_free(out);
	CHECK(ws_repos_normalize("[{\"url\":\"git@h:o/app.git\"}]", WS_REPOS_WITH_NAMES, &out) == WS_OK);
	CHECK_STR(out, "[{\"url\":\"git@h:o/app.git\",\"name\":\"app\"}]");
	ws_string_free(out);
}

static void repo_errors_carry_messages_without_credentials(void)
{
	char *out = NULL;
	CHECK(ws_repos_normalize("[{\"url\": 1}]", 0, &out) == WS_EINVALID);
	CHECK_STR(ws_error_last(), "REPOS_JSON[0].url must be a string, got a number");
	CHECK(ws_repos_normalize("[{\"url\":\"https://u:tok1@a/x/r\"},{\"url\":\"https://b/y/r\"}]", 0,
	                         &out) == WS_EINVALID);
	CHECK(contains(ws_error_last(), "would both be cloned into repos/r"));
	CHECK(!contains(ws_error_last(), "tok1"));
	CHECK(ws_repos_normalize("[1,", 0, &out) == WS_EINVALID);
	CHECK(contains(ws_error_last(), "REPOS_JSON is not valid JSON (at byte"));
	CHECK(out == NULL);
	CHECK_STR(ws_status_name(WS_EINVALID), ws_status_name(-1));
}

static void session_repos_prefer_repos_over_repo_url(void)
{
	char *out = NULL;
	CHECK(ws_repos_from_session("https://h/o/one", "", 0, &out) == WS_OK);
	CHECK_STR(out, "[{\"url\":\"https://h/o/one\"}]");
	ws_string_free(out);
	CHECK(ws_repos_from_session("https://h/o/one", "[{\"url\":\"https://h/o/two\"}]", 0, &out) == WS_OK);
	CHECK_STR(out, "[{\"url\":\"https://h/o/two\"}]");
	ws_string_free(out);
	CHECK(ws_repos_from_session(NULL, NULL, 0, &out) == WS_OK);
	CHECK_STR(out, "[]");
	ws_string_free(out);
}

static void names_and_sanitising(void)
{
	char *out = NULL;
	CHECK(ws_repo_name_from_url("ssh://git@host/org/tool.git/", &out) == WS_OK);
	CHECK_STR(out, "tool");
	ws_string_free(out);
	CHECK(ws_repo_name_from_url("https://host/", &out) == WS_EINVALID);
	CHECK_STR(ws_error_last(), "repo URL 'https://host/' gives no usable directory name (got '')");
	CHECK(ws_name_sanitize("ns_1.dev", &out) == WS_OK);
	CHECK_STR(out, "ns1dev");
	ws_string_free(out);
}

static void pod_plan_is_json_and_errors_name_the_field(void)
{
	char *out = NULL;
	CHECK(ws_pod_plan("{\"name\":\"s\",\"namespace\":\"p\",\"RepoURL\":\"https://h/o/a\"}", NULL, &out) ==
	      WS_OK);
	CHECK(contains(out, "\"initHydrate\":true"));
	CHECK(contains(out, "\"stateSync\":false"));
	ws_string_free(out);
	/* Incomplete storage settings degrade to no persistence, with the reason. */
	CHECK(ws_pod_plan("{\"name\":\"s\",\"namespace\":\"p\"}",
	                  "{\"projectStorage\":{\"storageMode\":\"custom\",\"S3_ENDPOINT\":\"https://s3\"}}",
	                  &out) == WS_OK);
	CHECK(contains(out, "\"stateSync\":false"));
	CHECK(contains(out, "{\"type\":\"S3Available\",\"status\":\"False\",\"reason\":\"IncompleteSettings\""));
	ws_string_free(out);
	CHECK(ws_pod_plan("{}", NULL, &out) == WS_EINVALID);
	CHECK_STR(ws_error_last(), "session has no \"name\"");
}

int main(void)
{
	config_from_envp_resolves_defaults_and_sanitises();
	config_get_of_an_unknown_variable_is_not_found();
	config_from_pairs_enables_persistence_with_all_four_s3_settings();
	config_errors_name_the_variable();
	config_from_pairs_refuses_an_empty_key();
	null_arguments_are_invalid_and_named();
	config_from_env_reads_the_process_environment();
	repos_are_normalised_to_canonical_json();
	repo_errors_carry_messages_without_credentials();
	session_repos_prefer_repos_over_repo_url();
	names_and_sanitising();
	pod_plan_is_json_and_errors_name_the_field();
	if (failures != 0) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("spec C API: all checks passed\n");
	return 0;
}

/*
 * The rules every versioned struct of the C API follows, as a C caller
 * sees them (libgit2's): a WS_*_INIT macro and a ws_*_init(ptr, version)
 * function that agree; one version check on every call that takes one,
 * where version 0 or a version newer than the library is WS_EINVALID with
 * the same message; ws_callbacks included (version 0 no longer drops the
 * logging silently). Nothing here needs a network or a store: the checks
 * come before any work.
 */
#include <libworkspace/libworkspace.h>

#include <stddef.h>
#include <stdio.h>
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

static int contains(const char *haystack, const char *needle)
{
	return haystack != NULL && strstr(haystack, needle) != NULL;
}

/* The one message of a refused version: "<struct>: version <n> is not
 * supported (this libworkspace takes 1 to <max>)". */
static void check_refused(int rc, const char *type, unsigned int version)
{
	char expected[160];
	CHECK(rc == WS_EINVALID);
	snprintf(expected, sizeof expected, "%s: version %u is not supported (this libworkspace takes 1 to ",
	         type, version);
	if (!contains(ws_error_last(), expected)) {
		fprintf(stderr, "  expected the message to contain \"%s\"\n  got \"%s\"\n", expected,
		        ws_error_last());
		failures++;
	}
}

/*
 * ws_X_init(&s, VERSION) zeroes the struct and sets its version, as the
 * _INIT macro does; it refuses 0, the next version and NULL.
 */
#define CHECK_INIT(type, init_fn, INIT, VERSION)                                        \
	do {                                                                            \
		type got_, want_;                                                       \
		type macro_ = INIT;                                                     \
		memset(&got_, 0xab, sizeof got_);                                       \
		memset(&want_, 0, sizeof want_);                                        \
		want_.version = VERSION;                                                \
		CHECK(macro_.version == VERSION);                                       \
		CHECK(init_fn(&got_, VERSION) == WS_OK);                                \
		CHECK(memcmp(&got_, &want_, sizeof got_) == 0);                         \
		check_refused(init_fn(&got_, 0), #type, 0);                             \
		check_refused(init_fn(&got_, (VERSION) + 1), #type, (VERSION) + 1);     \
		CHECK(init_fn(NULL, VERSION) == WS_EINVALID);                           \
	} while (0)

static void every_struct_has_an_init_macro_and_function(void)
{
	CHECK_INIT(ws_callbacks, ws_callbacks_init, WS_CALLBACKS_INIT, WS_CALLBACKS_VERSION);
	CHECK_INIT(ws_store_options, ws_store_options_init, WS_STORE_OPTIONS_INIT, WS_STORE_OPTIONS_VERSION);
	CHECK_INIT(ws_sync_options, ws_sync_options_init, WS_SYNC_OPTIONS_INIT, WS_SYNC_OPTIONS_VERSION);
	CHECK_INIT(ws_workspace_options, ws_workspace_options_init, WS_WORKSPACE_OPTIONS_INIT,
	           WS_WORKSPACE_OPTIONS_VERSION);
	CHECK_INIT(ws_clone_options, ws_clone_options_init, WS_CLONE_OPTIONS_INIT, WS_CLONE_OPTIONS_VERSION);
	CHECK_INIT(ws_workflow_options, ws_workflow_options_init, WS_WORKFLOW_OPTIONS_INIT,
	           WS_WORKFLOW_OPTIONS_VERSION);
	CHECK_INIT(ws_backup_options, ws_backup_options_init, WS_BACKUP_OPTIONS_INIT, WS_BACKUP_OPTIONS_VERSION);
	CHECK_INIT(ws_restore_options, ws_restore_options_init, WS_RESTORE_OPTIONS_INIT,
	           WS_RESTORE_OPTIONS_VERSION);
	CHECK_INIT(ws_auth_options, ws_auth_options_init, WS_AUTH_OPTIONS_INIT, WS_AUTH_OPTIONS_VERSION);
}

/* A version 1 struct of a type now at version 2 is initialised only as far
 * as version 1 reaches: a caller built against the old header has no room
 * for the new field. */
static void an_older_version_is_initialised_to_its_own_size(void)
{
	ws_sync_options sync;
	ws_workspace_options ws;
	memset(&sync, 0xab, sizeof sync);
	memset(&ws, 0xab, sizeof ws);
	CHECK(ws_sync_options_init(&sync, 1) == WS_OK);
	CHECK(sync.version == 1 && sync.parallel == 0 && sync.dry_run == 0);
	CHECK(((const unsigned char *)&sync)[offsetof(ws_sync_options, cancel)] == 0xab);
	CHECK(ws_workspace_options_init(&ws, 1) == WS_OK);
	CHECK(ws.version == 1 && ws.parallel == 0 && ws.flags == 0);
	CHECK(((const unsigned char *)&ws)[offsetof(ws_workspace_options, cancel)] == 0xab);
}

static void every_call_refuses_version_0_and_future_versions(void)
{
	const char *envp[] = {"WORKSPACE_ROOT=/nonexistent/ws", NULL};
	ws_config *cfg = NULL;
	ws_store *store = NULL;
	ws_sidecar *sidecar = NULL;
	ws_credentials *creds = NULL;
	char *out = NULL;
	int flag = 0;
	ws_store_options so = WS_STORE_OPTIONS_INIT;
	ws_sync_options sync = WS_SYNC_OPTIONS_INIT;
	ws_sync_summary summary = WS_SYNC_SUMMARY_INIT;
	ws_workspace_options wo = WS_WORKSPACE_OPTIONS_INIT;
	ws_hydrate_report hr = WS_HYDRATE_REPORT_INIT;
	ws_sync_report sr = WS_SYNC_REPORT_INIT;
	ws_clone_options co = WS_CLONE_OPTIONS_INIT;
	ws_workflow_options wfo = WS_WORKFLOW_OPTIONS_INIT;
	ws_backup_options bo = WS_BACKUP_OPTIONS_INIT;
	ws_restore_options ro = WS_RESTORE_OPTIONS_INIT;
	ws_restore_report rr = WS_RESTORE_REPORT_INIT;
	ws_auth_options ao = WS_AUTH_OPTIONS_INIT;

	CHECK(ws_config_from_envp(&cfg, envp) == WS_OK);
	so.endpoint = "file:///nonexistent/store";
	so.bucket = "b";

	so.version = 0;
	check_refused(ws_store_open(&store, &so, NULL), "ws_store_options", 0);
	so.version = WS_STORE_OPTIONS_VERSION + 1;
	check_refused(ws_store_open(&store, &so, NULL), "ws_store_options", 2);
	so.version = WS_STORE_OPTIONS_VERSION;
	CHECK(ws_store_open(&store, &so, NULL) == WS_OK);

	sync.version = 0;
	check_refused(ws_sync_mirror_up(store, "/nonexistent", "p", &sync, NULL, NULL), "ws_sync_options", 0);
	sync.version = WS_SYNC_OPTIONS_VERSION + 1;
	check_refused(ws_sync_copy_down(store, "p", "/nonexistent", &sync, NULL, NULL), "ws_sync_options", 3);
	summary.version = 0;
	check_refused(ws_sync_mirror_up(store, "/nonexistent", "p", NULL, NULL, &summary), "ws_sync_summary", 0);
	summary.version = WS_SYNC_SUMMARY_VERSION + 1;
	check_refused(ws_sync_copy_down(store, "p", "/nonexistent", NULL, NULL, &summary), "ws_sync_summary", 2);

	wo.version = 0;
	check_refused(ws_hydrate_ext(cfg, &wo, NULL, NULL), "ws_workspace_options", 0);
	check_refused(ws_sidecar_new(&sidecar, cfg, &wo, NULL), "ws_workspace_options", 0);
	wo.version = WS_WORKSPACE_OPTIONS_VERSION + 1;
	check_refused(ws_sync_once(cfg, &wo, NULL, NULL), "ws_workspace_options", 3);
	hr.version = 0;
	check_refused(ws_hydrate_ext(cfg, NULL, NULL, &hr), "ws_hydrate_report", 0);
	sr.version = WS_SYNC_REPORT_VERSION + 1;
	check_refused(ws_sync_once(cfg, NULL, NULL, &sr), "ws_sync_report", 2);

	co.version = 0;
	check_refused(ws_git_clone("https://example.invalid/r.git", "/nonexistent/r", &co, NULL, NULL),
	              "ws_clone_options", 0);
	wfo.version = WS_WORKFLOW_OPTIONS_VERSION + 1;
	check_refused(ws_git_clone_workflow("https://example.invalid/w.git", "/nonexistent", "w", &wfo, NULL, &flag),
	              "ws_workflow_options", 2);
	bo.version = 0;
	check_refused(ws_git_backup("/nonexistent/r", "/nonexistent/out", &bo, NULL, &flag), "ws_backup_options", 0);
	ro.version = 7;
	check_refused(ws_git_restore("/nonexistent/s", "/nonexistent/r", &ro, NULL, NULL), "ws_restore_options", 7);
	rr.version = 0;
	check_refused(ws_git_restore("/nonexistent/s", "/nonexistent/r", NULL, NULL, &rr), "ws_restore_report", 0);

	ao.version = 0;
	check_refused(ws_auth_api_token(cfg, &ao, NULL, &out), "ws_auth_options", 0);
	CHECK(out == NULL);
	ao.version = WS_AUTH_OPTIONS_VERSION + 1;
	check_refused(ws_credentials_resolve(&creds, cfg, &ao, NULL), "ws_auth_options", 2);
	CHECK(creds == NULL);

	ws_store_free(store);
	ws_config_free(cfg);
}

static int logged;

static void count_log(void *userdata, ws_log_level level, const char *event, const char *message)
{
	(void)userdata;
	(void)level;
	(void)event;
	(void)message;
	logged++;
}

/* Before, version 0 callbacks were taken as "no callbacks": every log
 * line was dropped without a word. */
static void callbacks_of_version_0_are_refused_not_ignored(void)
{
	ws_store_options so = WS_STORE_OPTIONS_INIT;
	ws_callbacks cb = WS_CALLBACKS_INIT;
	ws_store *store = NULL;
	int unchanged = 0;
	so.endpoint = "file:///nonexistent/store";
	so.bucket = "b";
	cb.log = count_log;
	cb.version = 0;
	check_refused(ws_store_open(&store, &so, &cb), "ws_callbacks", 0);
	CHECK(store == NULL);
	check_refused(ws_git_backup("/nonexistent/r", "/nonexistent/out", NULL, &cb, &unchanged), "ws_callbacks",
	              0);
	cb.version = WS_CALLBACKS_VERSION + 1;
	check_refused(ws_git_clone("https://example.invalid/r.git", "/nonexistent/r", NULL, &cb, NULL),
	              "ws_callbacks", 2);
	CHECK(logged == 0);
}

int main(void)
{
	every_struct_has_an_init_macro_and_function();
	an_older_version_is_initialised_to_its_own_size();
	every_call_refuses_version_0_and_future_versions();
	callbacks_of_version_0_are_refused_not_ignored();
	if (failures != 0) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	return 0;
}

/* The git area of the C API from a C99 program: clone, backup, unchanged
 * backup, restore into a missing directory, classified failures. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libworkspace/libworkspace.h"

static int failures = 0;

#define CHECK(cond)                                                      \
	do {                                                                 \
		if (!(cond)) {                                                   \
			fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: %s\n", \
			        __FILE__, __LINE__, #cond, ws_error_last());         \
			++failures;                                                  \
		}                                                                \
	} while (0)

static int log_events = 0;

static void on_log(void *userdata, ws_log_level level, const char *event, const char *message)
{
	(void)userdata;
	(void)level;
	(void)message;
	if (event != NULL)
		++log_events;
}

static char dir[256];

static void path(char *out, size_t n, const char *rel)
{
	snprintf(out, n, "%s/%s", dir, rel);
}

static int shell(const char *script)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null GIT_AUTHOR_NAME=t "
	         "GIT_AUTHOR_EMAIL=t@e GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@e bash -euc '%s'",
	         dir, script);
	return system(cmd);
}

int main(void)
{
	char url[1024], work[512], state[512], restored[512], missing[512];
	char *head = NULL;
	int unchanged = -1;
	ws_callbacks cb = WS_CALLBACKS_INIT;
	ws_clone_options clone_opts = WS_CLONE_OPTIONS_INIT;
	ws_restore_report report = WS_RESTORE_REPORT_INIT;
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/ws-git-capi-XXXXXX", tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		return 1;
	cb.log = on_log;
	CHECK(shell("git init -q -b main seed && cd seed && echo a > a && git add a && "
	            "git commit -qm a && cd .. && git clone -q --bare seed origin.git") == 0);
	snprintf(url, sizeof url, "file://%s/origin.git", dir);
	path(work, sizeof work, "work");
	path(state, sizeof state, "state");
	path(restored, sizeof restored, "restored");
	path(missing, sizeof missing, "missing.git");

	clone_opts.branch = "main";
	clone_opts.user_name = "C Dev"; /* deprecated: accepted and ignored */
	CHECK(ws_git_clone(url, work, &clone_opts, &cb, &head) == WS_OK);
	CHECK(head != NULL && strlen(head) == 40);
	ws_string_free(head);
	CHECK(log_events > 0);
	CHECK(shell("test -z \"$(git -C work config --local --get-regexp '^user\\.')\"") == 0);

	CHECK(shell("echo b >> work/a && mkdir -p work/newdir && echo u > work/newdir/u.txt") == 0);
	CHECK(ws_git_backup(work, state, NULL, &cb, &unchanged) == WS_OK);
	CHECK(unchanged == 0);
	CHECK(ws_git_backup(work, state, NULL, NULL, &unchanged) == WS_OK);
	CHECK(unchanged == 1);

	CHECK(ws_git_restore(state, restored, NULL, &cb, &report) == WS_OK);
	CHECK(report.cloned == 1);
	CHECK(report.head_matches == 1);
	CHECK(report.rejected == 0);
	CHECK(shell("cmp work/a restored/a && cmp work/newdir/u.txt restored/newdir/u.txt && "
	            "test \"$(git -C work status --porcelain)\" = \"$(git -C restored status --porcelain)\"") == 0);

	CHECK(ws_git_clone(missing, work, NULL, NULL, NULL) == WS_ECONFLICT);
	CHECK(strstr(ws_error_last(), "not empty") != NULL);
	path(restored, sizeof restored, "other");
	snprintf(url, sizeof url, "file://%s", missing);
	CHECK(ws_git_clone(url, restored, NULL, NULL, NULL) == WS_ENOTFOUND);
	CHECK(ws_git_backup(missing, state, NULL, NULL, NULL) == WS_ENOTFOUND);
	CHECK(ws_git_restore(missing, restored, NULL, NULL, NULL) == WS_ENOTFOUND);
	CHECK(ws_git_backup(NULL, state, NULL, NULL, NULL) == WS_EINVALID);

	{
		char rm[600];
		snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
		if (system(rm) != 0)
			++failures;
	}
	return failures == 0 ? 0 : 1;
}

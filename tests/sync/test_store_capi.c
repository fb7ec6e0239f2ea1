/* The store area of the C API, compiled as C99: open a local-directory
 * store, mirror a tree up, copy it down, list it. Exit 0 on success. */
#define _XOPEN_SOURCE 700
#include <libworkspace/libworkspace.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int failures = 0;

#define EXPECT(cond)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                     \
			fprintf(stderr, "%s:%d: failed: %s (%s)\n", __FILE__, __LINE__, \
			        #cond, ws_error_last());                               \
			++failures;                                                    \
		}                                                                  \
	} while (0)

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static unsigned long progress_calls = 0;

static void on_progress(void *userdata, const ws_progress *p)
{
	(void)userdata;
	(void)p;
	++progress_calls;
}

int main(int argc, char **argv)
{
	char dir[1024], path[2048], endpoint[2048];
	ws_store_options so = WS_STORE_OPTIONS_INIT;
	ws_sync_options sync = WS_SYNC_OPTIONS_INIT;
	ws_sync_summary sum = WS_SYNC_SUMMARY_INIT;
	ws_callbacks cb = WS_CALLBACKS_INIT;
	ws_store *store = NULL;
	char *json = NULL;

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof dir, "%s/ws-capi-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(path, sizeof path, "%s/objects", dir);
	mkdir(path, 0777);
	snprintf(path, sizeof path, "%s/objects/bucket", dir);
	mkdir(path, 0777);
	snprintf(path, sizeof path, "%s/src", dir);
	mkdir(path, 0777);
	snprintf(path, sizeof path, "%s/src/a.txt", dir);
	write_text(path, "alpha");
	snprintf(endpoint, sizeof endpoint, "file://%s/objects", dir);

	so.endpoint = endpoint;
	so.bucket = "bucket";
	EXPECT(ws_store_open(&store, &so, NULL) == WS_OK);
	EXPECT(ws_store_check_bucket(store) == WS_OK);

	cb.progress = on_progress;
	snprintf(path, sizeof path, "%s/missing", dir);
	EXPECT(ws_sync_mirror_up(store, path, "x", &sync, &cb, &sum) == WS_ENOTFOUND);
	snprintf(path, sizeof path, "%s/src", dir);
	EXPECT(ws_sync_mirror_up(store, path, "ns/s/artifacts", &sync, &cb, &sum) == WS_OK);
	EXPECT(sum.transferred == 1 && sum.failed == 0 && sum.bytes == 5);
	EXPECT(progress_calls >= 2);

	EXPECT(ws_store_list_json(store, "ns/", &json) == WS_OK);
	EXPECT(json != NULL && strstr(json, "\"ns/s/artifacts/a.txt\"") != NULL);
	ws_string_free(json);

	snprintf(path, sizeof path, "%s/dst", dir);
	EXPECT(ws_sync_copy_down(store, "ns/s/artifacts", path, NULL, NULL, &sum) == WS_OK);
	EXPECT(sum.transferred == 1);

	EXPECT(ws_sync_copy_down(store, "../up", path, NULL, NULL, &sum) == WS_EUNSAFE);
	EXPECT(ws_sync_mirror_up(NULL, path, "p", NULL, NULL, NULL) == WS_EINVALID);
	sync.version = 99;
	EXPECT(ws_sync_mirror_up(store, path, "p", &sync, NULL, NULL) == WS_EINVALID);

	ws_store_free(store);
	ws_store_free(NULL);
	so.bucket = NULL;
	EXPECT(ws_store_open(&store, &so, NULL) == WS_EINVALID && store == NULL);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	if (system(path) != 0) fprintf(stderr, "could not remove %s\n", dir);
	return failures == 0 ? 0 : 1;
}

/*
 * libworkspace — store area of the C API: an object store (S3 or a local
 * directory) and the tree sync over it (rclone's `sync --checksum` and
 * `copy`, with rclone-compatible objects). See common.h for conventions.
 */
#ifndef LIBWORKSPACE_STORE_H
#define LIBWORKSPACE_STORE_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * An open object store: one bucket of an S3 endpoint (SigV4, path-style by
 * default) or of a local directory (endpoint "file:///abs/dir", objects are
 * the files <dir>/<bucket>/<key>). Unlike most handles, a ws_store MAY be
 * used by several threads at once.
 */
typedef struct ws_store ws_store;

typedef struct ws_store_options {
	unsigned int version;   /* WS_STORE_OPTIONS_VERSION */
	const char *endpoint;   /* "http(s)://host[:port]" or "file:///abs/dir"; required */
	const char *bucket;     /* required */
	const char *access_key; /* S3 only; never logged */
	const char *secret_key; /* S3 only; never logged */
	const char *region;     /* NULL or "" = "us-east-1" */
	int virtual_hosted;     /* non-zero: bucket.host addressing instead of host/bucket */
} ws_store_options;

#define WS_STORE_OPTIONS_VERSION 1
#define WS_STORE_OPTIONS_INIT { WS_STORE_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0 }

/*
 * Opens a store; nothing is contacted yet (see ws_store_check_bucket).
 * The strings of `opts` are copied. `callbacks` (may be NULL) receive the
 * store's own log events; the struct is copied, its userdata must stay
 * valid until ws_store_free. On success *out is owned by the caller
 * (ws_store_free); on failure it is NULL and the status is WS_EINVALID
 * naming the bad field.
 */
WS_EXTERN(int) ws_store_open(ws_store **out, const ws_store_options *opts,
                             const ws_callbacks *callbacks);

/* Frees a store; NULL is fine. No call on it may be running. */
WS_EXTERN(void) ws_store_free(ws_store *store);

/*
 * Is the bucket there and may we use it? WS_EAUTH (credentials refused),
 * WS_ENOTFOUND (no bucket), WS_ENETWORK (endpoint unreachable).
 */
WS_EXTERN(int) ws_store_check_bucket(ws_store *store);

/*
 * Lists every object under `prefix` (NULL or "" = the whole bucket),
 * recursively, sorted by key, as a JSON array written to *out_json
 * (caller frees with ws_string_free):
 *   [{"key": "...", "size": N, "etag": "...", "md5": "<hex or empty>"}]
 */
WS_EXTERN(int) ws_store_list_json(ws_store *store, const char *prefix, char **out_json);

/* Options of ws_sync_mirror_up and ws_sync_copy_down. */
typedef struct ws_sync_options {
	unsigned int version;          /* WS_SYNC_OPTIONS_VERSION */
	unsigned int parallel;         /* concurrent transfers; 0 = 8 */
	/*
	 * SQLite file for the hash cache and the upload manifest, so that an
	 * unchanged file is never read again and a cycle without changes sends
	 * no request; NULL = none. Keep it outside the synced tree.
	 */
	const char *state_db;
	/*
	 * rclone filter patterns to exclude, e.g. "*.pyc", or a directory name
	 * followed by a slash and two stars for its contents; each applies at
	 * any depth unless it starts with a slash. excludes == NULL
	 * means the default: the built-in exclude list for mirror_up, nothing for copy_down.
	 * Copied during the call.
	 */
	const char *const *excludes;
	size_t excludes_count;
	uint64_t max_file_size;        /* mirror_up skips larger files; 0 = 1 GiB */
	unsigned int verify_every;     /* mirror_up lists the remote at least every Nth cycle; 0 = 10 */
	int dry_run;                   /* non-zero: decide and report, transfer nothing */
	/* Version 2: stops the sync (common.h); NULL: not cancellable.
	   Borrowed for the call. */
	ws_cancel *cancel;
} ws_sync_options;

/* Version 1 (without `cancel`) is still accepted. */
#define WS_SYNC_OPTIONS_VERSION 2
#define WS_SYNC_OPTIONS_INIT { WS_SYNC_OPTIONS_VERSION, 0, NULL, NULL, 0, 0, 0, 0, NULL }

/* What a sync did; the caller sets `version`, the call fills the rest. */
typedef struct ws_sync_summary {
	unsigned int version;          /* WS_SYNC_SUMMARY_VERSION */
	uint64_t files;                /* files considered */
	uint64_t transferred;          /* uploaded or downloaded */
	uint64_t unchanged;            /* already identical */
	uint64_t deleted;              /* remote keys deleted (mirror_up) */
	uint64_t skipped;              /* too large, broken symlink, loop (each logged) */
	uint64_t failed;               /* not synced: unsafe key, transfer error (each logged) */
	uint64_t bytes;                /* size of the files considered */
	uint64_t bytes_transferred;
	int listed;                    /* 1 when the remote prefix was listed in full */
} ws_sync_summary;

#define WS_SYNC_SUMMARY_VERSION 1
#define WS_SYNC_SUMMARY_INIT { WS_SYNC_SUMMARY_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/*
 * Makes `key_prefix` ("ns/session/artifacts") a mirror of the directory
 * `local_root`: uploads new and changed files (size + MD5), then deletes
 * keys whose files are gone, only when every upload succeeded. Progress
 * ("upload" phase) and per-file warnings go to `callbacks` (may be NULL),
 * from worker threads, one call at a time.
 * Returns WS_OK when every file synced. When some files failed, returns
 * the first failure's status and ws_error_last() counts them; *summary
 * (may be NULL) is filled whenever the sync ran. Other failures (missing
 * local_root: WS_ENOTFOUND; listing failed; bad options) leave *summary
 * zeroed.
 */
WS_EXTERN(int) ws_sync_mirror_up(ws_store *store, const char *local_root, const char *key_prefix,
                                 const ws_sync_options *opts, const ws_callbacks *callbacks,
                                 ws_sync_summary *summary);

/*
 * Downloads every object under `key_prefix` into `local_root` (created when
 * missing), restoring mtimes; identical files are left alone, others are
 * replaced atomically. A key that would leave local_root ("..", ".", empty
 * segments, absolute, NUL) is refused (WS_EUNSAFE, logged) while the rest
 * downloads; nothing is ever written outside local_root. Return value and
 * *summary as for ws_sync_mirror_up ("download" phase).
 */
WS_EXTERN(int) ws_sync_copy_down(ws_store *store, const char *key_prefix, const char *local_root,
                                 const ws_sync_options *opts, const ws_callbacks *callbacks,
                                 ws_sync_summary *summary);

#ifdef __cplusplus
}
#endif

#endif /* LIBWORKSPACE_STORE_H */

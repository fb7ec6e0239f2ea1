/*
 * libworkspace — workspace area of the C API: what the init container and
 * the sidecar do (behaviour §3, §5). See common.h for conventions.
 *
 *   ws_hydrate()      prepare the workspace (layout, state down, clones,
 *                     workflow, repo-state restore); blocking.
 *   ws_sync_once()    one sync cycle (SQLite checkpoint, repo backup, mirror
 *                     of the state trees, metadata.json); blocking.
 *   ws_sidecar_*      the sidecar loop: ws_sidecar_run() blocks until
 *                     ws_sidecar_stop() is called from another thread, then
 *                     runs one last repo backup and sync and returns.
 *
 * All take a ws_config (spec.h) that the call only borrows: the library
 * copies what it needs, so the config may be freed once the call returns
 * (for a sidecar: once ws_sidecar_new returns).
 */
#ifndef LIBWORKSPACE_WORKSPACE_H
#define LIBWORKSPACE_WORKSPACE_H

#include "common.h"
#include "spec.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Knobs beyond the session's configuration; zero/NULL fields mean the
 * default. Strings are copied by the call. */
typedef struct ws_workspace_options {
	unsigned int version;    /* WS_WORKSPACE_OPTIONS_VERSION */
	const char *cache_dir;   /* hash cache, manifests, last repo backups;
	                            NULL: "<workspace root>/.libworkspace" */
	int parallel;            /* concurrent transfers; 0: 8 */
	unsigned int flags;      /* ws_sync_flags, for ws_sync_once */
	/* Version 2: stops ws_hydrate_ext and ws_sync_once (common.h); NULL:
	   not cancellable. Borrowed for the call; ws_sidecar_* ignore it
	   (use ws_sidecar_stop). */
	ws_cancel *cancel;
} ws_workspace_options;

/* Version 1 (without `cancel`) is still accepted. */
#define WS_WORKSPACE_OPTIONS_VERSION 2
#define WS_WORKSPACE_OPTIONS_INIT { WS_WORKSPACE_OPTIONS_VERSION, NULL, 0, 0, NULL }

typedef enum ws_sync_flags {
	WS_SYNC_STATE_ONLY = 1u << 0,  /* mirror the state trees only, no repo backup */
	WS_SYNC_REPOS_ONLY = 1u << 1   /* back up the repos only, no state trees */
} ws_sync_flags;

/* What a hydrate did. The caller sets `version`; the library fills the
 * fields that version has. */
typedef struct ws_hydrate_report {
	unsigned int version;        /* WS_HYDRATE_REPORT_VERSION */
	uint64_t files_downloaded;
	uint64_t bytes_downloaded;
	int repos_cloned;
	int repos_failed;            /* clone failures (logged as warnings) */
	int repos_restored;          /* repo-state applied */
	int restore_failed;          /* repo-state that could not be applied (warnings) */
	int unsafe_keys;             /* keys refused because they would leave their target */
	int workflow_ready;          /* 1 when workflows/<name> is in place */
	int persistence;             /* 0 when S3 is not configured (layout only) */
} ws_hydrate_report;

#define WS_HYDRATE_REPORT_VERSION 1
#define WS_HYDRATE_REPORT_INIT { WS_HYDRATE_REPORT_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/* What one sync cycle did; as ws_hydrate_report, the caller sets `version`. */
typedef struct ws_sync_report {
	unsigned int version;        /* WS_SYNC_REPORT_VERSION */
	uint64_t files_uploaded;
	uint64_t files_unchanged;
	uint64_t files_deleted;
	uint64_t files_skipped;      /* larger than MAX_SYNC_SIZE, broken links */
	uint64_t bytes_total;
	uint64_t bytes_uploaded;
	int repos_backed_up;
	int repos_unchanged;
	int repos_failed;
	uint64_t duration_ms;
} ws_sync_report;

#define WS_SYNC_REPORT_VERSION 1
#define WS_SYNC_REPORT_INIT { WS_SYNC_REPORT_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/*
 * Hydrates the workspace of `cfg` (behaviour §3). Per-repo problems are warnings
 * through the log callback; a broken store (unreachable, refused, no bucket)
 * or a failed state download is an error: WS_ENETWORK, WS_EAUTH,
 * WS_ENOTFOUND, WS_ESTORE, WS_EIO. With persistence off only the layout is
 * created and the call succeeds.
 */
WS_EXTERN(int) ws_hydrate(const ws_config *cfg, const ws_callbacks *callbacks);

/* As ws_hydrate, with options (NULL: defaults) and a report (NULL: none). */
WS_EXTERN(int) ws_hydrate_ext(const ws_config *cfg, const ws_workspace_options *options,
                              const ws_callbacks *callbacks, ws_hydrate_report *report);

/*
 * One sync cycle with a repo backup (unless WS_SYNC_STATE_ONLY). Fails
 * (WS_EINVALID) when persistence is off, and with the first failure's status
 * when any part failed; the other parts still ran. `report` may be NULL.
 */
WS_EXTERN(int) ws_sync_once(const ws_config *cfg, const ws_workspace_options *options,
                            const ws_callbacks *callbacks, ws_sync_report *report);

/* The sidecar loop (opaque). */
typedef struct ws_sidecar ws_sidecar;

/*
 * Creates a sidecar for `cfg` (copied). The callbacks and their userdata
 * must stay valid until ws_sidecar_free. On success *out is owned by the
 * caller and freed with ws_sidecar_free.
 */
WS_EXTERN(int) ws_sidecar_new(ws_sidecar **out, const ws_config *cfg,
                              const ws_workspace_options *options, const ws_callbacks *callbacks);

/*
 * Runs the loop on the calling thread (SYNC_INITIAL_DELAY, then a cycle
 * every SYNC_INTERVAL, repo backup every REPO_BACKUP_INTERVAL-th cycle)
 * until ws_sidecar_stop; then one final repo backup and sync. Returns 0
 * when that final sync succeeded. Runs at most once per handle. With
 * persistence off it only waits for the stop.
 */
WS_EXTERN(int) ws_sidecar_run(ws_sidecar *sidecar);

/*
 * Asks a running (or not yet started) ws_sidecar_run to finish. May be
 * called from any thread, any number of times; not from a signal handler
 * (forward signals from a watcher thread, as Go's os/signal does).
 */
WS_EXTERN(void) ws_sidecar_stop(ws_sidecar *sidecar);

/* Frees the sidecar; it must not be running. NULL is fine. */
WS_EXTERN(void) ws_sidecar_free(ws_sidecar *sidecar);

#ifdef __cplusplus
}
#endif

#endif /* LIBWORKSPACE_WORKSPACE_H */

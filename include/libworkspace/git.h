/*
 * libworkspace — git area of the C API: cloning one repository or the
 * session's workflow, and backing a repository up to / restoring it from the
 * repo-state files of behaviour §2 (repo.bundle, uncommitted.patch,
 * staged.patch, metadata.json). See common.h for conventions.
 *
 * Every call here blocks (network, disk) and may be run on any thread.
 * Secrets never appear in messages: URLs are shown without userinfo.
 */
#ifndef LIBWORKSPACE_GIT_H
#define LIBWORKSPACE_GIT_H

#include "common.h"
#include "auth.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How to clone. NULL or "" strings take the defaults. */
typedef struct ws_clone_options {
	unsigned int version;               /* WS_CLONE_OPTIONS_VERSION */
	const char *branch;                 /* default: the remote's default branch */
	const char *user_name;              /* deprecated, ignored: no identity is written
	                                       into a clone's config (the runner sets its own
	                                       globally, and a repo-local one would override it) */
	const char *user_email;             /* deprecated, ignored, as user_name */
	const ws_credentials *credentials;  /* NULL: anonymous; borrowed for the call */
} ws_clone_options;

#define WS_CLONE_OPTIONS_VERSION 1
#define WS_CLONE_OPTIONS_INIT { WS_CLONE_OPTIONS_VERSION, NULL, NULL, NULL, NULL }

/* Sets *opts as WS_CLONE_OPTIONS_INIT does, for `version`. */
WS_EXTERN(int) ws_clone_options_init(ws_clone_options *opts, unsigned int version);

/*
 * Clones only one branch of `url` (opts->branch or the remote's default)
 * into `target`, which must be absent or empty, and checks it out. When
 * opts->branch does not exist on the remote, the remote's default branch is
 * cloned instead, with a warning through `callbacks`. No git identity is written
 * into the clone's config. `opts`, `callbacks` and `head_sha` may be NULL. On WS_OK *head_sha
 * (when given) is the checked-out commit, "" for an empty remote, owned by
 * the caller (ws_string_free). Failures: WS_EAUTH, WS_ENOTFOUND (repository
 * or branch), WS_ENETWORK, WS_ECONFLICT (target not empty), WS_EGIT; the
 * target is then left as it was.
 */
WS_EXTERN(int) ws_git_clone(const char *url, const char *target, const ws_clone_options *opts,
                            const ws_callbacks *callbacks, char **head_sha);

/* The workflow of a session (ACTIVE_WORKFLOW_*). */
typedef struct ws_workflow_options {
	unsigned int version;               /* WS_WORKFLOW_OPTIONS_VERSION */
	const char *branch;                 /* default "main" */
	const char *subpath;                /* ACTIVE_WORKFLOW_PATH; NULL/"": whole repo */
	const char *user_name;              /* deprecated, ignored, as in ws_clone_options */
	const char *user_email;             /* deprecated, ignored */
	const ws_credentials *credentials;  /* NULL: anonymous; borrowed for the call */
} ws_workflow_options;

#define WS_WORKFLOW_OPTIONS_VERSION 1
#define WS_WORKFLOW_OPTIONS_INIT { WS_WORKFLOW_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL }

/* Sets *opts as WS_WORKFLOW_OPTIONS_INIT does, for `version`. */
WS_EXTERN(int) ws_workflow_options_init(ws_workflow_options *opts, unsigned int version);

/*
 * Clones the workflow to a temporary directory inside `workflows_dir`, then
 * moves opts->subpath (or, when that is missing, the whole repository, with
 * a warning through `callbacks`) to `workflows_dir`/`name`. *whole_repo (may be
 * NULL) tells which. Failures as ws_git_clone, plus WS_EUNSAFE when the
 * sub-path or name would leave its directory.
 */
WS_EXTERN(int) ws_git_clone_workflow(const char *url, const char *workflows_dir, const char *name,
                                     const ws_workflow_options *opts, const ws_callbacks *callbacks,
                                     int *whole_repo);

typedef struct ws_backup_options {
	unsigned int version;    /* WS_BACKUP_OPTIONS_VERSION */
	const char *state_file;  /* change fingerprint; NULL: "<outdir>.fingerprint" */
	int force;               /* nonzero: rebuild even when nothing changed */
} ws_backup_options;

#define WS_BACKUP_OPTIONS_VERSION 1
#define WS_BACKUP_OPTIONS_INIT { WS_BACKUP_OPTIONS_VERSION, NULL, 0 }

/* Sets *opts as WS_BACKUP_OPTIONS_INIT does, for `version`. */
WS_EXTERN(int) ws_backup_options_init(ws_backup_options *opts, unsigned int version);

/*
 * Writes the four repo-state files of the work tree `repo` into `outdir`
 * (created if missing), each replaced atomically. When refs, index and work
 * tree are as at the last backup, nothing is written and *unchanged (may be
 * NULL) is 1, so the caller can skip the upload. Failures: WS_ENOTFOUND (no
 * repository), WS_EIO, WS_EGIT.
 */
WS_EXTERN(int) ws_git_backup(const char *repo, const char *outdir, const ws_backup_options *opts,
                             const ws_callbacks *callbacks, int *unchanged);

typedef struct ws_restore_options {
	unsigned int version;               /* WS_RESTORE_OPTIONS_VERSION */
	const char *remote_url;             /* clone from here when `repo` is missing;
	                                       NULL: metadata.json's remoteUrl */
	const char *user_name;              /* deprecated, ignored, as in ws_clone_options */
	const char *user_email;             /* deprecated, ignored */
	const ws_credentials *credentials;  /* NULL: anonymous; borrowed for the call */
} ws_restore_options;

#define WS_RESTORE_OPTIONS_VERSION 1
#define WS_RESTORE_OPTIONS_INIT { WS_RESTORE_OPTIONS_VERSION, NULL, NULL, NULL, NULL }

/* Sets *opts as WS_RESTORE_OPTIONS_INIT does, for `version`. */
WS_EXTERN(int) ws_restore_options_init(ws_restore_options *opts, unsigned int version);

/* What a restore did; filled by ws_git_restore. */
typedef struct ws_restore_report {
	unsigned int version;        /* WS_RESTORE_REPORT_VERSION, set by the caller */
	int cloned;                  /* the repository was missing and was cloned */
	unsigned int branches_imported;
	int head_matches;            /* HEAD equals metadata.json's headSha */
	unsigned int rejected;       /* saved file changes that did not apply (logged) */
} ws_restore_report;

#define WS_RESTORE_REPORT_VERSION 1
#define WS_RESTORE_REPORT_INIT { WS_RESTORE_REPORT_VERSION, 0, 0, 0, 0 }

/*
 * Restores `repo` (a fresh clone, or absent: then cloned first) from the
 * files in `state_dir`, written by ws_git_backup or by the old scripts:
 * every bundle branch becomes a local branch (forced), the saved branch is
 * checked out, the work-tree and staged changes are applied file by file.
 * A change that does not apply is a warning and counted in
 * report->rejected, not a failure. `opts`, `callbacks`, `report` may be NULL.
 * Failures: WS_ENOTFOUND (no metadata.json), WS_EUNSUPPORTED (bundle
 * version, capability or sha256), WS_EGIT (corrupt bundle, missing
 * prerequisite: the repository is left untouched), WS_ECONFLICT (the
 * repository has local changes), and the clone failures.
 */
WS_EXTERN(int) ws_git_restore(const char *state_dir, const char *repo,
                              const ws_restore_options *opts, const ws_callbacks *callbacks,
                              ws_restore_report *report);

#ifdef __cplusplus
}
#endif

#endif /* LIBWORKSPACE_GIT_H */

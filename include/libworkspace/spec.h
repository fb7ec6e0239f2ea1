/*
 * libworkspace — spec area of the C API: a session pod's configuration,
 * repo specs and the control plane's pod plan. See common.h for
 * conventions. Nothing here touches the network or the filesystem.
 */
#ifndef LIBWORKSPACE_SPEC_H
#define LIBWORKSPACE_SPEC_H

#include "common.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A session pod's resolved configuration (behaviour §1): every environment
 * variable of `ambient-workspace env`, validated, defaulted and sanitised.
 * Immutable once created; may be shared between threads.
 */
typedef struct ws_config ws_config;

/*
 * Loads the configuration from a snapshot of the process environment.
 * On success *out is a new handle owned by the caller (ws_config_free);
 * on failure *out is NULL and ws_error_last() names the variable and what
 * was wrong (WS_EINVALID).
 */
WS_EXTERN(int) ws_config_from_env(ws_config **out);

/*
 * Loads the configuration from `envp`, a NULL-terminated array of
 * "KEY=VALUE" strings (as execve's envp); the process environment is not
 * read. The strings are copied. An entry without '=' is WS_EINVALID.
 */
WS_EXTERN(int) ws_config_from_envp(ws_config **out, const char *const *envp);

/*
 * Loads the configuration from `count` keys and values (parallel arrays,
 * copied); the process environment is not read. An empty value counts as
 * unset, so the default applies.
 */
WS_EXTERN(int) ws_config_from_pairs(ws_config **out, const char *const *keys,
                                    const char *const *values, size_t count);

/*
 * The resolved value of the variable `name` ("SESSION_NAME" gives the
 * sanitised session name, "SYNC_INTERVAL" the decimal seconds, "" when a
 * variable without default is unset). *out is borrowed from `cfg` and
 * valid until ws_config_free(cfg). Secrets the caller supplied are
 * returned as given. An unknown name is WS_ENOTFOUND.
 */
WS_EXTERN(int) ws_config_get(const ws_config *cfg, const char *name, const char **out);

/* 1 when endpoint, bucket and both S3 keys are set (behaviour §1), else 0. */
WS_EXTERN(int) ws_config_persistence_enabled(const ws_config *cfg);

/* Frees a configuration; NULL is fine. */
WS_EXTERN(void) ws_config_free(ws_config *cfg);

/* Flags of ws_repos_normalize and ws_repos_from_session. */
typedef enum ws_repos_flags {
	WS_REPOS_DEFAULT = 0,
	WS_REPOS_WITH_NAMES = 1u << 0 /* add each repo's directory name as "name" */
} ws_repos_flags;

/*
 * Validates a REPOS_JSON array ([{"url", "branch"?, "autoPush"?}]) and
 * writes its canonical compact form to *out (caller frees with
 * ws_string_free). `flags` is a combination of ws_repos_flags.
 * Odd but plausible input is accepted as the pod accepts it (README
 * "Input policy"): null is "[]", an item without url is left out, a repo
 * listed twice is kept once. WS_EINVALID names the problem: invalid JSON
 * with its byte offset, not an array, an item that is not an object, a
 * field of the wrong type, an unusable directory name, two remotes with
 * one directory name (naming both URLs). Errors never contain credentials
 * found in a URL.
 */
WS_EXTERN(int) ws_repos_normalize(const char *repos_json, unsigned int flags, char **out);

/*
 * The CP session's repos: `repos_json` ("Repos") when it is an array with
 * items (blank, "null" and "[]" count as empty), else
 * `repo_url` ("RepoURL") as a single repo, else "[]". Either may be NULL.
 * *out as for ws_repos_normalize.
 */
WS_EXTERN(int) ws_repos_from_session(const char *repo_url, const char *repos_json,
                                     unsigned int flags, char **out);

/*
 * The directory a repo URL is cloned into under repos/ (last path segment
 * without ".git"; https, ssh://, scp-like and file:// URLs). *out freed
 * with ws_string_free. WS_EINVALID when the name would be empty, "." or "..".
 */
WS_EXTERN(int) ws_repo_name_from_url(const char *url, char **out);

/*
 * Keeps only [A-Za-z0-9-] of `name`, as done to SESSION_NAME and NAMESPACE
 * before they enter an S3 key or path. *out (possibly "") freed with
 * ws_string_free.
 */
WS_EXTERN(int) ws_name_sanitize(const char *name, char **out);

/*
 * The pod plan (behaviour §6): from a CP session as JSON
 *   {"name", "namespace", "project"?, "id"?, "RepoURL"?, "Repos"?,
 *    "workflow"?: {"gitUrl", "branch"?, "path"?}}
 * and the CP's settings as JSON (NULL or "" for none; fields in
 * lib/config/pod_plan.hpp and README: stateSyncImage, imagePullPolicy,
 * backendApiUrl, cpTokenUrl, cpTokenPublicKey, botToken, runnerStateDir,
 * projectStorage, clusterStorage, sharedMinio, secretRefs, env), writes to
 * *out the plan as JSON:
 *   {"initHydrate": bool, "stateSync": bool, "storage": {...},
 *    "conditions": [{"type": "S3Available", "status", "reason", "message"}],
 *    "initContainers": [...], "containers": [...], "volumes": [...],
 *    "workspaceMount": {...}, "warnings": [{"event", "message"}...]}
 * where containers are Kubernetes container objects. Keys of both inputs
 * match case-insensitively. *out freed with ws_string_free. Incomplete S3
 * settings are not an error: the plan has no persistence and its
 * S3Available condition is "False" with a reason (NotConfigured,
 * IncompleteSettings, InvalidEndpoint). WS_EINVALID names the field at
 * fault for garbage input. The plan
 * contains secrets given as plain values (use secretRefs to avoid that).
 */
WS_EXTERN(int) ws_pod_plan(const char *session_json, const char *settings_json, char **out);

#ifdef __cplusplus
}
#endif

#endif /* LIBWORKSPACE_SPEC_H */

package libworkspace

/*
#include <libworkspace/libworkspace.h>
*/
import "C"

import (
	"context"
	"runtime"
	"time"
)

// Options tune Hydrate, SyncOnce and the Sidecar beyond the session's
// configuration; the zero value takes the defaults.
type Options struct {
	CacheDir  string // hash cache, manifests, last repo backups; "" = "<workspace root>/.libworkspace"
	Parallel  int    // concurrent transfers; 0 = 8
	StateOnly bool   // SyncOnce: mirror the state trees only, no repo backup
	ReposOnly bool   // SyncOnce: back up the repos only, no state trees
	Callbacks
}

func (o *Options) c(cs *cstrings) (*C.ws_workspace_options, error) {
	opts := C.ws_workspace_options{version: C.WS_WORKSPACE_OPTIONS_VERSION}
	if o == nil {
		return &opts, nil
	}
	if err := checkStrings("cache dir", o.CacheDir); err != nil {
		return nil, err
	}
	opts.cache_dir = cs.opt(o.CacheDir)
	opts.parallel = C.uint(o.Parallel)
	if o.StateOnly {
		opts.flags |= C.WS_SYNC_STATE_ONLY
	}
	if o.ReposOnly {
		opts.flags |= C.WS_SYNC_REPOS_ONLY
	}
	return &opts, nil
}

func (o *Options) callbacks() *Callbacks {
	if o == nil {
		return nil
	}
	return &o.Callbacks
}

// HydrateReport is what Hydrate did.
type HydrateReport struct {
	FilesDownloaded uint64
	BytesDownloaded uint64
	ReposCloned     int
	ReposFailed     int // clone failures (logged as warnings)
	ReposRestored   int // repo-state applied
	RestoreFailed   int // repo-state that could not be applied (warnings)
	UnsafeKeys      int // keys refused because they would leave their target
	WorkflowReady   bool
	Persistence     bool // false when S3 is not configured (layout only)
}

// callWithOptions runs fn with opts in C form and a cancel handle that ctx
// requests: the one shape of every workspace call.
func callWithOptions(ctx context.Context, opts *Options, fn func(*C.ws_workspace_options) C.int) error {
	return withCancel(ctx, func(cancel *C.ws_cancel) error {
		var cs cstrings
		defer cs.free()
		copts, err := opts.c(&cs)
		if err != nil {
			return err
		}
		copts.cancel = cancel
		return call(func() C.int { return fn(copts) })
	})
}

// Hydrate prepares the workspace of cfg (behaviour §3): layout, state
// down, clones, workflow, repo-state restore. Per-repo problems are
// warnings through the log callback; a broken store or a failed state
// download is an error. Cancelling ctx stops it.
func Hydrate(ctx context.Context, cfg *Config, opts *Options) (HydrateReport, error) {
	c, err := cfg.handle()
	if err != nil {
		return HydrateReport{}, err
	}
	cb := newCallbackSet(opts.callbacks())
	defer cb.release()
	report := C.ws_hydrate_report{version: C.WS_HYDRATE_REPORT_VERSION}
	err = callWithOptions(ctx, opts, func(copts *C.ws_workspace_options) C.int {
		return C.ws_hydrate_ext(c, copts, cb.c(), &report)
	})
	runtime.KeepAlive(cfg)
	return HydrateReport{
		FilesDownloaded: uint64(report.files_downloaded), BytesDownloaded: uint64(report.bytes_downloaded),
		ReposCloned: int(report.repos_cloned), ReposFailed: int(report.repos_failed),
		ReposRestored: int(report.repos_restored), RestoreFailed: int(report.restore_failed),
		UnsafeKeys: int(report.unsafe_keys), WorkflowReady: report.workflow_ready == 1,
		Persistence: report.persistence == 1,
	}, cb.result(err)
}

// SyncReport is what one sync cycle did.
type SyncReport struct {
	FilesUploaded  uint64
	FilesUnchanged uint64
	FilesDeleted   uint64
	FilesSkipped   uint64 // larger than MAX_SYNC_SIZE, broken links
	BytesTotal     uint64
	BytesUploaded  uint64
	ReposBackedUp  int
	ReposUnchanged int
	ReposFailed    int
	Duration       time.Duration
}

// SyncOnce runs one sync cycle (SQLite checkpoint, repo backup unless
// StateOnly, mirror of the state trees, metadata.json). ErrInvalid when
// persistence is off; else the first failing part's error, the others
// still ran. Only one cycle runs per workspace at a time: a second one
// fails at once. Cancelling ctx stops the cycle; the stored state stays
// consistent (keys are deleted only after a complete mirror).
func SyncOnce(ctx context.Context, cfg *Config, opts *Options) (SyncReport, error) {
	c, err := cfg.handle()
	if err != nil {
		return SyncReport{}, err
	}
	cb := newCallbackSet(opts.callbacks())
	defer cb.release()
	report := C.ws_sync_report{version: C.WS_SYNC_REPORT_VERSION}
	err = callWithOptions(ctx, opts, func(copts *C.ws_workspace_options) C.int {
		return C.ws_sync_once(c, copts, cb.c(), &report)
	})
	runtime.KeepAlive(cfg)
	return syncReport(&report), cb.result(err)
}

func syncReport(r *C.ws_sync_report) SyncReport {
	return SyncReport{
		FilesUploaded: uint64(r.files_uploaded), FilesUnchanged: uint64(r.files_unchanged),
		FilesDeleted: uint64(r.files_deleted), FilesSkipped: uint64(r.files_skipped),
		BytesTotal: uint64(r.bytes_total), BytesUploaded: uint64(r.bytes_uploaded),
		ReposBackedUp: int(r.repos_backed_up), ReposUnchanged: int(r.repos_unchanged),
		ReposFailed: int(r.repos_failed), Duration: time.Duration(r.duration_ms) * time.Millisecond,
	}
}

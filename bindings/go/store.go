package libworkspace

/*
#include <libworkspace/libworkspace.h>
*/
import "C"

import (
	"context"
	"encoding/json"
	"runtime"
)

// StoreOptions open one bucket of an S3 endpoint or of a local directory.
type StoreOptions struct {
	Endpoint      string // "http(s)://host[:port]" or "file:///abs/dir" (objects are <dir>/<bucket>/<key>)
	Bucket        string
	AccessKey     string // S3 only
	SecretKey     string // S3 only; never logged
	Region        string // "" = "us-east-1"
	VirtualHosted bool   // bucket.host addressing instead of host/bucket
	Callbacks            // the store's own log events, for the store's life
}

// Store is an open object store. Unlike the other handles its calls may
// run from several goroutines at once; Close only when none runs.
type Store struct {
	c  *C.ws_store
	cb *callbackSet
}

// OpenStore opens a store; nothing is contacted yet (see CheckBucket).
// ErrInvalid names a bad field.
func OpenStore(opts StoreOptions) (*Store, error) {
	if err := checkStrings("endpoint", opts.Endpoint, "bucket", opts.Bucket, "access key", opts.AccessKey,
		"secret key", opts.SecretKey, "region", opts.Region); err != nil {
		return nil, err
	}
	var cs cstrings
	defer cs.free()
	copts := C.ws_store_options{
		version:        C.WS_STORE_OPTIONS_VERSION,
		endpoint:       cs.str(opts.Endpoint),
		bucket:         cs.str(opts.Bucket),
		access_key:     cs.opt(opts.AccessKey),
		secret_key:     cs.opt(opts.SecretKey),
		region:         cs.opt(opts.Region),
		virtual_hosted: cbool(opts.VirtualHosted),
	}
	cb := newCallbackSet(&opts.Callbacks)
	var out *C.ws_store
	if err := call(func() C.int { return C.ws_store_open(&out, &copts, cb.c()) }); err != nil {
		cb.release()
		return nil, err
	}
	s := &Store{c: out, cb: cb}
	runtime.SetFinalizer(s, (*Store).Close)
	return s, nil
}

func (s *Store) handle() (*C.ws_store, error) {
	if s == nil || s.c == nil {
		return nil, invalid("the Store is nil or closed")
	}
	return s.c, nil
}

// CheckBucket says whether the bucket is there and usable: ErrAuth,
// ErrNotFound, ErrNetwork. ctx is checked before the call starts.
func (s *Store) CheckBucket(ctx context.Context) error {
	if ctx.Err() != nil {
		return cancelled(ctx)
	}
	c, err := s.handle()
	if err != nil {
		return err
	}
	err = call(func() C.int { return C.ws_store_check_bucket(c) })
	runtime.KeepAlive(s)
	return s.cb.result(err)
}

// Object is one stored object.
type Object struct {
	Key  string `json:"key"`
	Size uint64 `json:"size"`
	ETag string `json:"etag"`
	MD5  string `json:"md5"` // hex, or "" when unknown
}

// List lists every object under prefix ("" = the whole bucket),
// recursively, sorted by key. ctx is checked before the call starts.
func (s *Store) List(ctx context.Context, prefix string) ([]Object, error) {
	if ctx.Err() != nil {
		return nil, cancelled(ctx)
	}
	c, err := s.handle()
	if err != nil {
		return nil, err
	}
	if err := checkStrings("prefix", prefix); err != nil {
		return nil, err
	}
	var cs cstrings
	defer cs.free()
	cprefix := cs.opt(prefix)
	var out *C.char
	err = call(func() C.int { return C.ws_store_list_json(c, cprefix, &out) })
	runtime.KeepAlive(s)
	if err = s.cb.result(err); err != nil {
		return nil, err
	}
	objects := []Object{}
	if err := json.Unmarshal([]byte(takeString(out)), &objects); err != nil {
		return nil, &Error{Code: StatusInternal, Message: "decoding the listing: " + err.Error()}
	}
	return objects, nil
}

// SyncOptions tune MirrorUp and CopyDown; the zero value takes the defaults.
type SyncOptions struct {
	Parallel    uint     // concurrent transfers; 0 = 8
	StateDB     string   // SQLite hash cache and manifest, outside the tree; "" = none
	Excludes    []string // rclone filter patterns; nil = the built-in list (MirrorUp), none (CopyDown)
	MaxFileSize uint64   // MirrorUp skips larger files; 0 = 1 GiB
	VerifyEvery uint     // MirrorUp lists the remote at least every Nth cycle; 0 = 10
	DryRun      bool     // decide and report, transfer nothing
	Callbacks            // progress and per-file warnings, from worker threads
}

// SyncSummary is what a tree sync did.
type SyncSummary struct {
	Files            uint64 // considered
	Transferred      uint64
	Unchanged        uint64
	Deleted          uint64 // remote keys deleted (MirrorUp)
	Skipped          uint64 // too large, broken symlink, loop
	Failed           uint64 // unsafe key, transfer error
	Bytes            uint64
	BytesTransferred uint64
	Listed           bool // the remote prefix was listed in full
}

func (o *SyncOptions) c(cs *cstrings) (*C.ws_sync_options, error) {
	opts := C.ws_sync_options{version: C.WS_SYNC_OPTIONS_VERSION}
	if o == nil {
		return &opts, nil
	}
	if err := checkStrings("state db", o.StateDB); err != nil {
		return nil, err
	}
	for _, e := range o.Excludes {
		if err := checkStrings("an exclude pattern", e); err != nil {
			return nil, err
		}
	}
	opts.parallel = C.uint(o.Parallel)
	opts.state_db = cs.opt(o.StateDB)
	opts.excludes = cs.array(o.Excludes)
	opts.excludes_count = C.size_t(len(o.Excludes))
	opts.max_file_size = C.uint64_t(o.MaxFileSize)
	opts.verify_every = C.uint(o.VerifyEvery)
	opts.dry_run = cbool(o.DryRun)
	return &opts, nil
}

func (o *SyncOptions) callbacks() *Callbacks {
	if o == nil {
		return nil
	}
	return &o.Callbacks
}

// MirrorUp makes keyPrefix ("ns/session/artifacts") a mirror of the
// directory localRoot: uploads new and changed files, then deletes keys of
// gone files when every upload succeeded. When some files failed the error
// is the first failure's and the summary still counts what was done.
// Cancelling ctx stops the transfers; keys are deleted only after a sync
// that was not stopped.
func (s *Store) MirrorUp(ctx context.Context, localRoot, keyPrefix string, opts *SyncOptions) (SyncSummary, error) {
	return s.treeSync(ctx, opts, "local root", localRoot, "key prefix", keyPrefix,
		func(c *C.ws_store, root, prefix *C.char, o *C.ws_sync_options, cb *C.ws_callbacks, sum *C.ws_sync_summary) C.int {
			return C.ws_sync_mirror_up(c, root, prefix, o, cb, sum)
		})
}

// CopyDown downloads every object under keyPrefix into localRoot (created
// when missing); a key that would leave localRoot is refused (ErrUnsafe)
// while the rest downloads. Errors and summary as MirrorUp's.
func (s *Store) CopyDown(ctx context.Context, keyPrefix, localRoot string, opts *SyncOptions) (SyncSummary, error) {
	return s.treeSync(ctx, opts, "local root", localRoot, "key prefix", keyPrefix,
		func(c *C.ws_store, root, prefix *C.char, o *C.ws_sync_options, cb *C.ws_callbacks, sum *C.ws_sync_summary) C.int {
			return C.ws_sync_copy_down(c, prefix, root, o, cb, sum)
		})
}

type treeSyncFn func(c *C.ws_store, root, prefix *C.char, o *C.ws_sync_options, cb *C.ws_callbacks, sum *C.ws_sync_summary) C.int

func (s *Store) treeSync(ctx context.Context, opts *SyncOptions, rootName, root, prefixName, prefix string,
	fn treeSyncFn) (SyncSummary, error) {
	c, err := s.handle()
	if err != nil {
		return SyncSummary{}, err
	}
	if err := checkStrings(rootName, root, prefixName, prefix); err != nil {
		return SyncSummary{}, err
	}
	cb := newCallbackSet(opts.callbacks())
	defer cb.release()
	var sum C.ws_sync_summary
	err = withCancel(ctx, func(cancel *C.ws_cancel) error {
		var cs cstrings
		defer cs.free()
		copts, err := opts.c(&cs)
		if err != nil {
			return err
		}
		copts.cancel = cancel
		croot, cprefix := cs.str(root), cs.str(prefix)
		sum = C.ws_sync_summary{version: C.WS_SYNC_SUMMARY_VERSION}
		return call(func() C.int { return fn(c, croot, cprefix, copts, cb.c(), &sum) })
	})
	runtime.KeepAlive(s)
	summary := SyncSummary{
		Files: uint64(sum.files), Transferred: uint64(sum.transferred), Unchanged: uint64(sum.unchanged),
		Deleted: uint64(sum.deleted), Skipped: uint64(sum.skipped), Failed: uint64(sum.failed),
		Bytes: uint64(sum.bytes), BytesTransferred: uint64(sum.bytes_transferred), Listed: sum.listed == 1,
	}
	return summary, s.cb.result(cb.result(err))
}

// Close frees the store; no call on it may be running.
func (s *Store) Close() error {
	if s != nil && s.c != nil {
		C.ws_store_free(s.c)
		s.c = nil
		s.cb.release()
		s.cb = nil
		runtime.SetFinalizer(s, nil)
	}
	return nil
}

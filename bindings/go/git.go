package libworkspace

/*
#include <libworkspace/libworkspace.h>
*/
import "C"

import (
	"context"
	"runtime"
)

// The git calls below block on the network and the disk; the library has
// no way to stop them midway, so their ctx is checked before they start.

// CloneOptions tune Clone.
type CloneOptions struct {
	Branch      string       // "" = the remote's default branch
	Credentials *Credentials // nil: anonymous
	Callbacks
}

// Clone clones one branch of url into target (absent or empty) and checks
// it out; a missing branch falls back to the remote's default with a
// warning. It returns the checked-out commit ("" for an empty remote).
// ErrAuth, ErrNotFound, ErrNetwork, ErrConflict (target not empty), ErrGit.
func Clone(ctx context.Context, url, target string, opts *CloneOptions) (headSHA string, err error) {
	if ctx.Err() != nil {
		return "", cancelled(ctx)
	}
	if opts == nil {
		opts = &CloneOptions{}
	}
	if err := checkStrings("url", url, "target", target, "branch", opts.Branch); err != nil {
		return "", err
	}
	creds, err := optionalCredentials(opts.Credentials)
	if err != nil {
		return "", err
	}
	var cs cstrings
	defer cs.free()
	copts := C.ws_clone_options{version: C.WS_CLONE_OPTIONS_VERSION, branch: cs.opt(opts.Branch), credentials: creds}
	curl, ctarget := cs.str(url), cs.str(target)
	cb := newCallbackSet(&opts.Callbacks)
	defer cb.release()
	var out *C.char
	err = call(func() C.int { return C.ws_git_clone(curl, ctarget, &copts, cb.c(), &out) })
	runtime.KeepAlive(opts.Credentials)
	if err = cb.result(err); err != nil {
		if out != nil {
			C.ws_string_free(out)
		}
		return "", err
	}
	return takeString(out), nil
}

// WorkflowOptions tune CloneWorkflow.
type WorkflowOptions struct {
	Branch      string // "" = "main"
	Subpath     string // ACTIVE_WORKFLOW_PATH; "" = the whole repository
	Credentials *Credentials
	Callbacks
}

// CloneWorkflow clones a session's workflow and moves its Subpath (or, when
// missing, the whole repository, with a warning) to workflowsDir/name;
// wholeRepo tells which. Errors as Clone's, plus ErrUnsafe.
func CloneWorkflow(ctx context.Context, url, workflowsDir, name string, opts *WorkflowOptions) (wholeRepo bool, err error) {
	if ctx.Err() != nil {
		return false, cancelled(ctx)
	}
	if opts == nil {
		opts = &WorkflowOptions{}
	}
	if err := checkStrings("url", url, "workflows dir", workflowsDir, "name", name, "branch", opts.Branch,
		"subpath", opts.Subpath); err != nil {
		return false, err
	}
	creds, err := optionalCredentials(opts.Credentials)
	if err != nil {
		return false, err
	}
	var cs cstrings
	defer cs.free()
	copts := C.ws_workflow_options{version: C.WS_WORKFLOW_OPTIONS_VERSION, branch: cs.opt(opts.Branch),
		subpath: cs.opt(opts.Subpath), credentials: creds}
	curl, cdir, cname := cs.str(url), cs.str(workflowsDir), cs.str(name)
	cb := newCallbackSet(&opts.Callbacks)
	defer cb.release()
	var whole C.int
	err = call(func() C.int { return C.ws_git_clone_workflow(curl, cdir, cname, &copts, cb.c(), &whole) })
	runtime.KeepAlive(opts.Credentials)
	return whole == 1, cb.result(err)
}

// BackupOptions tune BackupRepo.
type BackupOptions struct {
	StateFile string // change fingerprint; "" = "<outdir>.fingerprint"
	Force     bool   // rebuild even when nothing changed
	Callbacks
}

// BackupRepo writes the four repo-state files of the work tree repo
// (repo.bundle, uncommitted.patch, staged.patch, metadata.json) into
// outdir. When nothing changed since the last backup nothing is written
// and unchanged is true. ErrNotFound (no repository), ErrIO, ErrGit.
func BackupRepo(ctx context.Context, repo, outdir string, opts *BackupOptions) (unchanged bool, err error) {
	if ctx.Err() != nil {
		return false, cancelled(ctx)
	}
	if opts == nil {
		opts = &BackupOptions{}
	}
	if err := checkStrings("repo", repo, "outdir", outdir, "state file", opts.StateFile); err != nil {
		return false, err
	}
	var cs cstrings
	defer cs.free()
	copts := C.ws_backup_options{version: C.WS_BACKUP_OPTIONS_VERSION, state_file: cs.opt(opts.StateFile),
		force: cbool(opts.Force)}
	crepo, cout := cs.str(repo), cs.str(outdir)
	cb := newCallbackSet(&opts.Callbacks)
	defer cb.release()
	var same C.int
	err = call(func() C.int { return C.ws_git_backup(crepo, cout, &copts, cb.c(), &same) })
	return same == 1, cb.result(err)
}

// RestoreOptions tune RestoreRepo.
type RestoreOptions struct {
	RemoteURL   string // clone from here when repo is missing; "" = metadata.json's remoteUrl
	Credentials *Credentials
	Callbacks
}

// RestoreReport is what RestoreRepo did.
type RestoreReport struct {
	Cloned           bool // the repository was missing and was cloned
	BranchesImported uint
	HeadMatches      bool // HEAD equals metadata.json's headSha
	Rejected         uint // saved file changes that did not apply (logged)
}

// RestoreRepo restores repo (a fresh clone, or absent) from the files in
// stateDir written by BackupRepo or the old scripts. A change that does not
// apply is counted in Rejected, not an error. ErrNotFound (no
// metadata.json), ErrUnsupported, ErrGit, ErrConflict (local changes).
func RestoreRepo(ctx context.Context, stateDir, repo string, opts *RestoreOptions) (RestoreReport, error) {
	if ctx.Err() != nil {
		return RestoreReport{}, cancelled(ctx)
	}
	if opts == nil {
		opts = &RestoreOptions{}
	}
	if err := checkStrings("state dir", stateDir, "repo", repo, "remote url", opts.RemoteURL); err != nil {
		return RestoreReport{}, err
	}
	creds, err := optionalCredentials(opts.Credentials)
	if err != nil {
		return RestoreReport{}, err
	}
	var cs cstrings
	defer cs.free()
	copts := C.ws_restore_options{version: C.WS_RESTORE_OPTIONS_VERSION, remote_url: cs.opt(opts.RemoteURL),
		credentials: creds}
	cstate, crepo := cs.str(stateDir), cs.str(repo)
	cb := newCallbackSet(&opts.Callbacks)
	defer cb.release()
	report := C.ws_restore_report{version: C.WS_RESTORE_REPORT_VERSION}
	err = call(func() C.int { return C.ws_git_restore(cstate, crepo, &copts, cb.c(), &report) })
	runtime.KeepAlive(opts.Credentials)
	return RestoreReport{
		Cloned: report.cloned == 1, BranchesImported: uint(report.branches_imported),
		HeadMatches: report.head_matches == 1, Rejected: uint(report.rejected),
	}, cb.result(err)
}

// optionalCredentials is nil's NULL, or an open Credentials' handle.
func optionalCredentials(cr *Credentials) (*C.ws_credentials, error) {
	if cr == nil {
		return nil, nil
	}
	return cr.handle()
}

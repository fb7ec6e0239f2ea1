package libworkspace

/*
#include <libworkspace/libworkspace.h>
*/
import "C"

import (
	"context"
	"runtime"
	"strconv"
	"time"
)

// AuthOptions tune the calls of this file; the zero value takes the
// defaults of behaviour §4.
type AuthOptions struct {
	AllowPlainHTTP bool          // bearer tokens may travel over plain http outside the cluster
	TokenAttempts  uint          // CP token endpoint attempts; 0 = 3
	TokenTimeout   time.Duration // each attempt's timeout; 0 = 10 s
	Callbacks
}

func (o *AuthOptions) c() *C.ws_auth_options {
	opts := C.ws_auth_options{version: C.WS_AUTH_OPTIONS_VERSION}
	if o != nil {
		opts.allow_plain_http = cbool(o.AllowPlainHTTP)
		opts.token_attempts = C.uint(o.TokenAttempts)
		opts.token_timeout_ms = C.uint(o.TokenTimeout / time.Millisecond)
	}
	return &opts
}

func (o *AuthOptions) callbacks() *Callbacks {
	if o == nil {
		return nil
	}
	return &o.Callbacks
}

// APIToken resolves the session's API bearer token: from the CP token
// endpoint when AMBIENT_CP_TOKEN_URL is set, else BOT_TOKEN. ErrNotFound
// when neither is configured, ErrAuth refused, ErrNetwork unreachable.
// Blocks up to about 33 s; ctx is checked before the call starts.
func APIToken(ctx context.Context, cfg *Config, opts *AuthOptions) (Secret, error) {
	if ctx.Err() != nil {
		return Secret{}, cancelled(ctx)
	}
	c, err := cfg.handle()
	if err != nil {
		return Secret{}, err
	}
	cb := newCallbackSet(opts.callbacks())
	defer cb.release()
	copts := opts.c()
	var out *C.char
	err = call(func() C.int { return C.ws_auth_api_token(c, copts, cb.c(), &out) })
	runtime.KeepAlive(cfg)
	if err = cb.result(err); err != nil {
		if out != nil {
			C.ws_string_free(out)
		}
		return Secret{}, err
	}
	return Secret{value: takeString(out)}, nil
}

// GitHosting is a git hosting provider.
type GitHosting int

// The providers credentials resolve for.
const (
	GitHub GitHosting = C.WS_GIT_HOSTING_GITHUB
	GitLab GitHosting = C.WS_GIT_HOSTING_GITLAB
)

// CredentialOutcome tells how a hosting's token was obtained, or why there
// is none.
type CredentialOutcome int

// Outcomes (ws_credential_outcome).
const (
	CredentialFetched         CredentialOutcome = C.WS_CREDENTIAL_FETCHED
	CredentialFromEnvironment CredentialOutcome = C.WS_CREDENTIAL_FROM_ENVIRONMENT
	CredentialAuthFailed      CredentialOutcome = C.WS_CREDENTIAL_AUTH_FAILED
	CredentialNotConfigured   CredentialOutcome = C.WS_CREDENTIAL_NOT_CONFIGURED
	CredentialUnreachable     CredentialOutcome = C.WS_CREDENTIAL_UNREACHABLE
	CredentialMalformed       CredentialOutcome = C.WS_CREDENTIAL_MALFORMED
	CredentialSkipped         CredentialOutcome = C.WS_CREDENTIAL_SKIPPED
)

func (o CredentialOutcome) String() string {
	switch o {
	case CredentialFetched:
		return "fetched"
	case CredentialFromEnvironment:
		return "from environment"
	case CredentialAuthFailed:
		return "auth failed"
	case CredentialNotConfigured:
		return "not configured"
	case CredentialUnreachable:
		return "unreachable"
	case CredentialMalformed:
		return "malformed"
	case CredentialSkipped:
		return "skipped"
	}
	return "outcome(" + strconv.Itoa(int(o)) + ")"
}

// Credentials are the session's resolved git credentials; immutable and
// shareable between goroutines until Close.
type Credentials struct {
	c *C.ws_credentials
}

// ResolveCredentials resolves the GitHub and GitLab credentials:
// GITHUB_TOKEN / GITLAB_TOKEN, else the backend credentials API. Problems
// are warnings (opts' log callback) and outcomes, not errors. ctx is
// checked before the call starts.
func ResolveCredentials(ctx context.Context, cfg *Config, opts *AuthOptions) (*Credentials, error) {
	if ctx.Err() != nil {
		return nil, cancelled(ctx)
	}
	c, err := cfg.handle()
	if err != nil {
		return nil, err
	}
	cb := newCallbackSet(opts.callbacks())
	defer cb.release()
	copts := opts.c()
	var out *C.ws_credentials
	err = call(func() C.int { return C.ws_credentials_resolve(&out, c, copts, cb.c()) })
	runtime.KeepAlive(cfg)
	if err = cb.result(err); err != nil {
		C.ws_credentials_free(out)
		return nil, err
	}
	creds := &Credentials{c: out}
	runtime.SetFinalizer(creds, (*Credentials).Close)
	return creds, nil
}

func (cr *Credentials) handle() (*C.ws_credentials, error) {
	if cr == nil || cr.c == nil {
		return nil, invalid("the Credentials are nil or closed")
	}
	return cr.c, nil
}

// Outcome says how hosting's token was obtained; message explains a
// missing one ("" otherwise).
func (cr *Credentials) Outcome(hosting GitHosting) (outcome CredentialOutcome, message string, err error) {
	c, err := cr.handle()
	if err != nil {
		return 0, "", err
	}
	var o C.ws_credential_outcome
	var msg *C.char
	err = call(func() C.int { return C.ws_credentials_outcome(c, C.ws_git_hosting(hosting), &o, &msg) })
	if err == nil {
		outcome, message = CredentialOutcome(o), C.GoString(msg)
	}
	runtime.KeepAlive(cr)
	return outcome, message, err
}

// Lookup gives the username and token git should offer host over protocol
// ("https"); a token goes only to its own hosts. ErrNotFound otherwise.
func (cr *Credentials) Lookup(protocol, host string) (username string, password Secret, err error) {
	c, err := cr.handle()
	if err != nil {
		return "", Secret{}, err
	}
	if err := checkStrings("protocol", protocol, "host", host); err != nil {
		return "", Secret{}, err
	}
	var cs cstrings
	defer cs.free()
	cproto, chost := cs.str(protocol), cs.str(host)
	var user, pass *C.char
	err = call(func() C.int { return C.ws_credentials_lookup(c, cproto, chost, &user, &pass) })
	runtime.KeepAlive(cr)
	if err != nil {
		return "", Secret{}, err
	}
	return takeString(user), Secret{value: takeString(pass)}, nil
}

// Identity is the git identity of the credentials (or the bot's default).
func (cr *Credentials) Identity() (name, email string, err error) {
	c, err := cr.handle()
	if err != nil {
		return "", "", err
	}
	var n, e *C.char
	err = call(func() C.int { return C.ws_credentials_identity(c, &n, &e) })
	if err == nil {
		name, email = C.GoString(n), C.GoString(e)
	}
	runtime.KeepAlive(cr)
	return name, email, err
}

// Close frees the credentials.
func (cr *Credentials) Close() error {
	if cr != nil && cr.c != nil {
		C.ws_credentials_free(cr.c)
		cr.c = nil
		runtime.SetFinalizer(cr, nil)
	}
	return nil
}

package libworkspace

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestErrorIsItsStatusSentinelOnly(t *testing.T) {
	_, err := NormalizeRepos(`[{"url": 3}]`, 0)
	var e *Error
	if !errors.As(err, &e) || e.Code != StatusInvalid {
		t.Fatalf("want an *Error with StatusInvalid, got %#v", err)
	}
	if e.Message != "REPOS_JSON[0].url must be a string, got a number" {
		t.Errorf("message: %q", e.Message)
	}
	if !errors.Is(err, ErrInvalid) || errors.Is(err, ErrNotFound) || errors.Is(err, context.Canceled) {
		t.Errorf("errors.Is: invalid %v, not found %v, canceled %v",
			errors.Is(err, ErrInvalid), errors.Is(err, ErrNotFound), errors.Is(err, context.Canceled))
	}
	if err.Error() != "libworkspace: REPOS_JSON[0].url must be a string, got a number (invalid input)" {
		t.Errorf("Error(): %q", err.Error())
	}
}

func TestEverySentinelHasItsStatus(t *testing.T) {
	for _, s := range []*Error{ErrInvalid, ErrNotFound, ErrAuth, ErrNetwork, ErrProtocol, ErrIO, ErrConflict,
		ErrCancelled, ErrUnsafe, ErrUnsupported, ErrStore, ErrGit, ErrInternal} {
		other := &Error{Code: s.Code, Message: "m"}
		if !errors.Is(other, s) || errors.Is(&Error{Code: s.Code - 1, Message: "m"}, s) {
			t.Errorf("%v does not match exactly its status", s)
		}
		if strings.Contains(s.Code.String(), "unknown") {
			t.Errorf("status %d has no name: %s", s.Code, s.Code)
		}
	}
}

func TestErrorsNeverLeakAURLCredential(t *testing.T) {
	_, err := NormalizeRepos(`[{"url":"https://x:secret-token@h/a/r"},{"url":"https://h/b/r"}]`, 0)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "would both be cloned into repos/r") ||
		strings.Contains(err.Error(), "secret-token") {
		t.Fatalf("got %v", err)
	}
}

func TestNulInAnArgumentIsRefusedNotCut(t *testing.T) {
	_, err := NormalizeRepos("[]\x00garbage", 0)
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "REPOS_JSON must not contain a NUL byte") {
		t.Fatalf("got %v", err)
	}
}

// Each goroutine's failing call must report its own message: the message is
// per OS thread in C, so a goroutine moved to another thread between the
// call and ws_error_last() would read another call's. Successful calls in
// between clear the thread's message, so a wrong read also shows as "".
func TestErrorMessagesStayWithTheirGoroutine(t *testing.T) {
	const goroutines, rounds = 64, 300
	var wg sync.WaitGroup
	failures := make(chan string, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				value := fmt.Sprintf("goroutine-%d-round-%d", g, r)
				_, err := LoadConfig(map[string]string{"MAX_SYNC_SIZE": value})
				want := fmt.Sprintf("'%s'", value) // the message quotes the value at fault
				var e *Error
				if !errors.As(err, &e) || !strings.Contains(e.Message, want) {
					failures <- fmt.Sprintf("goroutine %d round %d: want %q, got %v", g, r, want, err)
					return
				}
				if _, err := SanitizeName(value); err != nil {
					failures <- fmt.Sprintf("goroutine %d: %v", g, err)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
}

func TestConfigGetAndClose(t *testing.T) {
	cfg, err := LoadConfig(map[string]string{"SESSION_NAME": "sess_1", "AWS_ACCESS_KEY_ID": "AK",
		"AWS_SECRET_ACCESS_KEY": "SK"})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := cfg.Get("SESSION_NAME"); err != nil || v != "sess1" {
		t.Errorf("SESSION_NAME sanitised: %q %v", v, err)
	}
	if !cfg.PersistenceEnabled() {
		t.Error("default endpoint and bucket plus both keys persist")
	}
	if _, err := cfg.Get("NOT_A_VARIABLE"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown variable: %v", err)
	}
	if err := cfg.Close(); err != nil {
		t.Fatal(err)
	}
	_ = cfg.Close() // idempotent
	if _, err := cfg.Get("SESSION_NAME"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "closed") {
		t.Errorf("use after Close: %v", err)
	}
}

func TestReposFromSession(t *testing.T) {
	for _, c := range []struct{ url, repos, want string }{
		{"https://github.com/o/app.git", "", `[{"url":"https://github.com/o/app.git","name":"app"}]`},
		{"https://github.com/o/app.git", "[]", `[{"url":"https://github.com/o/app.git","name":"app"}]`},
		{"https://github.com/o/app.git", `[{"url":"https://github.com/o/lib"}]`, `[{"url":"https://github.com/o/lib","name":"lib"}]`},
		{"", "null", `[]`},
	} {
		got, err := ReposFromSession(c.url, c.repos, WithNames)
		if err != nil || got != c.want {
			t.Errorf("ReposFromSession(%q, %q) = %s, %v; want %s", c.url, c.repos, got, err, c.want)
		}
	}
	if name, err := RepoName("git@github.com:o/app.git"); err != nil || name != "app" {
		t.Errorf("RepoName: %q %v", name, err)
	}
	if _, err := RepoName("https://h/.."); !errors.Is(err, ErrInvalid) {
		t.Errorf("RepoName of ..: %v", err)
	}
}

package libworkspace

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func manyFiles(t *testing.T, n int) string {
	dir := t.TempDir()
	for i := 0; i < n; i++ {
		writeFile(t, filepath.Join(dir, fmt.Sprintf("d%d", i%4), fmt.Sprintf("f%03d.txt", i)), strings.Repeat("x", i+1))
	}
	return dir
}

func TestAPanickingCallbackIsRecoveredReportedAndReleased(t *testing.T) {
	ctx := ctxTimeout(t, time.Minute)
	store, err := OpenStore(StoreOptions{Endpoint: localStore(t), Bucket: s3rverBucket})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	before := liveHandles.Load()
	var calls atomic.Int32
	opts := &SyncOptions{Parallel: 4, Callbacks: Callbacks{Progress: func(p Progress) {
		calls.Add(1)
		panic("progress callback bug")
	}}}
	sum, err := store.MirrorUp(ctx, manyFiles(t, 40), "p/s/artifacts", opts)
	var p *CallbackPanicError
	if !errors.Is(err, ErrCallbackPanic) || !errors.As(err, &p) || p.Callback != "progress" ||
		p.Value != "progress callback bug" || !strings.Contains(string(p.Stack), "callbacks_test.go") {
		t.Fatalf("want the recovered panic as the error, got %v", err)
	}
	if p.Err != nil {
		t.Errorf("the sync itself succeeded, but got %v", p.Err)
	}
	// The sync went on without the callback: every file is stored.
	if sum.Transferred != 40 || calls.Load() != 1 {
		t.Errorf("summary %+v after %d callback calls", sum, calls.Load())
	}
	if live := liveHandles.Load(); live != before {
		t.Errorf("the call's callback handle leaked: %d live, %d before", live, before)
	}
	objects, err := store.List(ctx, "p/s/artifacts/")
	if err != nil || len(objects) != 40 {
		t.Errorf("stored %d objects: %v", len(objects), err)
	}
}

func TestAPanickingLogCallbackKeepsTheLibraryErrorToo(t *testing.T) {
	before := liveHandles.Load()
	opts := &Options{Callbacks: Callbacks{Log: func(LogLevel, string, string) { panic(errors.New("log bug")) }}}
	// Hydrate against a store whose bucket does not exist: logs, then fails.
	vars := sessionVars(filepath.Join(t.TempDir(), "ws"), "file://"+t.TempDir())
	_, err := Hydrate(context.Background(), mustConfig(t, vars), opts)
	var p *CallbackPanicError
	if !errors.As(err, &p) || p.Callback != "log" || !errors.Is(err, ErrNotFound) {
		t.Fatalf("want the panic and the missing bucket, got %v", err)
	}
	if live := liveHandles.Load(); live != before {
		t.Errorf("handle leaked: %d live, %d before", live, before)
	}
}

func TestAForgottenStoreIsFreedByItsFinalizer(t *testing.T) {
	before := liveHandles.Load()
	func() {
		_, err := OpenStore(StoreOptions{Endpoint: localStore(t), Bucket: s3rverBucket,
			Callbacks: Callbacks{Log: func(LogLevel, string, string) {}}})
		if err != nil {
			t.Fatal(err)
		}
		if liveHandles.Load() != before+1 {
			t.Fatal("a store with callbacks registers one handle")
		}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for liveHandles.Load() != before && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if live := liveHandles.Load(); live != before {
		t.Errorf("the finalizer did not close the store: %d handles live, %d before", live, before)
	}
}

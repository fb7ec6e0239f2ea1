package libworkspace

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// events collects a call's log events and progress reports; the library
// may call from its own threads, so under -race this also checks that
// the trampolines hand over safely.
type events struct {
	mu       sync.Mutex
	log      []string
	progress []Progress
}

func (e *events) callbacks() Callbacks {
	return Callbacks{
		Log: func(level LogLevel, event, message string) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.log = append(e.log, event)
		},
		Progress: func(p Progress) {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.progress = append(e.progress, p)
		},
	}
}

func (e *events) has(event string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, ev := range e.log {
		if ev == event {
			return true
		}
	}
	return false
}

// hydrateSyncRehydrate is the main job from Go: hydrate a workspace, make
// an agent's changes, sync once, then hydrate a second workspace from the
// store and find them there.
func hydrateSyncRehydrate(t *testing.T, endpoint string) {
	ctx := ctxTimeout(t, 2*time.Minute)
	root := filepath.Join(t.TempDir(), "ws")
	var ev events
	opts := &Options{Callbacks: ev.callbacks()}
	report, err := Hydrate(ctx, mustConfig(t, sessionVars(root, endpoint)), opts)
	if err != nil {
		t.Fatalf("Hydrate: %v", err)
	}
	if !report.Persistence || !ev.has("hydrate.done") {
		t.Fatalf("hydrate with persistence: %+v, events %v", report, ev.log)
	}
	for _, d := range []string{"repos", "artifacts", "file-uploads", ".claude"} {
		if fi, err := os.Stat(filepath.Join(root, d)); err != nil || !fi.IsDir() {
			t.Fatalf("hydrate did not create %s/: %v", d, err)
		}
	}
	writeFile(t, filepath.Join(root, "artifacts", "report.md"), "# results\n")
	writeFile(t, filepath.Join(root, ".claude", "notes", "state.json"), `{"turn": 3}`)
	writeFile(t, filepath.Join(root, "file-uploads", "data set.csv"), strings.Repeat("a,b\n", 50000))

	sync, err := SyncOnce(ctx, mustConfig(t, sessionVars(root, endpoint)), opts)
	if err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	if sync.FilesUploaded != 3 || sync.BytesUploaded < 200000 {
		t.Errorf("three files uploaded: %+v", sync)
	}
	ev.mu.Lock()
	sawUpload := false
	for _, p := range ev.progress {
		sawUpload = sawUpload || p.Phase == "upload"
	}
	ev.mu.Unlock()
	if !sawUpload {
		t.Errorf("no upload progress reached Go: %+v", ev.progress)
	}

	again, err := SyncOnce(ctx, mustConfig(t, sessionVars(root, endpoint)), nil)
	if err != nil || again.FilesUploaded != 0 || again.FilesUnchanged != 3 {
		t.Errorf("a second cycle uploads nothing: %+v %v", again, err)
	}

	second := filepath.Join(t.TempDir(), "ws2")
	back, err := Hydrate(ctx, mustConfig(t, sessionVars(second, endpoint)), nil)
	if err != nil || back.FilesDownloaded != 3 {
		t.Fatalf("second hydrate: %+v %v", back, err)
	}
	for _, p := range []string{"artifacts/report.md", ".claude/notes/state.json", "file-uploads/data set.csv"} {
		if readFile(t, filepath.Join(second, p)) != readFile(t, filepath.Join(root, p)) {
			t.Errorf("%s differs after the round trip", p)
		}
	}
}

func TestHydrateThenSyncOnTheLocalStore(t *testing.T) {
	hydrateSyncRehydrate(t, localStore(t))
}

func TestHydrateThenSyncOnS3rver(t *testing.T) {
	hydrateSyncRehydrate(t, startS3rver(t).Endpoint)
}

func TestSyncWithoutPersistenceIsInvalid(t *testing.T) {
	cfg := mustConfig(t, map[string]string{"WORKSPACE_ROOT": t.TempDir()})
	if _, err := SyncOnce(context.Background(), cfg, nil); !errors.Is(err, ErrInvalid) {
		t.Fatalf("got %v", err)
	}
	if _, err := SyncOnce(context.Background(), cfg, &Options{StateOnly: true, ReposOnly: true}); !errors.Is(err, ErrInvalid) {
		t.Fatalf("state-only and repos-only: %v", err)
	}
}

func TestACallWhoseContextEndedDoesNotStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	root := filepath.Join(t.TempDir(), "ws")
	_, err := Hydrate(ctx, mustConfig(t, sessionVars(root, localStore(t))), nil)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrCancelled) {
		t.Fatalf("got %v", err)
	}
	if _, statErr := os.Stat(root); !os.IsNotExist(statErr) {
		t.Errorf("hydrate ran anyway: %v", statErr)
	}
}

func TestStoreTreeSyncAndList(t *testing.T) {
	ctx := ctxTimeout(t, time.Minute)
	store, err := OpenStore(StoreOptions{Endpoint: startS3rver(t).Endpoint, Bucket: s3rverBucket,
		AccessKey: s3rverKey, SecretKey: s3rverKey})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.CheckBucket(ctx); err != nil {
		t.Fatalf("CheckBucket: %v", err)
	}
	src := t.TempDir()
	writeFile(t, filepath.Join(src, "a.txt"), "alpha")
	writeFile(t, filepath.Join(src, "sub", "b.txt"), "bravo!")
	writeFile(t, filepath.Join(src, "skip.pyc"), "bytecode")
	sum, err := store.MirrorUp(ctx, src, "p/s/artifacts", &SyncOptions{Excludes: []string{"*.pyc"}})
	if err != nil || sum.Transferred != 2 {
		t.Fatalf("MirrorUp: %+v %v", sum, err)
	}
	objects, err := store.List(ctx, "p/s/")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(keys(objects), " "); got != "p/s/artifacts/a.txt:5 p/s/artifacts/sub/b.txt:6" {
		t.Errorf("listing: %s", got)
	}
	dst := t.TempDir()
	down, err := store.CopyDown(ctx, "p/s/artifacts", dst, nil)
	if err != nil || down.Transferred != 2 || readFile(t, filepath.Join(dst, "sub", "b.txt")) != "bravo!" {
		t.Fatalf("CopyDown: %+v %v", down, err)
	}
	if _, err := store.MirrorUp(ctx, filepath.Join(src, "missing"), "p/s/x", nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing local root: %v", err)
	}
	bad, err := OpenStore(StoreOptions{Endpoint: "ftp://x", Bucket: "b"})
	if !errors.Is(err, ErrInvalid) || bad != nil {
		t.Errorf("bad endpoint: %v", err)
	}
}

func TestSidecarRunsUntilItsContextEnds(t *testing.T) {
	root := filepath.Join(t.TempDir(), "ws")
	endpoint := localStore(t)
	vars := sessionVars(root, endpoint)
	vars["SYNC_INITIAL_DELAY"] = "0"
	vars["SYNC_INTERVAL"] = "3600"
	cfg := mustConfig(t, vars)
	if _, err := Hydrate(context.Background(), cfg, nil); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "artifacts", "out.txt"), "made by the agent")
	var ev events
	sidecar, err := NewSidecar(cfg, &Options{Callbacks: ev.callbacks()})
	if err != nil {
		t.Fatal(err)
	}
	defer sidecar.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := sidecar.Run(ctx); err != nil {
		t.Fatalf("Run: %v", err)
	}
	store, err := OpenStore(StoreOptions{Endpoint: endpoint, Bucket: s3rverBucket})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	objects, err := store.List(context.Background(), "proj/sess-1/artifacts/")
	if err != nil || strings.Join(keys(objects), " ") != "proj/sess-1/artifacts/out.txt:17" {
		t.Errorf("the final sync stored the artifact: %v %v", keys(objects), err)
	}
	if err := sidecar.Run(context.Background()); err == nil {
		t.Error("a sidecar runs at most once")
	}
}

package libworkspace

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// stallingStore forwards to s3rver until stall is set; then it accepts the
// requests of the chosen methods and never answers them (until the client
// gives up or the test ends).
type stallingStore struct {
	*httptest.Server
	stall   atomic.Bool
	methods string // e.g. "PUT DELETE"; "" stalls every request
	stalled atomic.Int32
}

func newStallingStore(t *testing.T, upstream string, methods string) *stallingStore {
	s := &stallingStore{methods: methods}
	var proxy http.Handler = http.NotFoundHandler()
	if upstream != "" {
		u, err := url.Parse(upstream)
		if err != nil {
			t.Fatal(err)
		}
		proxy = httputil.NewSingleHostReverseProxy(u)
	}
	testDone := make(chan struct{})
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.stall.Load() && (s.methods == "" || strings.Contains(s.methods, r.Method)) {
			s.stalled.Add(1)
			select {
			case <-r.Context().Done():
			case <-testDone:
			}
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { close(testDone); s.Server.Close() })
	return s
}

// cancelAfter cancels ctx once the store has stalled a request, so the
// cancel meets an operation waiting on the network.
func cancelAfter(store *stallingStore) (context.Context, func() time.Time) {
	ctx, cancel := context.WithCancel(context.Background())
	cancelledAt := make(chan time.Time, 1)
	go func() {
		for store.stalled.Load() == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		cancelledAt <- time.Now()
		cancel()
	}()
	return ctx, func() time.Time { cancel(); return <-cancelledAt }
}

func requireCancelled(t *testing.T, what string, err error, since time.Time) {
	t.Helper()
	if elapsed := time.Since(since); elapsed > 2*time.Second {
		t.Errorf("%s returned %v after the cancel", what, elapsed)
	}
	if !errors.Is(err, context.Canceled) || !errors.Is(err, ErrCancelled) {
		t.Fatalf("%s: want context.Canceled and ErrCancelled, got %v", what, err)
	}
}

func TestCancelAMirrorUpAgainstAStoreThatNeverAnswers(t *testing.T) {
	stall := newStallingStore(t, "", "")
	stall.stall.Store(true)
	store, err := OpenStore(StoreOptions{Endpoint: stall.URL, Bucket: s3rverBucket, AccessKey: s3rverKey,
		SecretKey: s3rverKey})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx, cancelledAt := cancelAfter(stall)
	_, err = store.MirrorUp(ctx, manyFiles(t, 8), "p/s/artifacts", nil)
	requireCancelled(t, "MirrorUp", err, cancelledAt())
}

func TestCancelAHydrateAgainstAStoreThatNeverAnswers(t *testing.T) {
	stall := newStallingStore(t, "", "")
	stall.stall.Store(true)
	ctx, cancelledAt := cancelAfter(stall)
	_, err := Hydrate(ctx, mustConfig(t, sessionVars(filepath.Join(t.TempDir(), "ws"), stall.URL)), nil)
	requireCancelled(t, "Hydrate", err, cancelledAt())
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

// A sync cancelled while its uploads stall leaves the store as the last
// complete cycle left it, give or take whole new objects: no partial
// object, and no key deleted; the next cycle completes the mirror.
func TestCancelASyncWhoseUploadsStallKeepsTheStoreConsistent(t *testing.T) {
	s3 := startS3rver(t)
	stall := newStallingStore(t, s3.Endpoint, "PUT DELETE")
	root := filepath.Join(t.TempDir(), "ws")
	vars := sessionVars(root, stall.URL)
	cfg := mustConfig(t, vars)
	ctx := ctxTimeout(t, time.Minute)
	if _, err := Hydrate(ctx, cfg, nil); err != nil {
		t.Fatal(err)
	}
	old := map[string]string{"artifacts/a.txt": "first a", "artifacts/gone.txt": "to be deleted",
		"file-uploads/u.bin": strings.Repeat("u", 100000)}
	for p, c := range old {
		writeFile(t, filepath.Join(root, p), c)
	}
	if _, err := SyncOnce(ctx, cfg, nil); err != nil {
		t.Fatalf("first sync: %v", err)
	}

	newer := map[string]string{"artifacts/a.txt": "second a, longer", "file-uploads/u.bin": strings.Repeat("v", 200000)}
	for i := 0; i < 20; i++ {
		newer["artifacts/new/"+strings.Repeat("n", i+1)+".txt"] = strings.Repeat("x", 1000*(i+1))
	}
	for p, c := range newer {
		writeFile(t, filepath.Join(root, p), c)
	}
	removeFile(t, filepath.Join(root, "artifacts/gone.txt"))
	stall.stall.Store(true)
	cctx, cancelledAt := cancelAfter(stall)
	_, err := SyncOnce(cctx, cfg, nil)
	requireCancelled(t, "SyncOnce", err, cancelledAt())
	stall.stall.Store(false)

	direct, err := OpenStore(StoreOptions{Endpoint: s3.Endpoint, Bucket: s3rverBucket, AccessKey: s3rverKey,
		SecretKey: s3rverKey})
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	objects, err := direct.List(ctx, "proj/sess-1/")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, o := range objects {
		rel := strings.TrimPrefix(o.Key, "proj/sess-1/")
		seen[rel] = true
		if rel == "metadata.json" || strings.HasPrefix(rel, "repo-state/") {
			continue
		}
		if o.MD5 != md5hex(old[rel]) && o.MD5 != md5hex(newer[rel]) {
			t.Errorf("%s is neither its old nor its new content (md5 %s)", rel, o.MD5)
		}
	}
	if !seen["artifacts/gone.txt"] {
		t.Error("the cancelled sync deleted a key: deletions wait for a complete mirror")
	}

	report, err := SyncOnce(ctx, cfg, nil)
	if err != nil || report.FilesDeleted != 1 {
		t.Fatalf("the next sync completes the mirror: %+v %v", report, err)
	}
	second := filepath.Join(t.TempDir(), "ws2")
	if _, err := Hydrate(ctx, mustConfig(t, sessionVars(second, s3.Endpoint)), nil); err != nil {
		t.Fatal(err)
	}
	for p, c := range newer {
		if readFile(t, filepath.Join(second, p)) != c {
			t.Errorf("%s after the completed sync differs", p)
		}
	}
}

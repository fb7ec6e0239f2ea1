package libworkspace

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// origin is a bare repository with one commit on main, made by the git CLI.
func origin(t *testing.T) string {
	dir := t.TempDir()
	bare, work := filepath.Join(dir, "app.git"), filepath.Join(dir, "seed")
	git(t, dir, "init", "-q", "--bare", "-b", "main", bare)
	git(t, dir, "init", "-q", "-b", "main", work)
	writeFile(t, filepath.Join(work, "README.md"), "hello\n")
	writeFile(t, filepath.Join(work, "src", "main.go"), "package main\n")
	git(t, work, "add", ".")
	git(t, work, "commit", "-q", "-m", "first")
	git(t, work, "push", "-q", bare, "main")
	return "file://" + bare
}

func TestCloneBackupRestoreRoundTrip(t *testing.T) {
	ctx := ctxTimeout(t, time.Minute)
	url := origin(t)
	repo := filepath.Join(t.TempDir(), "repos", "app")
	head, err := Clone(ctx, url, repo, &CloneOptions{Branch: "main"})
	if err != nil {
		t.Fatalf("Clone: %v", err)
	}
	if want := strings.TrimSpace(git(t, repo, "rev-parse", "HEAD")); head != want {
		t.Errorf("head %q, git says %q", head, want)
	}
	if _, err := Clone(ctx, url, repo, nil); !errors.Is(err, ErrConflict) {
		t.Errorf("clone into a non-empty target: %v", err)
	}

	// An agent's work: a branch with a commit, a staged and an unstaged
	// change, an untracked file.
	git(t, repo, "checkout", "-q", "-b", "feature")
	writeFile(t, filepath.Join(repo, "src", "feature.go"), "package main // new\n")
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-q", "-m", "feature")
	writeFile(t, filepath.Join(repo, "README.md"), "hello, staged\n")
	git(t, repo, "add", "README.md")
	writeFile(t, filepath.Join(repo, "src", "main.go"), "package main // unstaged\n")
	writeFile(t, filepath.Join(repo, "notes.txt"), "untracked\n")

	state := filepath.Join(t.TempDir(), "state", "app")
	unchanged, err := BackupRepo(ctx, repo, state, nil)
	if err != nil || unchanged {
		t.Fatalf("BackupRepo: unchanged=%v %v", unchanged, err)
	}
	for _, f := range []string{"repo.bundle", "uncommitted.patch", "staged.patch", "metadata.json"} {
		if _, err := os.Stat(filepath.Join(state, f)); err != nil {
			t.Errorf("backup lacks %s: %v", f, err)
		}
	}
	if unchanged, err := BackupRepo(ctx, repo, state, nil); err != nil || !unchanged {
		t.Errorf("a second backup without changes: unchanged=%v %v", unchanged, err)
	}

	restored := filepath.Join(t.TempDir(), "repos", "app")
	report, err := RestoreRepo(ctx, state, restored, nil)
	if err != nil {
		t.Fatalf("RestoreRepo: %v", err)
	}
	if !report.Cloned || !report.HeadMatches || report.Rejected != 0 {
		t.Errorf("restore report: %+v", report)
	}
	for _, args := range [][]string{{"rev-parse", "--abbrev-ref", "HEAD"}, {"rev-parse", "HEAD"},
		{"status", "--porcelain"}, {"diff"}, {"diff", "--cached"}} {
		if a, b := git(t, repo, args...), git(t, restored, args...); a != b {
			t.Errorf("git %s differs:\n%s\nrestored:\n%s", strings.Join(args, " "), a, b)
		}
	}
	if _, err := RestoreRepo(ctx, t.TempDir(), filepath.Join(t.TempDir(), "x"), nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("restore without metadata.json: %v", err)
	}
}

func TestCloneWorkflowSubpath(t *testing.T) {
	dir := t.TempDir()
	wf, err := CloneWorkflow(context.Background(), origin(t), dir, "flows", &WorkflowOptions{Subpath: "src"})
	if err != nil || wf {
		t.Fatalf("CloneWorkflow: whole=%v %v", wf, err)
	}
	if readFile(t, filepath.Join(dir, "flows", "main.go")) != "package main\n" {
		t.Error("the sub-path is the workflow")
	}
}

func TestHydrateClonesTheSessionReposAndASyncBacksThemUp(t *testing.T) {
	ctx := ctxTimeout(t, time.Minute)
	url := origin(t)
	repos, err := NormalizeRepos(`[{"url": "`+url+`", "branch": "main"}]`, 0)
	if err != nil {
		t.Fatal(err)
	}
	endpoint := localStore(t)
	root := filepath.Join(t.TempDir(), "ws")
	vars := sessionVars(root, endpoint)
	vars["REPOS_JSON"] = repos
	report, err := Hydrate(ctx, mustConfig(t, vars), nil)
	if err != nil || report.ReposCloned != 1 || report.ReposFailed != 0 {
		t.Fatalf("Hydrate: %+v %v", report, err)
	}
	writeFile(t, filepath.Join(root, "repos", "app", "README.md"), "changed by the agent\n")
	sync, err := SyncOnce(ctx, mustConfig(t, vars), &Options{ReposOnly: true})
	if err != nil || sync.ReposBackedUp != 1 || sync.FilesUploaded != 0 {
		t.Fatalf("repos-only sync: %+v %v", sync, err)
	}
	second := filepath.Join(t.TempDir(), "ws2")
	vars["WORKSPACE_ROOT"] = second
	back, err := Hydrate(ctx, mustConfig(t, vars), nil)
	if err != nil || back.ReposRestored != 1 {
		t.Fatalf("second hydrate: %+v %v", back, err)
	}
	if got := readFile(t, filepath.Join(second, "repos", "app", "README.md")); got != "changed by the agent\n" {
		t.Errorf("the agent's change was not restored: %q", got)
	}
}

package libworkspace

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// README's Go example builds as its own module requiring this package and
// runs as written (its paths moved into a temp dir): the pod plan, then
// hydrate and one sync cycle on the local-directory store.
func TestReadmeGoExample(t *testing.T) {
	readme := readFile(t, filepath.Join(sourceRoot(t), "README.md"))
	block := regexp.MustCompile("(?s)\n```go\n(.*?)\n```\n").FindStringSubmatch(readme)
	if block == nil {
		t.Fatal("README.md has no ```go block")
	}
	tmp := t.TempDir()
	example := strings.ReplaceAll(block[1], "/tmp/lw-example", tmp)
	pkgDir, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	mod := "module example.com/readme\n\ngo 1.19\n\n" +
		"require github.com/ambient-code/libworkspace/bindings/go v0.0.0\n\n" +
		"replace github.com/ambient-code/libworkspace/bindings/go => " + pkgDir + "\n"
	writeFile(t, filepath.Join(tmp, "example", "go.mod"), mod)
	writeFile(t, filepath.Join(tmp, "example", "main.go"), example)
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = filepath.Join(tmp, "example")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run README's example: %v\n%s", err, out)
	}
	for _, want := range []string{"init-hydrate [ambient-workspace hydrate", "state-sync [ambient-workspace sync]",
		"uploaded 1"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the example's output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "store", s3rverBucket, "default", "sess-1", "artifacts", "report.md")); err != nil {
		t.Errorf("the sync did not store the artifact: %v", err)
	}
}

package libworkspace

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The tests run against the built tree: WS_SOURCE_ROOT and WS_BUILD_ROOT
// are set by the meson test (tests/go/run_go_tests.sh); from a checkout
// they default to ../.. and ../../build.
func sourceRoot(t *testing.T) string {
	if root := os.Getenv("WS_SOURCE_ROOT"); root != "" {
		return root
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func buildRoot(t *testing.T) string {
	if root := os.Getenv("WS_BUILD_ROOT"); root != "" {
		return root
	}
	return filepath.Join(sourceRoot(t), "build")
}

// cli is the built ambient-workspace, the C++ face the Go face must agree with.
func cli(t *testing.T) string {
	path := filepath.Join(buildRoot(t), "examples", "ambient-workspace", "ambient-workspace")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the CLI is not built: %v", err)
	}
	return path
}

// runCLI runs the CLI with only env as its environment (plus PATH).
func runCLI(t *testing.T, env []string, stdin string, args ...string) (stdout, stderr string, err error) {
	cmd := exec.Command(cli(t), args...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func removeFile(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// s3rver is the npm S3 stand-in of tests/peers, one per test, on a port it
// picks itself; its bucket "ambient-sessions" exists from the start.
type s3rver struct {
	Endpoint string
	cmd      *exec.Cmd
}

const (
	s3rverKey    = "S3RVER"
	s3rverBucket = "ambient-sessions"
)

func startS3rver(t *testing.T) *s3rver {
	t.Helper()
	peers := os.Getenv("WS_PEERS_DIR")
	if peers == "" {
		peers = filepath.Join(sourceRoot(t), "tests", "peers")
	}
	bin := filepath.Join(peers, "node_modules", ".bin", "s3rver")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("s3rver is not installed at %s: run './run install' (npm ci in tests/peers)", bin)
	}
	data := t.TempDir()
	cmd := exec.Command(bin, "-d", data, "-a", "127.0.0.1", "-p", "0", "--configure-bucket", s3rverBucket)
	// s3rver's continuation tokens need Node's legacy OpenSSL provider.
	cmd.Env = append(os.Environ(), "NODE_OPTIONS=--openssl-legacy-provider")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	ready := regexp.MustCompile(`S3rver listening on 127\.0\.0\.1:(\d+)`)
	found := make(chan string, 1)
	go func() {
		scanner := bufio.NewScanner(stdout)
		for scanner.Scan() {
			if m := ready.FindStringSubmatch(scanner.Text()); m != nil {
				found <- m[1]
			}
		}
	}()
	select {
	case port := <-found:
		return &s3rver{Endpoint: "http://127.0.0.1:" + port, cmd: cmd}
	case <-time.After(30 * time.Second):
		t.Fatal("s3rver did not start within 30 s")
	}
	return nil
}

// sessionVars is a session pod's environment on endpoint (a file:// store
// or s3rver).
func sessionVars(root, endpoint string) map[string]string {
	return map[string]string{
		"WORKSPACE_ROOT": root, "S3_ENDPOINT": endpoint, "S3_BUCKET": s3rverBucket,
		"AWS_ACCESS_KEY_ID": s3rverKey, "AWS_SECRET_ACCESS_KEY": s3rverKey, "SESSION_NAME": "sess-1",
		"NAMESPACE": "proj",
	}
}

func mustConfig(t *testing.T, vars map[string]string) *Config {
	t.Helper()
	cfg, err := LoadConfig(vars)
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	t.Cleanup(func() { _ = cfg.Close() })
	return cfg
}

// localStore is a file:// store whose bucket directory exists.
func localStore(t *testing.T) string {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, s3rverBucket), 0o755); err != nil {
		t.Fatal(err)
	}
	return "file://" + dir
}

func ctxTimeout(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func keys(objects []Object) []string {
	out := make([]string, len(objects))
	for i, o := range objects {
		out[i] = fmt.Sprintf("%s:%d", o.Key, o.Size)
	}
	return out
}

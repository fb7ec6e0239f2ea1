package libworkspace

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// podPlanCase is one row of testdata/pod_plan_cases.json, the table the
// Python face is checked against too (tests/python/test_pod_plan_faces.py):
// every face gives the same plan, or the same error, for the same input.
type podPlanCase struct {
	Name     string          `json:"name"`
	Session  json.RawMessage `json:"session"`
	Settings json.RawMessage `json:"settings"`
}

func podPlanCases(t *testing.T) []podPlanCase {
	var cases []podPlanCase
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join("testdata", "pod_plan_cases.json"))), &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

func (c podPlanCase) settings() any {
	if string(c.Settings) == "null" {
		return nil
	}
	return c.Settings
}

// cliPodPlan is the CLI's plan (or its error message) for the same input.
func cliPodPlan(t *testing.T, c podPlanCase) (plan string, errMsg string) {
	args := []string{"pod-plan"}
	if s := c.settings(); s != nil {
		args = append(args, "--settings", string(c.Settings))
	}
	out, stderr, err := runCLI(t, nil, string(c.Session), args...)
	if err != nil {
		return "", strings.TrimSpace(strings.TrimPrefix(stderr, "ambient-workspace: "))
	}
	return out, ""
}

func decodeAny(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%v in %s", err, b)
	}
	return v
}

func TestPodPlanTypedStructsKeepEveryFieldTheLibraryWrites(t *testing.T) {
	for _, c := range podPlanCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			raw, err := PodPlanJSON(c.Session, c.settings())
			plan, typedErr := PlanPod(c.Session, c.settings())
			if strings.HasPrefix(c.Name, "error:") {
				if !errors.Is(err, ErrInvalid) || !errors.Is(typedErr, ErrInvalid) {
					t.Fatalf("want ErrInvalid from both, got %v and %v", err, typedErr)
				}
				return
			}
			if err != nil || typedErr != nil {
				t.Fatalf("PodPlanJSON: %v, PlanPod: %v", err, typedErr)
			}
			// The typed plan re-encoded is the library's JSON: no field lost or
			// added, so what the CP re-encodes for Kubernetes is what the library meant.
			again, err := json.Marshal(plan)
			if err != nil {
				t.Fatal(err)
			}
			if want, got := decodeAny(t, raw), decodeAny(t, again); !reflect.DeepEqual(want, got) {
				t.Errorf("typed plan differs from the library's JSON\nlibrary: %s\ntyped:   %s", raw, again)
			}
		})
	}
}

func TestPodPlanMatchesTheCLI(t *testing.T) {
	for _, c := range podPlanCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			want, wantErr := cliPodPlan(t, c)
			plan, err := PlanPod(c.Session, c.settings())
			if wantErr != "" || err != nil {
				var e *Error
				if !errors.As(err, &e) || e.Message != wantErr {
					t.Fatalf("CLI error %q, Go error %v", wantErr, err)
				}
				return
			}
			got, _ := json.Marshal(plan)
			if !reflect.DeepEqual(decodeAny(t, []byte(want)), decodeAny(t, got)) {
				t.Errorf("CLI and Go plans differ\nCLI: %s\nGo:  %s", want, got)
			}
		})
	}
}

func TestPodPlanFromTypedSessionAndSettings(t *testing.T) {
	session := Session{Name: "sess-1", Namespace: "proj", RepoURL: "https://github.com/o/app.git",
		Workflow: &Workflow{GitURL: "https://github.com/o/flows.git", Path: "spec-kit"}}
	settings := &Settings{
		StateSyncImage: "quay.io/ambient_code/vteam_state_sync:v1",
		BackendAPIURL:  "http://backend:8080/api",
		SecretRefs: map[string]SecretRef{
			"AWS_ACCESS_KEY_ID":     {Name: "minio-credentials", Key: "access-key"},
			"AWS_SECRET_ACCESS_KEY": {Name: "minio-credentials", Key: "secret-key"},
		},
	}
	plan, err := PlanPod(session, settings)
	if err != nil {
		t.Fatal(err)
	}
	if !plan.InitHydrate || !plan.StateSync || plan.Storage.Source != "shared-minio" {
		t.Fatalf("both containers on the shared MinIO: %+v", plan)
	}
	if len(plan.InitContainers) != 1 || len(plan.Containers) != 1 {
		t.Fatalf("one init container, one sidecar: %+v", plan)
	}
	init, sidecar := plan.InitContainers[0], plan.Containers[0]
	if init.Name != "init-hydrate" || sidecar.Name != "state-sync" || init.Image != settings.StateSyncImage {
		t.Errorf("names and image: %s %s %s", init.Name, sidecar.Name, init.Image)
	}
	if repos := init.LookupEnv("REPOS_JSON"); repos == nil || repos.Value != `[{"url":"https://github.com/o/app.git"}]` {
		t.Errorf("REPOS_JSON: %+v", repos)
	}
	key := sidecar.LookupEnv("AWS_SECRET_ACCESS_KEY")
	if key == nil || key.Value != "" || key.ValueFrom == nil || key.ValueFrom.SecretKeyRef == nil ||
		*key.ValueFrom.SecretKeyRef != (SecretKeySelector{Name: "minio-credentials", Key: "secret-key"}) {
		t.Errorf("the key comes from the Secret: %+v", key)
	}
	sc := sidecar.SecurityContext
	if sc == nil || sc.RunAsUser != nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot ||
		*sc.AllowPrivilegeEscalation || sc.Capabilities.Drop[0] != "ALL" || sc.SeccompProfile.Type != "RuntimeDefault" {
		t.Errorf("restricted securityContext: %+v", sc)
	}
	if len(plan.Conditions) != 1 || plan.Conditions[0].Type != "S3Available" || plan.Conditions[0].Status != "True" {
		t.Errorf("S3Available: %+v", plan.Conditions)
	}
}

func TestPodPlanErrorNamesTheField(t *testing.T) {
	_, err := PlanPod(Session{Name: "s", Namespace: "p"}, map[string]any{"secretRefs": map[string]any{
		"BOT_TOKEN": map[string]string{"name": "bot"}}})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), `settings.secretRefs.BOT_TOKEN needs both "name" and "key"`) {
		t.Fatalf("got %v", err)
	}
}

func TestIntOrStringRoundTrips(t *testing.T) {
	for _, text := range []string{`{"port":8080}`, `{"port":"metrics"}`} {
		var a TCPSocketAction
		if err := json.Unmarshal([]byte(text), &a); err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(a)
		if string(out) != text {
			t.Errorf("%s came back as %s", text, out)
		}
	}
}

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && liveHandles.Load() != 0 {
		// Every call releases its callbacks' handle, every test closes its handles.
		println("callback handles still registered after the tests:", liveHandles.Load())
		code = 1
	}
	os.Exit(code)
}

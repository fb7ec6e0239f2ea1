package libworkspace

/*
#include <libworkspace/libworkspace.h>
*/
import "C"

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
)

// Session is the CP session a pod plan is made for. Repos may be a JSON
// array or a JSON string holding one; when it is empty RepoURL is used.
type Session struct {
	Name      string          `json:"name"`
	Namespace string          `json:"namespace"`
	Project   string          `json:"project,omitempty"`
	ID        string          `json:"id,omitempty"`
	RepoURL   string          `json:"RepoURL,omitempty"`
	Repos     json.RawMessage `json:"Repos,omitempty"`
	Workflow  *Workflow       `json:"workflow,omitempty"`
}

// Workflow is the session's active workflow.
type Workflow struct {
	GitURL string `json:"gitUrl"`
	Branch string `json:"branch,omitempty"` // default "main"
	Path   string `json:"path,omitempty"`
}

// Settings are the control plane's settings of a pod plan; zero fields take
// the library's defaults. Plain secret values end up in the plan: prefer
// SecretRefs.
type Settings struct {
	StateSyncImage   string               `json:"stateSyncImage,omitempty"`
	ImagePullPolicy  string               `json:"imagePullPolicy,omitempty"`
	BackendAPIURL    string               `json:"backendApiUrl,omitempty"`
	CPTokenURL       string               `json:"cpTokenUrl,omitempty"`
	CPTokenPublicKey string               `json:"cpTokenPublicKey,omitempty"`
	BotToken         string               `json:"botToken,omitempty"`
	RunnerStateDir   string               `json:"runnerStateDir,omitempty"`
	GitHubHosts      []string             `json:"githubHosts,omitempty"`
	GitLabHosts      []string             `json:"gitlabHosts,omitempty"`
	ProjectStorage   *ProjectStorage      `json:"projectStorage,omitempty"`
	ClusterStorage   *ClusterStorage      `json:"clusterStorage,omitempty"`
	SharedMinio      *SharedMinio         `json:"sharedMinio,omitempty"`
	SecretRefs       map[string]SecretRef `json:"secretRefs,omitempty"`
	Env              map[string]string    `json:"env,omitempty"`
}

// ProjectStorage is a project's own storage settings, as the operator reads them.
type ProjectStorage struct {
	StorageMode string `json:"storageMode,omitempty"` // "shared" or "custom"
	Endpoint    string `json:"S3_ENDPOINT,omitempty"`
	Bucket      string `json:"S3_BUCKET,omitempty"`
	AccessKey   string `json:"S3_ACCESS_KEY,omitempty"`
	SecretKey   string `json:"S3_SECRET_KEY,omitempty"`
}

// ClusterStorage is the cluster's default store.
type ClusterStorage struct {
	Endpoint  string `json:"endpoint,omitempty"`
	Bucket    string `json:"bucket,omitempty"`
	AccessKey string `json:"accessKey,omitempty"`
	SecretKey string `json:"secretKey,omitempty"`
}

// SharedMinio holds the keys of the platform's shared MinIO.
type SharedMinio struct {
	AccessKey string `json:"accessKey,omitempty"`
	SecretKey string `json:"secretKey,omitempty"`
}

// SecretRef names a Kubernetes Secret's key holding an env var's value.
type SecretRef struct {
	Name string `json:"name"`
	Key  string `json:"key"`
}

// PlanPod gives the init-hydrate and state-sync containers of a session
// pod. session and settings are a Session and Settings, any other value
// encoding/json turns into the JSON objects of ws_pod_plan, or JSON text
// as a string, []byte or json.RawMessage; settings may be nil. Incomplete
// storage is no error: the plan then has no sidecar and its S3Available
// condition says why. ErrInvalid names the field at fault.
func PlanPod(session, settings any) (*PodPlan, error) {
	out, err := PodPlanJSON(session, settings)
	if err != nil {
		return nil, err
	}
	var plan PodPlan
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields() // a field these types lack would be lost
	if err := dec.Decode(&plan); err != nil {
		return nil, &Error{Code: StatusInternal, Message: "decoding the pod plan: " + err.Error()}
	}
	return &plan, nil
}

// PodPlanJSON is PlanPod's plan as the library writes it.
func PodPlanJSON(session, settings any) ([]byte, error) {
	sessionJSON, err := jsonText("session", session)
	if err != nil {
		return nil, err
	}
	settingsJSON, err := jsonText("settings", settings)
	if err != nil {
		return nil, err
	}
	if err := checkStrings("session", sessionJSON, "settings", settingsJSON); err != nil {
		return nil, err
	}
	var cs cstrings
	defer cs.free()
	cs1, cs2 := cs.str(sessionJSON), cs.opt(settingsJSON)
	var out *C.char
	if err := call(func() C.int { return C.ws_pod_plan(cs1, cs2, &out) }); err != nil {
		return nil, err
	}
	return []byte(takeString(out)), nil
}

// jsonText is v's JSON: text as given, nil as "", anything else encoded.
func jsonText(what string, v any) (string, error) {
	switch t := v.(type) {
	case nil:
		return "", nil
	case string:
		return t, nil
	case []byte:
		return string(t), nil
	case json.RawMessage:
		return string(t), nil
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return "", nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", invalid("%s: %s", what, fmt.Sprint(err))
	}
	return string(b), nil
}

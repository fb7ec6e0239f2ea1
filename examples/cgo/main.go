// A Go program standing in for the control plane: it links libworkspace.so
// through cgo, normalises a session's repos, loads a configuration and
// decodes the pod plan into Kubernetes-shaped structs, checking each result.
// Exit status 0 when every check holds.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
)

type checker struct{ failed int }

func (c *checker) expect(ok bool, format string, args ...any) {
	if !ok {
		c.failed++
		fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	}
}

func decodePlan(planJSON string) (PodPlan, error) {
	var plan PodPlan
	dec := json.NewDecoder(bytes.NewReader([]byte(planJSON)))
	// Every field the library emits must have a Kubernetes name we know.
	dec.DisallowUnknownFields()
	err := dec.Decode(&plan)
	return plan, err
}

func checkRepos(c *checker) {
	canonical, err := NormalizeRepos(`[ {"autoPush": true, "url": "https://github.com/o/app.git"} ]`, true)
	c.expect(err == nil, "NormalizeRepos: %v", err)
	c.expect(canonical == `[{"url":"https://github.com/o/app.git","autoPush":true,"name":"app"}]`,
		"canonical repos: %s", canonical)

	_, err = NormalizeRepos(`[{"url":"https://x:secret-token@h/a/r"},{"url":"https://h/b/r"}]`, false)
	var wsErr *Error
	c.expect(errors.As(err, &wsErr) && wsErr.Code == StatusInvalid, "duplicate names: %v", err)
	c.expect(err != nil && strings.Contains(err.Error(), "would both be cloned into repos/r"),
		"duplicate names message: %v", err)
	c.expect(err != nil && !strings.Contains(err.Error(), "secret-token"), "token leaked: %v", err)
}

func checkConfig(c *checker) {
	cfg, err := LoadConfig(map[string]string{
		"SESSION_NAME": "sess_1", "AWS_ACCESS_KEY_ID": "AK", "AWS_SECRET_ACCESS_KEY": "SK",
	})
	c.expect(err == nil, "LoadConfig: %v", err)
	if err != nil {
		return
	}
	defer cfg.Close()
	session, _ := cfg.Get("SESSION_NAME")
	c.expect(session == "sess1", "SESSION_NAME sanitised: %q", session)
	c.expect(cfg.PersistenceEnabled(), "persistence with default endpoint and bucket and both keys")
	_, err = cfg.Get("NOT_A_VARIABLE")
	var wsErr *Error
	c.expect(errors.As(err, &wsErr) && wsErr.Code == StatusNotFound, "unknown variable: %v", err)

	_, err = LoadConfig(map[string]string{"MAX_SYNC_SIZE": "1GiB"})
	c.expect(err != nil && strings.Contains(err.Error(), "MAX_SYNC_SIZE must be a whole number, got '1GiB'"),
		"bad number: %v", err)
}

func checkPodPlan(c *checker) {
	session := `{"Name":"sess-1","Namespace":"proj","RepoURL":"https://github.com/o/app.git",
		"workflow":{"gitUrl":"https://github.com/o/flows.git","path":"spec-kit"}}`
	settings := `{"stateSyncImage":"quay.io/ambient_code/vteam_state_sync:v1",
		"backendApiUrl":"http://backend:8080/api",
		"secretRefs":{"AWS_ACCESS_KEY_ID":{"name":"minio-credentials","key":"access-key"},
		              "AWS_SECRET_ACCESS_KEY":{"name":"minio-credentials","key":"secret-key"}}}`
	planJSON, err := PodPlanJSON(session, settings)
	c.expect(err == nil, "PodPlanJSON: %v", err)
	plan, err := decodePlan(planJSON)
	c.expect(err == nil, "decoding the plan into Kubernetes structs: %v\n%s", err, planJSON)
	c.expect(plan.InitHydrate && plan.StateSync, "both containers needed: %+v", plan)
	c.expect(plan.Storage.Source == "shared-minio", "storage source: %q", plan.Storage.Source)
	c.expect(len(plan.Volumes) == 1 && plan.Volumes[0].Name == "workspace" && plan.Volumes[0].EmptyDir != nil,
		"workspace emptyDir volume: %+v", plan.Volumes)
	if len(plan.InitContainers) != 1 || len(plan.Containers) != 1 {
		c.expect(false, "one init container and one sidecar: %s", planJSON)
		return
	}
	init, sidecar := plan.InitContainers[0], plan.Containers[0]
	c.expect(init.Name == "init-hydrate" && sidecar.Name == "state-sync", "names: %s, %s", init.Name, sidecar.Name)
	c.expect(init.Image == "quay.io/ambient_code/vteam_state_sync:v1", "image: %s", init.Image)
	c.expect(strings.Join(init.Command, " ") == "ambient-workspace hydrate", "init command: %v", init.Command)
	c.expect(strings.Join(sidecar.Command, " ") == "ambient-workspace sync", "sidecar command: %v", sidecar.Command)

	repos := init.EnvVar("REPOS_JSON")
	c.expect(repos != nil && repos.Value == `[{"url":"https://github.com/o/app.git"}]`, "REPOS_JSON: %+v", repos)
	wfPath := init.EnvVar("ACTIVE_WORKFLOW_PATH")
	c.expect(wfPath != nil && wfPath.Value == "spec-kit", "ACTIVE_WORKFLOW_PATH: %+v", wfPath)
	key := sidecar.EnvVar("AWS_SECRET_ACCESS_KEY")
	c.expect(key != nil && key.ValueFrom != nil && key.ValueFrom.SecretKeyRef.Name == "minio-credentials" &&
		key.ValueFrom.SecretKeyRef.Key == "secret-key" && key.Value == "", "secret ref: %+v", key)
	c.expect(sidecar.EnvVar("BACKEND_API_URL") == nil, "the sidecar does not read BACKEND_API_URL")

	c.expect(len(sidecar.VolumeMounts) == 2 && sidecar.VolumeMounts[1].MountPath == "/app/.claude" &&
		sidecar.VolumeMounts[1].SubPath == ".claude", "sidecar mounts: %+v", sidecar.VolumeMounts)
	isc, ssc := init.SecurityContext, sidecar.SecurityContext
	c.expect(isc != nil && isc.RunAsUser == nil && !*isc.AllowPrivilegeEscalation &&
		len(isc.Capabilities.Drop) == 1 && isc.Capabilities.Drop[0] == "ALL" &&
		isc.SeccompProfile != nil && isc.SeccompProfile.Type == "RuntimeDefault", "init securityContext: %+v", isc)
	c.expect(ssc != nil && ssc.RunAsUser == nil && ssc.RunAsNonRoot != nil && *ssc.RunAsNonRoot &&
		!*ssc.ReadOnlyRootFilesystem, "sidecar securityContext: %+v", ssc)
	c.expect(len(plan.Conditions) == 1 && plan.Conditions[0].Type == "S3Available" &&
		plan.Conditions[0].Status == "True", "S3Available condition: %+v", plan.Conditions)

	// Incomplete storage settings plan a pod without persistence and say why.
	planJSON, err = PodPlanJSON(`{"name":"s","namespace":"p"}`, `{"clusterStorage":{"bucket":"elsewhere"}}`)
	c.expect(err == nil, "incomplete storage is not an error: %v", err)
	plan, err = decodePlan(planJSON)
	c.expect(err == nil && !plan.StateSync && len(plan.Conditions) == 1 &&
		plan.Conditions[0].Status == "False" && plan.Conditions[0].Reason == "IncompleteSettings" &&
		strings.Contains(plan.Conditions[0].Message,
			"the cluster store http://minio.ambient-code.svc:9000 (bucket elsewhere) is not the shared MinIO"),
		"incomplete storage: %v %s", err, planJSON)
}

func main() {
	var c checker
	checkRepos(&c)
	checkConfig(&c)
	checkPodPlan(&c)
	if c.failed > 0 {
		fmt.Fprintf(os.Stderr, "%d check(s) failed\n", c.failed)
		os.Exit(1)
	}
	fmt.Println("cgo: libworkspace repos, config and pod plan OK")
}

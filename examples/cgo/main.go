// A Go program standing in for the control plane: it imports the package
// bindings/go (which links libworkspace.so through cgo), normalises a
// session's repos, loads a configuration and plans the session pod,
// checking each result. Exit status 0 when every check holds.
package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	libworkspace "github.com/ambient-code/libworkspace/bindings/go"
)

func check(ok bool, format string, args ...any) {
	if !ok {
		fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
		os.Exit(1)
	}
}

func main() {
	repos, err := libworkspace.NormalizeRepos(`[ {"autoPush": true, "url": "https://github.com/o/app.git"} ]`,
		libworkspace.WithNames)
	check(err == nil && repos == `[{"url":"https://github.com/o/app.git","autoPush":true,"name":"app"}]`,
		"canonical repos: %s %v", repos, err)

	_, err = libworkspace.LoadConfig(map[string]string{"MAX_SYNC_SIZE": "lots"})
	check(errors.Is(err, libworkspace.ErrInvalid) && strings.Contains(err.Error(), "MAX_SYNC_SIZE: 'lots' is not a size"),
		"bad size: %v", err)

	plan, err := libworkspace.PlanPod(
		libworkspace.Session{Name: "sess-1", Namespace: "proj", Repos: []byte(repos)},
		libworkspace.Settings{SharedMinio: &libworkspace.SharedMinio{AccessKey: "minio", SecretKey: "minio123"}})
	check(err == nil && len(plan.InitContainers) == 1 && len(plan.Containers) == 1, "pod plan: %+v %v", plan, err)
	sidecar := plan.Containers[0]
	check(sidecar.Name == "state-sync" && sidecar.SecurityContext.RunAsUser == nil &&
		*sidecar.SecurityContext.RunAsNonRoot, "the sidecar runs as the cluster's non-root UID: %+v", sidecar)
	fmt.Println("cgo: libworkspace", libworkspace.Version(), "repos, config and pod plan through bindings/go OK")
}

package main

// The pod plan as the CP decodes it: the field names are Kubernetes'
// (core/v1 Container, EnvVar, VolumeMount, SecurityContext, Volume), so a
// real CP unmarshals the containers straight into k8s.io/api types. These
// local copies keep the example free of external modules.

type PodPlan struct {
	InitHydrate    bool        `json:"initHydrate"`
	StateSync      bool        `json:"stateSync"`
	Storage        PlanStorage `json:"storage"`
	InitContainers []Container `json:"initContainers"`
	Containers     []Container `json:"containers"`
	Volumes        []Volume    `json:"volumes"`
	WorkspaceMount VolumeMount `json:"workspaceMount"`
	Conditions     []Condition `json:"conditions"`
	Warnings       []Warning   `json:"warnings"`
}

// Condition is the operator's S3Available condition (metav1.Condition's fields).
type Condition struct {
	Type    string `json:"type"`
	Status  string `json:"status"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// Warning is odd input the library accepted, or a storage fallback it took.
type Warning struct {
	Event   string `json:"event"`
	Message string `json:"message"`
}

type PlanStorage struct {
	Source   string `json:"source"`
	Endpoint string `json:"endpoint,omitempty"`
	Bucket   string `json:"bucket,omitempty"`
}

type Container struct {
	Name            string           `json:"name"`
	Image           string           `json:"image"`
	ImagePullPolicy string           `json:"imagePullPolicy,omitempty"`
	Command         []string         `json:"command"`
	Env             []EnvVar         `json:"env"`
	VolumeMounts    []VolumeMount    `json:"volumeMounts"`
	SecurityContext *SecurityContext `json:"securityContext"`
}

type EnvVar struct {
	Name      string        `json:"name"`
	Value     string        `json:"value,omitempty"`
	ValueFrom *EnvVarSource `json:"valueFrom,omitempty"`
}

type EnvVarSource struct {
	SecretKeyRef *SecretKeySelector `json:"secretKeyRef"`
}

type SecretKeySelector struct {
	Name string `json:"name"`
	Key  string `json:"key"`
}

type VolumeMount struct {
	Name      string `json:"name"`
	MountPath string `json:"mountPath"`
	SubPath   string `json:"subPath,omitempty"`
}

type Volume struct {
	Name     string    `json:"name"`
	EmptyDir *struct{} `json:"emptyDir,omitempty"`
}

type SecurityContext struct {
	AllowPrivilegeEscalation *bool         `json:"allowPrivilegeEscalation"`
	Capabilities             *Capabilities `json:"capabilities"`
	ReadOnlyRootFilesystem   *bool         `json:"readOnlyRootFilesystem"`
	RunAsUser                *int64        `json:"runAsUser,omitempty"`
	RunAsNonRoot             *bool         `json:"runAsNonRoot,omitempty"`
	SeccompProfile           *struct {
		Type string `json:"type"`
	} `json:"seccompProfile,omitempty"`
}

type Capabilities struct {
	Drop []string `json:"drop"`
}

// EnvVar returns the entry `name` of a container's env, or nil.
func (c *Container) EnvVar(name string) *EnvVar {
	for i := range c.Env {
		if c.Env[i].Name == name {
			return &c.Env[i]
		}
	}
	return nil
}

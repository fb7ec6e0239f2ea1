package libworkspace

// The pod plan's containers as the control plane gets them. Every type
// here mirrors its k8s.io/api/core/v1 namesake field for field, JSON names
// and omitempty included, so a plan re-encoded with encoding/json decodes
// straight into corev1.Container, corev1.Volume, ... without this package
// needing external modules.

import (
	"encoding/json"
	"strconv"
)

// PodPlan is what a session pod needs besides the runner (behaviour §6).
type PodPlan struct {
	InitHydrate    bool        `json:"initHydrate"`
	StateSync      bool        `json:"stateSync"`
	Storage        PlanStorage `json:"storage"`
	Conditions     []Condition `json:"conditions"`
	InitContainers []Container `json:"initContainers"`
	Containers     []Container `json:"containers"`
	Volumes        []Volume    `json:"volumes"`
	WorkspaceMount VolumeMount `json:"workspaceMount"`
	Warnings       []Warning   `json:"warnings"`
}

// PlanStorage is the object store the plan resolved.
type PlanStorage struct {
	Source   string `json:"source"` // "project", "cluster", "shared-minio", "none"
	Endpoint string `json:"endpoint,omitempty"`
	Bucket   string `json:"bucket,omitempty"`
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

// Container is corev1.Container's subset the plan can fill.
type Container struct {
	Name            string           `json:"name"`
	Image           string           `json:"image,omitempty"`
	Command         []string         `json:"command,omitempty"`
	Args            []string         `json:"args,omitempty"`
	WorkingDir      string           `json:"workingDir,omitempty"`
	Ports           []ContainerPort  `json:"ports,omitempty"`
	Env             []EnvVar         `json:"env,omitempty"`
	VolumeMounts    []VolumeMount    `json:"volumeMounts,omitempty"`
	LivenessProbe   *Probe           `json:"livenessProbe,omitempty"`
	ReadinessProbe  *Probe           `json:"readinessProbe,omitempty"`
	StartupProbe    *Probe           `json:"startupProbe,omitempty"`
	ImagePullPolicy string           `json:"imagePullPolicy,omitempty"`
	SecurityContext *SecurityContext `json:"securityContext,omitempty"`
}

// LookupEnv returns the container's variable name, or nil.
func (c *Container) LookupEnv(name string) *EnvVar {
	for i := range c.Env {
		if c.Env[i].Name == name {
			return &c.Env[i]
		}
	}
	return nil
}

// ContainerPort is corev1.ContainerPort.
type ContainerPort struct {
	Name          string `json:"name,omitempty"`
	HostPort      int32  `json:"hostPort,omitempty"`
	ContainerPort int32  `json:"containerPort"`
	Protocol      string `json:"protocol,omitempty"`
	HostIP        string `json:"hostIP,omitempty"`
}

// EnvVar is corev1.EnvVar: a plain Value or a ValueFrom reference.
type EnvVar struct {
	Name      string        `json:"name"`
	Value     string        `json:"value,omitempty"`
	ValueFrom *EnvVarSource `json:"valueFrom,omitempty"`
}

// EnvVarSource is corev1.EnvVarSource's secret reference.
type EnvVarSource struct {
	SecretKeyRef *SecretKeySelector `json:"secretKeyRef,omitempty"`
}

// SecretKeySelector is corev1.SecretKeySelector.
type SecretKeySelector struct {
	Name     string `json:"name,omitempty"`
	Key      string `json:"key"`
	Optional *bool  `json:"optional,omitempty"`
}

// VolumeMount is corev1.VolumeMount.
type VolumeMount struct {
	Name      string `json:"name"`
	ReadOnly  bool   `json:"readOnly,omitempty"`
	MountPath string `json:"mountPath"`
	SubPath   string `json:"subPath,omitempty"`
}

// Volume is corev1.Volume with the one source the plan uses.
type Volume struct {
	Name     string                `json:"name"`
	EmptyDir *EmptyDirVolumeSource `json:"emptyDir,omitempty"`
}

// EmptyDirVolumeSource is corev1.EmptyDirVolumeSource (SizeLimit a Quantity string).
type EmptyDirVolumeSource struct {
	Medium    string `json:"medium,omitempty"`
	SizeLimit string `json:"sizeLimit,omitempty"`
}

// SecurityContext is corev1.SecurityContext.
type SecurityContext struct {
	Capabilities             *Capabilities   `json:"capabilities,omitempty"`
	Privileged               *bool           `json:"privileged,omitempty"`
	RunAsUser                *int64          `json:"runAsUser,omitempty"`
	RunAsGroup               *int64          `json:"runAsGroup,omitempty"`
	RunAsNonRoot             *bool           `json:"runAsNonRoot,omitempty"`
	ReadOnlyRootFilesystem   *bool           `json:"readOnlyRootFilesystem,omitempty"`
	AllowPrivilegeEscalation *bool           `json:"allowPrivilegeEscalation,omitempty"`
	SeccompProfile           *SeccompProfile `json:"seccompProfile,omitempty"`
}

// Capabilities is corev1.Capabilities.
type Capabilities struct {
	Add  []string `json:"add,omitempty"`
	Drop []string `json:"drop,omitempty"`
}

// SeccompProfile is corev1.SeccompProfile.
type SeccompProfile struct {
	Type             string  `json:"type"`
	LocalhostProfile *string `json:"localhostProfile,omitempty"`
}

// Probe is corev1.Probe.
type Probe struct {
	Exec                          *ExecAction      `json:"exec,omitempty"`
	HTTPGet                       *HTTPGetAction   `json:"httpGet,omitempty"`
	TCPSocket                     *TCPSocketAction `json:"tcpSocket,omitempty"`
	InitialDelaySeconds           int32            `json:"initialDelaySeconds,omitempty"`
	TimeoutSeconds                int32            `json:"timeoutSeconds,omitempty"`
	PeriodSeconds                 int32            `json:"periodSeconds,omitempty"`
	SuccessThreshold              int32            `json:"successThreshold,omitempty"`
	FailureThreshold              int32            `json:"failureThreshold,omitempty"`
	TerminationGracePeriodSeconds *int64           `json:"terminationGracePeriodSeconds,omitempty"`
}

// ExecAction is corev1.ExecAction.
type ExecAction struct {
	Command []string `json:"command,omitempty"`
}

// HTTPGetAction is corev1.HTTPGetAction.
type HTTPGetAction struct {
	Path        string       `json:"path,omitempty"`
	Port        IntOrString  `json:"port"`
	Host        string       `json:"host,omitempty"`
	Scheme      string       `json:"scheme,omitempty"`
	HTTPHeaders []HTTPHeader `json:"httpHeaders,omitempty"`
}

// HTTPHeader is corev1.HTTPHeader.
type HTTPHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// TCPSocketAction is corev1.TCPSocketAction.
type TCPSocketAction struct {
	Port IntOrString `json:"port"`
	Host string      `json:"host,omitempty"`
}

// IntOrString is intstr.IntOrString: a port number or a port name.
type IntOrString struct {
	IsString bool
	IntVal   int32
	StrVal   string
}

func (v IntOrString) MarshalJSON() ([]byte, error) {
	if v.IsString {
		return json.Marshal(v.StrVal)
	}
	return json.Marshal(v.IntVal)
}

func (v *IntOrString) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		v.IsString = true
		return json.Unmarshal(b, &v.StrVal)
	}
	n, err := strconv.ParseInt(string(b), 10, 32)
	if err != nil {
		return err
	}
	*v = IntOrString{IntVal: int32(n)}
	return nil
}

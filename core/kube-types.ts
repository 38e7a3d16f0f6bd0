/**
 * The parts of Kubernetes objects mmgate reads, as they are on the wire (JSON, timestamps as
 * strings). Collectors store raw API JSON so snapshots replay exactly what the server said.
 */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  generation?: number;
  resourceVersion?: string;
  ownerReferences?: { kind: string; name: string; uid?: string; controller?: boolean }[];
}

export interface KubeObject { apiVersion?: string; kind?: string; metadata: ObjectMeta }

export interface Condition { type: string; status: 'True' | 'False' | 'Unknown'; reason?: string; message?: string; lastTransitionTime?: string }

/** Quantities stay strings ("250m", "2Gi"); core/quantity.ts converts them. */
export type ResourceList = Record<string, string>;

export interface KubeNode extends KubeObject {
  spec?: { unschedulable?: boolean; taints?: { key: string; value?: string; effect: string }[] };
  status?: { conditions?: Condition[]; allocatable?: ResourceList; capacity?: ResourceList; nodeInfo?: { kubeletVersion?: string } };
}

export interface ContainerStateInfo {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; finishedAt?: string; startedAt?: string };
}

export interface ContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  image: string;
  imageID?: string;
  started?: boolean;
  state?: ContainerStateInfo;
  lastState?: ContainerStateInfo;
}

export interface Container { name: string; image: string; resources?: { requests?: ResourceList; limits?: ResourceList } }

export interface KubePod extends KubeObject {
  spec?: { nodeName?: string; containers: Container[]; initContainers?: Container[] };
  status?: {
    phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
    reason?: string;
    message?: string;
    podIP?: string;
    startTime?: string;
    conditions?: Condition[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export interface PodTemplate { metadata?: { labels?: Record<string, string> }; spec?: { containers: Container[] } }

export interface KubeDeployment extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    strategy?: { type?: 'RollingUpdate' | 'Recreate'; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
    template?: PodTemplate;
  };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number; unavailableReplicas?: number; conditions?: Condition[] };
}

export interface KubeReplicaSet extends KubeObject {
  spec?: { replicas?: number; template?: PodTemplate };
  status?: { replicas?: number; readyReplicas?: number; availableReplicas?: number };
}

export interface KubeJob extends KubeObject {
  spec?: { backoffLimit?: number; completions?: number; template?: PodTemplate };
  status?: { active?: number; succeeded?: number; failed?: number; startTime?: string; completionTime?: string; conditions?: Condition[] };
}

/** installation.mattermost.com/v1beta1 Mattermost (operator https://github.com/mattermost/mattermost-operator/blob/v1.25.9/apis/mattermost/v1beta1/mattermost_types.go). */
export interface MattermostCR extends KubeObject {
  spec?: {
    image?: string;
    version?: string;
    replicas?: number;
    size?: string;
    scheduling?: { resources?: { requests?: ResourceList; limits?: ResourceList } };
    updateJob?: { disabled?: boolean };
    jobServer?: { dedicatedJobServer?: boolean };
    deploymentTemplate?: { deploymentStrategyType?: 'RollingUpdate' | 'Recreate' };
    mattermostEnv?: { name: string; value?: string; valueFrom?: unknown }[];
    [k: string]: unknown;
  };
  status?: {
    state?: 'reconciling' | 'ready' | 'stable';
    version?: string;
    image?: string;
    endpoint?: string;
    replicas?: number;
    updatedReplicas?: number;
    observedGeneration?: number;
    error?: string;
  };
}

/** A v1alpha1 AppDeployment: one blue/green colour or the canary (operator https://github.com/mattermost/mattermost-operator/blob/v1.25.9/apis/mattermost/v1alpha1/clusterinstallation_types.go). */
export interface AppDeployment { name?: string; ingressName?: string; image?: string; version?: string; resourceLabels?: Record<string, string> }

/** mattermost.com/v1alpha1 ClusterInstallation, deprecated, the only kind with blueGreen and canary (clusterinstallation_types.go). */
export interface ClusterInstallationCR extends KubeObject {
  spec?: {
    image?: string;
    version?: string;
    replicas?: number;
    size?: string;
    ingressName?: string;
    resources?: { requests?: ResourceList; limits?: ResourceList };
    blueGreen?: { enable?: boolean; productionDeployment?: string; blue?: AppDeployment; green?: AppDeployment };
    canary?: { enable?: boolean; deployment?: AppDeployment };
    mattermostEnv?: { name: string; value?: string; valueFrom?: unknown }[];
    /** v1beta1-only fields, absent here (so code reading either kind type-checks). */
    scheduling?: undefined;
    updateJob?: undefined;
    jobServer?: undefined;
    deploymentTemplate?: undefined;
    [k: string]: unknown;
  };
  status?: {
    state?: 'reconciling' | 'stable';
    version?: string;
    image?: string;
    endpoint?: string;
    replicas?: number;
    updatedReplicas?: number;
    blueName?: string;
    greenName?: string;
    observedGeneration?: number;
    error?: string;
  };
}

/** Either custom resource; `kind` on the wire says which (core/installation.ts crKind). */
export type InstallationCR = MattermostCR | ClusterInstallationCR;

export interface KubeService extends KubeObject {
  spec?: { selector?: Record<string, string>; type?: string; ports?: { name?: string; port: number; targetPort?: number | string }[] };
}

export interface KubeIngress extends KubeObject {
  spec?: {
    ingressClassName?: string;
    rules?: { host?: string; http?: { paths?: { path?: string; backend?: { service?: { name: string; port?: { number?: number; name?: string } } } }[] } }[];
  };
}

/** metrics.k8s.io usage, when a metrics server answers. */
export type NodeMetrics =
  | { available: true; items: { name: string; cpu: string; memory: string }[] }
  | { available: false; reason: string };

/** A Helm 3 release, decoded from its storage Secret (values are not kept here: they may hold secrets). */
export interface HelmRelease {
  name: string;
  namespace: string;
  revision: number;
  status: string;
  chart: string;
  chartVersion: string;
  appVersion?: string;
  modifiedAt?: string;
}

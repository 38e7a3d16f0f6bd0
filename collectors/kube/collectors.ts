/**
 * Kubernetes collectors: one paginated LIST (or GET) per resource kind, shared by every check.
 * All requests are reads (RBAC in docs/rbac.yaml).
 */
import { gunzipSync } from 'node:zlib';
import { addClusterPod, emptyClusterPods, type ClusterPods } from '../../core/cluster-pods.js';
import type { Collector } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import type {
  HelmRelease, InstallationCR, KubeDeployment, KubeIngress, KubeJob, KubeNode, KubeObject, KubePod, KubeReplicaSet, KubeService, NodeMetrics,
} from '../../core/kube-types.js';
import { CR_KINDS } from '../../core/installation.js';
import type { InstallationKind } from '../../core/types.js';
import { kubeClient } from './client.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** Every node of the cluster. */
    nodes: KubeNode[];
    /** Every pod in the installation's namespace. */
    pods: KubePod[];
    /** The non-terminated pods of the cluster, reduced as read: requests per node, pods that may be unhealthy. */
    clusterPods: ClusterPods;
    deployments: KubeDeployment[];
    replicaSets: KubeReplicaSet[];
    jobs: KubeJob[];
    /** The Mattermost or ClusterInstallation custom resource (its `kind` says which), or null when neither exists (a fact, not a failure to look). */
    installation: InstallationCR | null;
    /** Services in the installation's namespace (blue/green: each colour's and the main one's selector). */
    services: KubeService[];
    /** Ingresses in the installation's namespace (blue/green hosts, the canary's cookie rule). */
    ingresses: KubeIngress[];
    /** The operator's Deployment, or null when it does not exist. */
    operatorDeployment: KubeDeployment | null;
    nodeMetrics: NodeMetrics;
    /** Helm release revisions of kube.helm.release, newest first; null when no release is configured. */
    helmReleases: HelmRelease[] | null;
  }
}

const ns = (n: string) => `/api/v1/namespaces/${encodeURIComponent(n)}`;
const appsNs = (n: string) => `/apis/apps/v1/namespaces/${encodeURIComponent(n)}`;

/**
 * A node as the checks read it: without status.images (hundreds of image names on a real node)
 * or managedFields, which no check reads and which would make the snapshot of a 2,000-node
 * cluster tens of MiB.
 */
function reduceNode(n: KubeNode): KubeNode {
  const { managedFields: _m, annotations: _a, ...metadata } = n.metadata as KubeNode['metadata'] & { managedFields?: unknown; annotations?: unknown };
  const { images: _i, volumesAttached: _v, volumesInUse: _u, ...status } = (n.status ?? {}) as NonNullable<KubeNode['status']> & { images?: unknown; volumesAttached?: unknown; volumesInUse?: unknown };
  return { ...n, metadata, ...(n.status ? { status } : {}) } as KubeNode;
}

export const nodesCollector: Collector<'nodes'> = {
  key: 'nodes', source: 'Kubernetes API: list nodes', retries: 2,
  async collect(env) {
    return (await kubeClient(env)).reduceList<KubeNode, KubeNode[]>('/api/v1/nodes', {}, () => [], (acc, n) => { acc.push(reduceNode(n)); });
  },
};

export const podsCollector: Collector<'pods'> = {
  key: 'pods', source: 'Kubernetes API: list pods in the installation namespace', retries: 2,
  async collect(env) { return (await kubeClient(env)).list<KubePod>(`${ns(env.scope.namespace)}/pods`); },
};

export const clusterPodsCollector: Collector<'clusterPods'> = {
  key: 'clusterPods', source: 'Kubernetes API: list pods in all namespaces', retries: 2,
  async collect(env) {
    // Finished pods hold no resources and are not unhealthy: leave them out server-side. Each page
    // is folded into per-node sums and dropped (core/cluster-pods.ts).
    return (await kubeClient(env)).reduceList<KubePod, ClusterPods>('/api/v1/pods', { fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed' }, emptyClusterPods, addClusterPod);
  },
};

export const deploymentsCollector: Collector<'deployments'> = {
  key: 'deployments', source: 'Kubernetes API: list deployments', retries: 2,
  async collect(env) { return (await kubeClient(env)).list<KubeDeployment>(`${appsNs(env.scope.namespace)}/deployments`); },
};

export const replicaSetsCollector: Collector<'replicaSets'> = {
  key: 'replicaSets', source: 'Kubernetes API: list replicasets', retries: 2,
  async collect(env) { return (await kubeClient(env)).list<KubeReplicaSet>(`${appsNs(env.scope.namespace)}/replicasets`); },
};

export const jobsCollector: Collector<'jobs'> = {
  key: 'jobs', source: 'Kubernetes API: list jobs', retries: 2,
  async collect(env) { return (await kubeClient(env)).list<KubeJob>(`/apis/batch/v1/namespaces/${encodeURIComponent(env.scope.namespace)}/jobs`); },
};

/** The CR's path for a kind. */
export const crPath = (kind: InstallationKind, namespace: string, name: string): string =>
  `/apis/${CR_KINDS[kind].apiVersion}/namespaces/${encodeURIComponent(namespace)}/${CR_KINDS[kind].plural}/${encodeURIComponent(name)}`;

export const installationCollector: Collector<'installation'> = {
  key: 'installation', source: 'Kubernetes API: get the Mattermost (v1beta1) or ClusterInstallation (v1alpha1) custom resource', retries: 2,
  async collect(env) {
    const kube = await kubeClient(env);
    // kube.kind (or a kind the run already resolved) names one; otherwise kube.installation is looked up as either, v1beta1 first.
    const kinds: InstallationKind[] = env.scope.kind ? [env.scope.kind] : env.config.kube.kind ? [env.config.kube.kind] : ['Mattermost', 'ClusterInstallation'];
    for (const kind of kinds) {
      const cr = await kube.get<InstallationCR>(crPath(kind, env.scope.namespace, env.scope.installation));
      if (cr) return { ...cr, apiVersion: cr.apiVersion ?? CR_KINDS[kind].apiVersion, kind: cr.kind ?? kind };
    }
    return null;
  },
};

export const servicesCollector: Collector<'services'> = {
  key: 'services', source: 'Kubernetes API: list services in the installation namespace', retries: 2,
  async collect(env) { return (await kubeClient(env)).list<KubeService>(`${ns(env.scope.namespace)}/services`); },
};

export const ingressesCollector: Collector<'ingresses'> = {
  key: 'ingresses', source: 'Kubernetes API: list ingresses in the installation namespace', retries: 2,
  async collect(env) { return (await kubeClient(env)).list<KubeIngress>(`/apis/networking.k8s.io/v1/namespaces/${encodeURIComponent(env.scope.namespace)}/ingresses`); },
};

export const operatorDeploymentCollector: Collector<'operatorDeployment'> = {
  key: 'operatorDeployment', source: 'Kubernetes API: get the operator deployment', retries: 2,
  async collect(env) {
    const o = env.config.kube.operator;
    return (await (await kubeClient(env)).get<KubeDeployment>(`${appsNs(o.namespace)}/deployments/${encodeURIComponent(o.deployment)}`)) ?? null;
  },
};

export const nodeMetricsCollector: Collector<'nodeMetrics'> = {
  key: 'nodeMetrics', source: 'metrics.k8s.io: node usage', retries: 1,
  async collect(env) {
    const kube = await kubeClient(env);
    try {
      const items = await kube.list<{ metadata: { name: string }; usage: { cpu: string; memory: string } }>('/apis/metrics.k8s.io/v1beta1/nodes');
      return { available: true, items: items.map((i) => ({ name: i.metadata.name, cpu: i.usage.cpu, memory: i.usage.memory })) };
    } catch (err) {
      // No metrics server is a legitimate state (the check then says it judged by requests only);
      // an unreachable API server is not, and fails the collector.
      if (err instanceof CollectFailure && (err.code === 'NOT_FOUND' || err.code === 'SERVER_ERROR')) {
        return { available: false, reason: err.message };
      }
      // A missing grant is not a missing metrics server: say which, so the report does not read as a choice.
      if (err instanceof CollectFailure && err.code === 'FORBIDDEN') {
        return { available: false, reason: `mmgate may not read metrics.k8s.io (grant list on nodes.metrics.k8s.io, docs/rbac.yaml): ${err.message}` };
      }
      throw err;
    }
  },
};

interface HelmSecret extends KubeObject { data?: { release?: string } }

export const helmReleasesCollector: Collector<'helmReleases'> = {
  key: 'helmReleases', source: 'Kubernetes API: Helm release secrets', retries: 2,
  async collect(env) {
    const helm = env.config.kube.helm;
    if (!helm) return null;
    const namespace = helm.namespace ?? env.scope.namespace;
    const secrets = await (await kubeClient(env)).list<HelmSecret>(`${ns(namespace)}/secrets`, { labelSelector: `owner=helm,name=${helm.release}` });
    return secrets.map((s) => decodeHelmRelease(s, namespace)).sort((a, b) => b.revision - a.revision);
  },
};

/**
 * Helm 3 stores a release as base64(gzip(JSON)) in the Secret's `release` key, which the API
 * returns base64-encoded once more (helm storage/driver/secrets.go). Values are dropped here: they
 * may hold secrets, and the drift collector reads them on its own terms.
 */
export function decodeHelmRelease(secret: HelmSecret, namespace: string): HelmRelease {
  const labels = secret.metadata.labels ?? {};
  const fallback: HelmRelease = {
    name: labels['name'] ?? secret.metadata.name, namespace, revision: Number(labels['version'] ?? 0),
    status: labels['status'] ?? 'unknown', chart: 'unknown', chartVersion: 'unknown',
    ...(labels['modifiedAt'] ? { modifiedAt: new Date(Number(labels['modifiedAt']) * 1000).toISOString() } : {}),
  };
  const raw = secret.data?.release;
  if (!raw) return fallback;
  try {
    let bytes: Buffer = Buffer.from(Buffer.from(raw, 'base64').toString('utf8'), 'base64');
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
    const rel = JSON.parse(bytes.toString('utf8')) as { name?: string; version?: number; info?: { status?: string; last_deployed?: string }; chart?: { metadata?: { name?: string; version?: string; appVersion?: string } } };
    return {
      ...fallback,
      name: rel.name ?? fallback.name,
      revision: rel.version ?? fallback.revision,
      status: rel.info?.status ?? fallback.status,
      chart: rel.chart?.metadata?.name ?? 'unknown',
      chartVersion: rel.chart?.metadata?.version ?? 'unknown',
      ...(rel.chart?.metadata?.appVersion ? { appVersion: rel.chart.metadata.appVersion } : {}),
      ...(rel.info?.last_deployed ? { modifiedAt: rel.info.last_deployed } : {}),
    };
  } catch {
    // Labels still carry name, revision and status: enough for the check; the chart stays unknown.
    return fallback;
  }
}

export const kubeCollectors = [
  nodesCollector, podsCollector, clusterPodsCollector, deploymentsCollector, replicaSetsCollector, jobsCollector,
  installationCollector, operatorDeploymentCollector, nodeMetricsCollector, helmReleasesCollector, servicesCollector, ingressesCollector,
] as const;

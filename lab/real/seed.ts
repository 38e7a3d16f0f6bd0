/**
 * Seeds a built scenario into the real API server, object by object, as a cluster would hold it:
 * each object is created (the server sets uid, creationTimestamp and resourceVersion; owner
 * references are left to the controllers, which adopt by label selector), then its status is
 * written through the status subresource. Order matters: pods exist before the ReplicaSet that
 * adopts them, and ReplicaSets before their Deployment, so no controller creates anything.
 */
import type { KubeObject } from '../kube/types.js';
import { ApiError, type KubeApi } from './api.js';

interface Resource { path: string; namespaced: boolean; status: boolean; order: number }

/** What the real backend can store, by `apiVersion/kind`. */
const RESOURCES: Record<string, Resource> = {
  'v1/Namespace': { path: '/api/v1/namespaces', namespaced: false, status: false, order: 0 },
  'v1/Node': { path: '/api/v1/nodes', namespaced: false, status: true, order: 1 },
  'v1/ServiceAccount': { path: '/api/v1/serviceaccounts', namespaced: true, status: false, order: 2 },
  'v1/Secret': { path: '/api/v1/secrets', namespaced: true, status: false, order: 2 },
  'v1/ConfigMap': { path: '/api/v1/configmaps', namespaced: true, status: false, order: 2 },
  'v1/Service': { path: '/api/v1/services', namespaced: true, status: false, order: 2 },
  'v1/PersistentVolumeClaim': { path: '/api/v1/persistentvolumeclaims', namespaced: true, status: true, order: 2 },
  'v1/Event': { path: '/api/v1/events', namespaced: true, status: false, order: 9 },
  'batch/v1/Job': { path: '/apis/batch/v1/jobs', namespaced: true, status: true, order: 3 },
  'v1/Pod': { path: '/api/v1/pods', namespaced: true, status: true, order: 4 },
  'apps/v1/ReplicaSet': { path: '/apis/apps/v1/replicasets', namespaced: true, status: true, order: 5 },
  'apps/v1/Deployment': { path: '/apis/apps/v1/deployments', namespaced: true, status: true, order: 6 },
  'installation.mattermost.com/v1beta1/Mattermost': { path: '/apis/installation.mattermost.com/v1beta1/mattermosts', namespaced: true, status: true, order: 7 },
  'snapshot.storage.k8s.io/v1/VolumeSnapshot': { path: '/apis/snapshot.storage.k8s.io/v1/volumesnapshots', namespaced: true, status: true, order: 7 },
};

/** Kinds a scenario may hold that the real backend does not store, and why (reported, not hidden). */
export const NOT_STORED: Record<string, string> = {
  'metrics.k8s.io/v1beta1/NodeMetrics': 'usage comes from a metrics server, which the real lab does not run',
  'metrics.k8s.io/v1beta1/PodMetrics': 'usage comes from a metrics server, which the real lab does not run',
};

export const resourceOf = (o: Pick<KubeObject, 'apiVersion' | 'kind'>): Resource | undefined => RESOURCES[`${o.apiVersion}/${o.kind}`];

/** The collection path of an object's resource (in its namespace when namespaced). */
export function collectionPath(r: Resource, namespace?: string): string {
  if (!r.namespaced || !namespace) return r.path;
  const i = r.path.lastIndexOf('/');
  return `${r.path.slice(0, i)}/namespaces/${namespace}${r.path.slice(i)}`;
}

export function objectPath(o: KubeObject): string {
  const r = resourceOf(o);
  if (!r) throw new Error(`real lab: no resource for ${o.apiVersion} ${o.kind}`);
  return `${collectionPath(r, o.metadata.namespace)}/${encodeURIComponent(o.metadata.name)}`;
}

type Workload = KubeObject & { spec: { selector?: { matchLabels?: Record<string, string> }; replicas?: number; template: { metadata?: { labels?: Record<string, string> }; spec: { containers: { image: string }[] } } } };
const images = (w: { spec: { containers: { image: string }[] } } | undefined) => (w?.spec.containers ?? []).map((c) => c.image).join(' ');
const matches = (labels: Record<string, string> | undefined, selector: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/**
 * What a real cluster necessarily has but a hand-written scenario may leave out: each Deployment's
 * current ReplicaSet carries the Deployment's own pod template (else the real controller would
 * start a rollout), and a ReplicaSet named in its pods' owner references exists.
 */
export function consistentWorld(objects: readonly KubeObject[]): KubeObject[] {
  const out = objects.map((o) => structuredClone(o));
  const deployments = out.filter((o) => o.apiVersion === 'apps/v1' && o.kind === 'Deployment') as Workload[];
  for (const d of deployments) {
    const ns = d.metadata.namespace;
    const selector = d.spec.selector?.matchLabels ?? {};
    const pods = out.filter((o) => o.kind === 'Pod' && o.metadata.namespace === ns && matches(o.metadata.labels, selector)) as (KubeObject & { spec: { containers: { image: string }[] } })[];
    for (const pod of pods) {
      const owner = (pod.metadata.ownerReferences as { kind: string; name: string }[] | undefined)?.find((r) => r.kind === 'ReplicaSet');
      const hash = pod.metadata.labels?.['pod-template-hash'];
      if (!owner || !hash || out.some((o) => o.kind === 'ReplicaSet' && o.metadata.namespace === ns && o.metadata.name === owner.name)) continue;
      const siblings = pods.filter((p) => p.metadata.labels?.['pod-template-hash'] === hash).length;
      out.push({
        apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: owner.name, ...(ns ? { namespace: ns } : {}), labels: { ...pod.metadata.labels } },
        spec: { replicas: siblings, selector: { matchLabels: { ...selector, 'pod-template-hash': hash } }, template: { metadata: { labels: { ...pod.metadata.labels } }, spec: { containers: pod.spec.containers } } },
        status: { replicas: siblings },
      });
    }
    for (const rs of out.filter((o) => o.kind === 'ReplicaSet' && o.metadata.namespace === ns && matches(o.metadata.labels, selector)) as Workload[]) {
      if (images(rs.spec.template) !== images(d.spec.template)) continue;
      const hash = rs.metadata.labels?.['pod-template-hash'];
      rs.spec.template = { ...structuredClone(d.spec.template), metadata: { ...d.spec.template.metadata, labels: { ...d.spec.template.metadata?.labels, ...(hash ? { 'pod-template-hash': hash } : {}) } } };
    }
  }
  for (const job of out.filter((o) => o.apiVersion === 'batch/v1' && o.kind === 'Job')) jobConditions(job);
  return out;
}

/**
 * Since Kubernetes 1.31 the Job controller writes FailureTarget before Failed and
 * SuccessCriteriaMet before Complete, and the API server refuses a terminal condition without it.
 */
function jobConditions(job: KubeObject): void {
  const status = job['status'] as { conditions?: { type: string; status: string }[] } | undefined;
  const conditions = status?.conditions ?? [];
  for (const [terminal, before] of [['Failed', 'FailureTarget'], ['Complete', 'SuccessCriteriaMet']] as const) {
    const c = conditions.find((x) => x.type === terminal && x.status === 'True');
    if (c && !conditions.some((x) => x.type === before)) conditions.unshift({ ...c, type: before });
  }
}

/** Every object of the scenario in the order the API server must receive them; the rest is reported. */
export function seedPlan(objects: readonly KubeObject[]): { create: KubeObject[]; dropped: string[] } {
  const create: KubeObject[] = [];
  const dropped: string[] = [];
  for (const o of consistentWorld(objects)) {
    const key = `${o.apiVersion}/${o.kind}`;
    if (resourceOf(o)) create.push(o);
    else dropped.push(`${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}: ${NOT_STORED[key] ?? 'not a resource the real lab stores'}`);
  }
  create.sort((a, b) => resourceOf(a)!.order - resourceOf(b)!.order);
  return { create, dropped };
}

/** The object as a client would send it on create: no server-set fields, no owners, no status. */
function forCreate(o: KubeObject): KubeObject {
  const { uid: _u, resourceVersion: _r, creationTimestamp: _c, ownerReferences: _o, generation: _g, managedFields: _m, ...metadata } = o.metadata;
  const { status: _s, ...rest } = o;
  if (o.kind !== 'Deployment') return { ...rest, metadata } as KubeObject;
  // The controller writes the revision (settle() waits for it).
  const { 'deployment.kubernetes.io/revision': _rev, ...annotations } = (metadata.annotations ?? {}) as Record<string, string>;
  return { ...rest, metadata: { ...metadata, annotations } } as KubeObject;
}

export async function seed(api: KubeApi, objects: readonly KubeObject[]): Promise<{ dropped: string[] }> {
  const { create, dropped } = seedPlan(objects);
  for (const o of create) {
    const r = resourceOf(o)!;
    try {
      await api.post(collectionPath(r, o.metadata.namespace), forCreate(o));
    } catch (e) {
      // Namespaces such as kube-system and default exist on every cluster.
      if (e instanceof ApiError && e.status === 409 && o.kind === 'Namespace') continue;
      throw new Error(`real lab: creating ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: ${(e as Error).message}`, { cause: e });
    }
    if (r.status && o['status'] !== undefined) {
      try {
        // A merge patch: the controllers may have written the object since it was created.
        await api.mergePatch(`${objectPath(o)}/status`, { status: o['status'] });
      } catch (e) {
        throw new Error(`real lab: status of ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}: ${(e as Error).message}`, { cause: e });
      }
    }
  }
  return { dropped };
}

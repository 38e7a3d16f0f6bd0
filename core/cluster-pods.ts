/**
 * The pods of the whole cluster, reduced as they are read (collectors/kube/collectors.ts folds each
 * page of the list into this, then drops the page): what rollout-headroom and pod-health judge, and
 * nothing else. On a cluster of 60,000 pods the snapshot holds per-node request sums and the few
 * pods that may be unhealthy, never the raw list.
 */
import type { Container, KubePod } from './kube-types.js';
import { isPodReady } from './installation.js';
import { parseQuantity } from './quantity.js';

/** CPU (cores) and memory (bytes) a pod asks the scheduler for; undefined where nothing is declared. */
export interface Size { cpu?: number; memory?: number }

/** A container's request; Kubernetes uses the limit when only a limit is set. */
const requestOf = (c: Container, resource: 'cpu' | 'memory'): number | undefined =>
  parseQuantity(c.resources?.requests?.[resource] ?? c.resources?.limits?.[resource]);

/** The scheduler's view of a pod: the sum of its containers, or its largest init container if that is more. */
export function podSize(containers: readonly Container[], initContainers: readonly Container[] = []): Size {
  const size: Size = {};
  for (const r of ['cpu', 'memory'] as const) {
    const sum = containers.map((c) => requestOf(c, r)).filter((v) => v !== undefined);
    const init = initContainers.map((c) => requestOf(c, r)).filter((v) => v !== undefined);
    if (sum.length + init.length > 0) size[r] = Math.max(sum.reduce((a, b) => a + b, 0), ...init);
  }
  return size;
}

/** What the non-terminated pods on one node take, as the scheduler adds them up. */
export interface NodeLoad { pods: number; cpu: number; memory: number; withoutRequests: number }

export interface ClusterPods {
  /** Non-terminated pods in every namespace. */
  total: number;
  byNamespace: Record<string, number>;
  byNode: Record<string, NodeLoad>;
  /** Pods that may be unhealthy (not Running and Ready, a container waiting or restarted), reduced to what pod-health reads. */
  unhealthy: KubePod[];
  /** Unhealthy-looking pods past MAX_KEPT, counted only. */
  unhealthyLeftOut: number;
}

/** Enough to explain a cluster in trouble; past it, the count says how many more there are. */
export const MAX_KEPT = 500;

export const emptyClusterPods = (): ClusterPods => ({ total: 0, byNamespace: {}, byNode: {}, unhealthy: [], unhealthyLeftOut: 0 });

const mayBeUnhealthy = (p: KubePod): boolean =>
  !(p.status?.phase === 'Running' && isPodReady(p)) ||
  [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])].some((c) => c.state?.waiting || c.restartCount > 0);

/** The fields pod-health reads; the containers' specs (env, commands, volumes) are left behind. */
function reducePod(p: KubePod): KubePod {
  const { name, namespace, uid, labels, creationTimestamp, deletionTimestamp } = p.metadata;
  return {
    metadata: { name, ...(namespace ? { namespace } : {}), ...(uid ? { uid } : {}), ...(labels ? { labels } : {}), ...(creationTimestamp ? { creationTimestamp } : {}), ...(deletionTimestamp ? { deletionTimestamp } : {}) },
    spec: { ...(p.spec?.nodeName ? { nodeName: p.spec.nodeName } : {}), containers: [] },
    ...(p.status ? { status: p.status } : {}),
  } as KubePod;
}

/** Folds one pod into the running totals (terminated pods hold nothing and are not unhealthy). */
export function addClusterPod(acc: ClusterPods, p: KubePod): void {
  if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') return;
  acc.total++;
  const ns = p.metadata.namespace ?? '';
  acc.byNamespace[ns] = (acc.byNamespace[ns] ?? 0) + 1;
  const nodeName = p.spec?.nodeName;
  if (nodeName) {
    const load = (acc.byNode[nodeName] ??= { pods: 0, cpu: 0, memory: 0, withoutRequests: 0 });
    const s = podSize(p.spec?.containers ?? [], p.spec?.initContainers);
    load.pods++;
    load.cpu += s.cpu ?? 0;
    load.memory += s.memory ?? 0;
    if (s.cpu === undefined && s.memory === undefined) load.withoutRequests++;
  }
  if (mayBeUnhealthy(p)) {
    if (acc.unhealthy.length < MAX_KEPT) acc.unhealthy.push(reducePod(p));
    else acc.unhealthyLeftOut++;
  }
}

/** The reduction of a whole list at once (tests, and callers that already hold the pods). */
export function summarizeClusterPods(pods: readonly KubePod[]): ClusterPods {
  const acc = emptyClusterPods();
  for (const p of pods) addClusterPod(acc, p);
  return acc;
}

/**
 * The real-cluster backend of the lab: a real control plane (controlplane.ts), a pod network
 * (netns.ts) and, per scenario, the world seeded through the API (seed.ts), mmgate bound to
 * docs/rbac.yaml (rbac.ts), a node agent playing scheduler and kubelet (agent.ts) and the lab
 * operator acting through the API (operator.ts). One RealCluster serves many scenarios in turn:
 * each start wipes what the previous one left.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { KubeObject } from '../kube/types.js';
import type { UpgradeSpec } from '../operator.js';
import type { MattermostSpec } from '../mattermost/spec.js';
import type { MattermostWorld } from '../mattermost/world.js';
import type { BuiltScenario } from '../scenario.js';
import { NodeAgent } from './agent.js';
import { findControlPlane } from './binaries.js';
import type { KubeApi } from './api.js';
import { startControlPlane, type ControlPlane } from './controlplane.js';
import { installCrds } from './crds.js';
import { createPodNetwork, type PodNetwork } from './netns.js';
import { realUpgrade } from './operator.js';
import { documentedRoles, grantMmgate, MMGATE_NAMESPACE, MMGATE_USER, revokeMmgate, type RbacRole } from './rbac.js';
import { collectionPath, resourceOf, seed } from './seed.js';

export interface RealCluster {
  readonly cp: ControlPlane;
  readonly net: PodNetwork;
  /** Milliseconds the control plane took to serve (first process start → /readyz ok). */
  readonly startMs: number;
  close(): Promise<void>;
}

export async function startRealCluster(): Promise<RealCluster> {
  const found = findControlPlane();
  if ('missing' in found) throw new UsageError(found.missing, 'build it: bash scripts/build-control-plane.sh');
  const net = await createPodNetwork();
  let cp: ControlPlane | undefined;
  try {
    cp = await startControlPlane();
    await installCrds(cp.admin);
    const started = cp;
    return { cp: started, net, startMs: started.startMs, close: async () => { await started.stop(); await net.close(); } };
  } catch (err) {
    await cp?.stop();
    await net.close();
    throw err;
  }
}

/** What lab/index.ts needs from a Kubernetes backend for one scenario. */
export interface LabKube {
  url: string;
  caPem: string;
  /** mmgate's bearer token for this backend. */
  token: string;
  upgrade(up: UpgradeSpec, o: { stepMs: number; onStep?: (s: string) => void }): Promise<void>;
  requestCount(): number;
  close(): Promise<void>;
}

export interface RealKubeOptions {
  /** The roles mmgate is bound to (default: docs/rbac.yaml as written). */
  roles?: readonly RbacRole[];
  /** How long a new pod's container takes to become ready. */
  readyAfterMs?: number;
}

/** Seeds `scenario` into the cluster and returns the backend the lab serves it with. */
export async function serveOnRealCluster(cluster: RealCluster, scenario: BuiltScenario, world: MattermostWorld, spec: MattermostSpec, o: RealKubeOptions = {}): Promise<LabKube> {
  if (scenario.sites.length > 0) throw new UsageError(`scenario ${scenario.name}: other sites need clusters of their own; the real backend starts one`, 'run this scenario on the embedded simulator (the default)');
  if (scenario.lab.faults?.length) throw new UsageError(`scenario ${scenario.name}: injected API faults are a simulator feature`, 'run this scenario on the embedded simulator (the default)');
  const api = cluster.cp.admin;
  const roles = o.roles ?? documentedRoles();
  await wipe(api);
  await seed(api, scenario.store.all());
  const sockDir = mkdtempSync(join(tmpdir(), 'mmgate-pods-'));
  const template = Object.values(spec.pods)[0] ?? { version: scenario.target.version };
  const agent = new NodeAgent({ api, net: cluster.net, world, sockDir, template, readyAfterMs: o.readyAfterMs ?? 300 });
  let token: string;
  try {
    await agent.start();
    await settle(api);
    token = await grantMmgate(api, roles);
  } catch (err) {
    await agent.stop();
    rmSync(sockDir, { recursive: true, force: true });
    throw err;
  }
  const cr = scenario.store.list('installation.mattermost.com/v1beta1', 'Mattermost')[0]!;
  return {
    url: cluster.cp.url, caPem: cluster.cp.caPem, token,
    upgrade: (up, u) => realUpgrade(api, agent, up, { namespace: cr.metadata.namespace ?? 'default', installation: cr.metadata.name, stepMs: u.stepMs, ...(u.onStep ? { onStep: u.onStep } : {}) }),
    // mmgate's requests, as the API server's audit log records them.
    requestCount: () => readFileSync(cluster.cp.auditLog, 'utf8').split('\n').filter((l) => l.includes(`"username":"${MMGATE_USER}"`)).length,
    close: async () => {
      await agent.stop();
      await revokeMmgate(api, roles);
      rmSync(sockDir, { recursive: true, force: true });
      const problems = agent.problems();
      if (problems.length) throw new Error(`real lab: the node agent failed: ${problems.join('; ')}`);
    },
  };
}

const KEEP_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease', MMGATE_NAMESPACE]);
/** Deleted first: owners before what they own, so no controller recreates anything. */
const WIPE_ORDER: Pick<KubeObject, 'apiVersion' | 'kind'>[] = [
  'apps/v1/Deployment', 'apps/v1/ReplicaSet', 'batch/v1/Job', 'v1/Pod', 'v1/Secret', 'v1/ConfigMap', 'v1/Service', 'v1/PersistentVolumeClaim', 'v1/Event',
  'v1/ServiceAccount', 'installation.mattermost.com/v1beta1/Mattermost', 'snapshot.storage.k8s.io/v1/VolumeSnapshot',
].map((k) => ({ apiVersion: k.slice(0, k.lastIndexOf('/')), kind: k.slice(k.lastIndexOf('/') + 1) }));

/** Removes every object a previous scenario seeded or its controllers made. */
async function wipe(api: KubeApi): Promise<void> {
  const namespaces = (await api.get<{ items: KubeObject[] }>('/api/v1/namespaces')).items.map((n) => n.metadata.name).filter((n) => n !== MMGATE_NAMESPACE);
  const gone = '?gracePeriodSeconds=0&propagationPolicy=Background';
  for (let round = 0; round < 20; round++) {
    let left = 0;
    for (const k of WIPE_ORDER) {
      const r = resourceOf(k)!;
      for (const ns of namespaces) {
        const items = (await api.get<{ items: KubeObject[] }>(collectionPath(r, ns))).items
          .filter((o) => !(o.kind === 'Service' && o.metadata.name === 'kubernetes') && !(ns === 'kube-system' && o.kind === 'ConfigMap'));
        // Lists leave kind out of their items.
        for (const o of items) {
          left++;
          const path = `${collectionPath(r, ns)}/${o.metadata.name}`;
          // Finalizers no running controller would remove would keep the object forever.
          if (o.metadata['deletionTimestamp'] && (o.metadata['finalizers'] as unknown[] | undefined)?.length) await api.mergePatch(path, { metadata: { finalizers: null } }).catch(() => undefined);
          else await api.delete(`${path}${gone}`).catch(() => undefined);
        }
      }
    }
    const nodes = (await api.get<{ items: KubeObject[] }>('/api/v1/nodes')).items;
    for (const n of nodes) { left++; await api.delete(`/api/v1/nodes/${n.metadata.name}`).catch(() => undefined); }
    if (left === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // No namespace controller runs: a namespace the scenario added is emptied above, then finalized.
  for (const ns of namespaces.filter((n) => !KEEP_NAMESPACES.has(n))) {
    await api.delete(`/api/v1/namespaces/${ns}`).catch(() => undefined);
    const got = await api.find<KubeObject>(`/api/v1/namespaces/${ns}`);
    if (got) await api.put(`/api/v1/namespaces/${ns}/finalize`, { ...got, spec: { finalizers: [] } }).catch(() => undefined);
  }
}

/**
 * Waits until the Deployment controller has synced every seeded Deployment (it writes the
 * revision annotation, which seeding leaves out), so mmgate sees the controller's own status.
 */
async function settle(api: KubeApi): Promise<void> {
  const until = Date.now() + 30_000;
  let last = '';
  let quietSince = Date.now();
  for (;;) {
    const deps = (await api.get<{ items: (KubeObject & { status?: { observedGeneration?: number } })[] }>('/apis/apps/v1/deployments')).items;
    const pending = deps.filter((d) => !d.metadata.annotations?.['deployment.kubernetes.io/revision'] || (d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0));
    // …and the controllers and the node agent have stopped changing things for a moment.
    const lists = await Promise.all(['/apis/apps/v1/deployments', '/apis/apps/v1/replicasets', '/api/v1/pods'].map((p) => api.get<{ items: KubeObject[] }>(p)));
    const print = lists.flatMap((l) => l.items.map((o) => `${o.metadata.uid}@${o.metadata.resourceVersion}`)).sort().join(',');
    if (print !== last) { last = print; quietSince = Date.now(); }
    if (pending.length === 0 && Date.now() - quietSince >= 1000) return;
    if (Date.now() > until) throw new Error(`real lab: the cluster did not settle within 30s${pending.length ? ` (Deployment controller has not synced ${pending.map((d) => d.metadata.name).join(', ')})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

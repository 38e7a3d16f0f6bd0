/**
 * The Mattermost Operator's upgrade, simulated (operator https://github.com/mattermost/mattermost-operator/blob/v1.25.9/controllers/mattermost/mattermost/mattermost.go, updateMattermostDeployment and checkUpdateJob): a version change on the
 * Mattermost CR runs the `mattermost-update-check` job, then rolls the Deployment's pods one at a
 * time (maxSurge 1, maxUnavailable 0) with a readiness delay, while `status.state` moves
 * reconciling → ready → stable. The same code builds upgraded scenarios instantly (delay 0) and
 * plays the live upgrade of `mmgate demo`.
 */
import { createHash } from 'node:crypto';
import type { ObjectStore } from './kube/store.js';
import type { KubeObject } from './kube/types.js';
import { applyMergePatch } from './merge-patch.js';
import type { PluginSpec, PodServerSpec } from './mattermost/spec.js';

/** The Mattermost servers behind the pods: a scenario's spec while building, the live world in a demo. */
export interface PodServers {
  /** What every server gets unless its own spec says otherwise (the scenario's `defaults`). */
  readonly defaults: Partial<PodServerSpec>;
  get(pod: string): PodServerSpec | undefined;
  add(pod: string, spec: PodServerSpec): void;
  remove(pod: string): void;
}

export interface UpgradeSpec {
  /** The version the CR is changed to. */
  version: string;
  /** Roll only this many pods, then stop (a rollout stuck half way: mixed versions). */
  stopAfterPods?: number;
  /** The update job fails: the operator never touches the Deployment (old pods keep serving). */
  updateJobFails?: boolean;
  /** New pods never become ready (a crashing new version). */
  newPodsCrash?: boolean;
  /** Strategy Recreate: every old pod goes before a new one starts, so nothing serves in between. */
  recreate?: boolean;
  /**
   * The front door answers 503 for this many milliseconds while the first old pod is replaced
   * (a load balancer's readiness or connection-draining gap: pods are fine, users are not).
   */
  frontDoorBlipMs?: number;
  /** Plugins the new release replaces (id → its version) or removes (id → null), on top of LAB_RELEASE. */
  plugins?: Record<string, string | null>;
  /** A merge patch the new release's config migration applies, on top of LAB_RELEASE. */
  config?: Record<string, unknown>;
  /** ClusterInstallation: upgrade the idle blue/green colour, or the canary, instead of the CR's own Deployment. */
  side?: 'idle' | 'canary';
  /** Blue/green: once the idle colour is rolled, switch productionDeployment to it. */
  switchProduction?: boolean;
  /** Merged into each new pod's server (a new build that refuses logins, logs errors…). */
  newPodServer?: Partial<PodServerSpec>;
}

/**
 * What the lab's simulated new release changes on every upgraded server, so an upgrade has
 * something to show in "what changed": a prepackaged plugin at a newer version and a setting its
 * config migration raises. Lab behaviour, not a statement about a Mattermost release.
 */
export const LAB_RELEASE = {
  plugins: { playbooks: '2.5.0' } as Record<string, string | null>,
  config: { TeamSettings: { MaxUsersPerTeam: 100 } } as Record<string, unknown>,
};

/** The upgraded server's plugins and config: the old server's, changed as the release says. */
function releaseSpec(old: PodServerSpec | undefined, defaults: Partial<PodServerSpec>, up: UpgradeSpec): Pick<PodServerSpec, 'plugins' | 'config'> {
  const replaced = { ...LAB_RELEASE.plugins, ...up.plugins };
  const plugins = (old?.plugins ?? defaults.plugins ?? []).flatMap((p): PluginSpec[] => {
    if (!(p.id in replaced)) return [p];
    const version = replaced[p.id];
    return version === null || version === undefined ? [] : [{ ...p, version }];
  });
  const config = applyMergePatch(applyMergePatch(old?.config ?? {}, LAB_RELEASE.config), up.config ?? {}) as Record<string, unknown>;
  return { plugins, config };
}

export interface UpgradeOptions {
  namespace: string;
  installation: string;
  /** Wait between steps, so a watcher sees the rollout (0 = instant, for building scenarios). */
  stepMs?: number;
  now?: () => Date;
  /** Called after every step with a short description (the demo prints these). */
  onStep?: (what: string) => void;
  /** Makes the front door answer 503 for ms (a live lab only; building a scenario has no front door). */
  frontDoorOutage?: (ms: number) => void;
}

const APPS = 'apps/v1';
const CR_API = 'installation.mattermost.com/v1beta1';
const CI_API = 'mattermost.com/v1alpha1';
const V1BETA1_LABEL = 'installation.mattermost.com/installation';
const V1ALPHA1_LABEL = 'v1alpha1.mattermost.com/installation';

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());
const short = (text: string, n: number) => createHash('sha256').update(text).digest('hex').replace(/[^a-z0-9]/g, '').slice(0, n);
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

type Obj = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

export async function simulateUpgrade(store: ObjectStore, servers: PodServers, up: UpgradeSpec, opts: UpgradeOptions): Promise<void> {
  const now = opts.now ?? (() => new Date());
  const step = (what: string) => opts.onStep?.(what);
  const { namespace, installation } = opts;
  const plan = upgradePlan(store, namespace, installation, up);
  const { cr, crApi, crKind, workload, label } = plan;
  const deployment = store.get(APPS, 'Deployment', namespace, workload) as Obj | undefined;
  if (!deployment) throw new Error(`lab: no Deployment ${namespace}/${workload} to roll`);
  const baseImage = plan.image;
  const image = `${baseImage}:${up.version}`;
  // A ClusterInstallation is only ever reconciling or stable (operator https://github.com/mattermost/mattermost-operator/blob/v1.25.9/apis/mattermost/v1alpha1/clusterinstallation_types.go).
  const midState = crKind === 'ClusterInstallation' ? 'reconciling' : 'ready';

  // 1. The user changes the CR; the operator notices and starts reconciling.
  const generation = (cr.metadata.generation ?? 1) + 1;
  plan.setVersion(up.version);
  cr.metadata.generation = generation;
  cr.status = { ...cr.status, state: 'reconciling' };
  store.put(cr);
  step(`${crKind} ${installation}: ${plan.field} → ${up.version}, state reconciling`);
  await sleep(opts.stepMs ?? 0);

  // 2. The update job runs `mattermost db migrate` with the new image before any pod changes.
  const job: Obj = {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: 'mattermost-update-check', namespace, labels: { app: 'mattermost-update-check' }, creationTimestamp: rfc3339(now()) },
    spec: { backoffLimit: 10, template: { metadata: { labels: { app: 'mattermost-update-check' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'mattermost', image, args: ['db', 'migrate'] }] } } },
    status: { active: 1, startTime: rfc3339(now()) },
  };
  store.put(job);
  step('Job mattermost-update-check: running db migrate');
  await sleep(opts.stepMs ?? 0);
  if (up.updateJobFails) {
    store.put({ ...job, status: { failed: 1, startTime: job.status?.['startTime'], conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] } });
    store.put({ ...cr, status: { ...cr.status, state: 'reconciling', error: 'update image job failed' } });
    step('Job mattermost-update-check: failed; old pods keep serving');
    return;
  }
  store.delete('batch/v1', 'Job', namespace, 'mattermost-update-check');
  step('Job mattermost-update-check: succeeded');

  // 3. The Deployment gets the new image; a new ReplicaSet rolls pods one at a time (surge 1, unavailable 0).
  const oldPods = store.list('v1', 'Pod', namespace).filter((p) => p.metadata.labels?.['app'] === 'mattermost'
    && p.metadata.labels?.[label] === workload) as Obj[];
  const template = structuredClone((deployment.spec?.['template'] ?? {}) as { metadata?: { labels?: Record<string, string> }; spec?: { containers?: { name: string; image: string }[] } });
  for (const c of template.spec?.containers ?? []) if (c.name === 'mattermost') c.image = image;
  const hash = short(image, 10);
  const rsName = `${workload}-${hash}`;
  const labels = { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash };
  template.metadata = { ...template.metadata, labels };
  const replicas = Number(deployment.spec?.['replicas'] ?? oldPods.length);
  const depGeneration = (deployment.metadata.generation ?? 1) + 1;
  const rs: Obj = {
    apiVersion: APPS, kind: 'ReplicaSet',
    metadata: { name: rsName, namespace, labels, ownerReferences: [{ apiVersion: APPS, kind: 'Deployment', name: workload, uid: deployment.metadata.uid, controller: true }], annotations: { 'deployment.kubernetes.io/revision': String(depGeneration) } },
    spec: { replicas: 0, selector: deployment.spec?.['selector'], template },
    status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
  };
  const rsUid = store.put(rs).metadata.uid;
  const oldRsNames = new Set(oldPods.map((p) => (p.metadata.ownerReferences as { name: string }[] | undefined)?.[0]?.name).filter((n): n is string => Boolean(n)));
  const nodes = store.list('v1', 'Node').map((n) => n.metadata.name);
  const limit = Math.min(up.stopAfterPods ?? oldPods.length, oldPods.length);
  let updated = 0;
  const oldServers = new Map(oldPods.map((p) => [p.metadata.name, servers.get(p.metadata.name)]));
  if (up.recreate) {
    for (const old of oldPods) { store.delete('v1', 'Pod', namespace, old.metadata.name); servers.remove(old.metadata.name); }
    step('Recreate: every old pod terminated before the new ones start; nothing serves');
    await sleep((opts.stepMs ?? 0) * 3);
  }
  for (const [i, old] of oldPods.entries()) {
    if (i >= limit) break;
    const name = `${rsName}-${short(`${rsName}/${i}`, 5)}`;
    const started = rfc3339(now());
    const oldSpec = old.spec as { containers?: { name: string; image: string; resources?: unknown }[] } | undefined;
    const newPod: Obj = {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name, namespace, labels, ownerReferences: [{ apiVersion: APPS, kind: 'ReplicaSet', name: rsName, uid: rsUid, controller: true }] },
      spec: { ...old.spec, nodeName: nodes.length ? nodes[i % nodes.length] : undefined, containers: (oldSpec?.containers ?? []).map((c) => (c.name === 'mattermost' ? { ...c, image } : c)) },
      status: podStatus(old, image, started, up.newPodsCrash ? 'crash' : 'ready'),
    };
    store.put({ ...newPod, status: podStatus(old, image, started, 'pending') });
    step(`Pod ${name}: created (surge), waiting for readiness`);
    await sleep(opts.stepMs ?? 0);
    const stored = store.put(newPod);
    const serverSpec = oldServers.get(old.metadata.name);
    // The new pod's server keeps the old one's plugins and config as the release changes them, but has its own name and address.
    const ip = (stored.status as { podIP?: string } | undefined)?.podIP;
    servers.add(name, { ...(serverSpec ?? { version: up.version }), ...releaseSpec(serverSpec, servers.defaults, up), version: up.version, buildNumber: up.version, hostname: name, ...(ip ? { ip } : {}), ...(up.newPodsCrash ? { ready: false } : {}), ...up.newPodServer });
    if (up.newPodsCrash) {
      // maxUnavailable 0: an old pod is only removed once a new one is ready, so the rollout stops here.
      step(`Pod ${name}: CrashLoopBackOff; rollout stalls, old pods keep serving`);
      break;
    }
    if (!up.recreate) {
      store.delete('v1', 'Pod', namespace, old.metadata.name);
      servers.remove(old.metadata.name);
    }
    if (i === 0 && up.frontDoorBlipMs && opts.frontDoorOutage) {
      opts.frontDoorOutage(up.frontDoorBlipMs);
      step(`Front door: 503 for ${up.frontDoorBlipMs} ms while ${old.metadata.name} is replaced`);
    }
    updated++;
    step(`Pod ${old.metadata.name}: terminated (${updated}/${replicas} updated)`);
    store.put({ ...rs, metadata: { ...rs.metadata, uid: rsUid }, spec: { ...rs.spec, replicas: updated }, status: { replicas: updated, readyReplicas: updated, availableReplicas: updated } });
    for (const oldRs of oldRsNames) {
      const o = store.get(APPS, 'ReplicaSet', namespace, oldRs) as Obj | undefined;
      if (o) store.put({ ...o, spec: { ...o.spec, replicas: replicas - updated }, status: { ...o.status, replicas: replicas - updated, readyReplicas: replicas - updated, availableReplicas: replicas - updated } });
    }
    const complete = updated === replicas;
    store.put({
      ...deployment,
      metadata: { ...deployment.metadata, generation: depGeneration },
      spec: { ...deployment.spec, template },
      status: {
        observedGeneration: depGeneration, replicas, updatedReplicas: updated, readyReplicas: replicas, availableReplicas: replicas,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
          { type: 'Progressing', status: 'True', reason: complete ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated' },
        ],
      },
    });
    const crNow = store.get(crApi, crKind, namespace, installation) as Obj;
    // The CR's status counts its own (or production's) replicas: a canary's rollout only moves the state.
    if (up.side === 'canary') store.put({ ...crNow, status: { ...crNow.status, state: complete ? 'stable' : midState } });
    else store.put({ ...crNow, status: { ...crNow.status, state: complete ? 'stable' : midState, version: up.version, image: baseImage, replicas, updatedReplicas: updated, ...(complete && crKind === 'Mattermost' ? { observedGeneration: generation } : {}) } });
    await sleep(opts.stepMs ?? 0);
  }
  if (updated === replicas) step(`${crKind} ${installation}: ${workload} stable on ${up.version}`);
  if (updated === replicas && up.switchProduction && plan.colour) switchProduction(store, namespace, installation, plan.colour, step);
}

interface UpgradePlan {
  cr: Obj; crApi: string; crKind: 'Mattermost' | 'ClusterInstallation';
  /** The Deployment rolled, and the pod label that names it. */
  workload: string; label: string; image: string;
  /** The CR field the user changes, for the step log. */
  field: string;
  colour?: 'blue' | 'green';
  setVersion(v: string): void;
}

type AppDep = { name?: string; image?: string; version?: string };
type BlueGreen = { enable?: boolean; productionDeployment?: string; blue?: AppDep; green?: AppDep };

/** What an upgrade changes: the v1beta1 CR's version, or a ClusterInstallation's own, idle colour's or canary's. */
function upgradePlan(store: ObjectStore, namespace: string, installation: string, up: UpgradeSpec): UpgradePlan {
  const mm = store.get(CR_API, 'Mattermost', namespace, installation) as Obj | undefined;
  const ci = mm ? undefined : store.get(CI_API, 'ClusterInstallation', namespace, installation) as Obj | undefined;
  const cr = mm ?? ci;
  if (!cr) throw new Error(`lab: no Mattermost or ClusterInstallation ${namespace}/${installation} to upgrade`);
  const baseImage = String(cr.spec?.['image'] ?? 'mattermost/mattermost-enterprise-edition');
  const common = { cr, crApi: mm ? CR_API : CI_API, crKind: mm ? 'Mattermost' as const : 'ClusterInstallation' as const, label: mm ? V1BETA1_LABEL : V1ALPHA1_LABEL };
  const own: UpgradePlan = { ...common, workload: installation, image: baseImage, field: 'spec.version', setVersion: (v) => { cr.spec = { ...cr.spec, version: v }; } };
  if (!up.side) return own;
  if (!ci) throw new Error(`lab: upgrade side ${up.side} needs a ClusterInstallation`);
  if (up.side === 'canary') {
    const canary = (ci.spec?.['canary'] ?? {}) as { deployment?: AppDep };
    const name = canary.deployment?.name || `${installation}-canary`;
    return { ...common, workload: name, image: canary.deployment?.image ?? baseImage, field: 'spec.canary.deployment.version', setVersion: (v) => { ci.spec = { ...ci.spec, canary: { ...canary, enable: true, deployment: { ...canary.deployment, version: v } } }; } };
  }
  const bg = (ci.spec?.['blueGreen'] ?? {}) as BlueGreen;
  const prod = bg.productionDeployment === 'green' || bg.productionDeployment === (bg.green?.name || `${installation}-green`) ? 'green' : 'blue';
  const idle = prod === 'blue' ? 'green' : 'blue';
  const app = bg[idle] ?? {};
  return {
    ...common, colour: idle, workload: app.name || `${installation}-${idle}`, image: app.image ?? baseImage, field: `spec.blueGreen.${idle}.version`,
    setVersion: (v) => { ci.spec = { ...ci.spec, blueGreen: { ...bg, [idle]: { ...app, version: v } } }; },
  };
}

/**
 * The blue/green switch: productionDeployment names the colour, and the operator points the
 * main Service `<ci>` at that colour's pods (its selector carries the colour's name).
 */
export function switchProduction(store: ObjectStore, namespace: string, installation: string, colour: 'blue' | 'green', step: (s: string) => void = () => undefined): void {
  const ci = store.get(CI_API, 'ClusterInstallation', namespace, installation) as Obj | undefined;
  if (!ci) throw new Error(`lab: no ClusterInstallation ${namespace}/${installation} to switch`);
  const bg = (ci.spec?.['blueGreen'] ?? {}) as BlueGreen;
  const name = bg[colour]?.name || `${installation}-${colour}`;
  store.put({ ...ci, metadata: { ...ci.metadata, generation: (ci.metadata.generation ?? 1) + 1 }, spec: { ...ci.spec, blueGreen: { ...bg, productionDeployment: colour } }, status: { ...ci.status, state: 'stable' } });
  const svc = store.get('v1', 'Service', namespace, installation) as (Obj & { spec?: { selector?: Record<string, string> } }) | undefined;
  if (svc) store.put({ ...svc, spec: { ...svc.spec, selector: { ...(svc.spec?.selector ?? {}), [V1ALPHA1_LABEL]: name } } });
  step(`ClusterInstallation ${installation}: productionDeployment → ${colour}; Service ${installation} now selects ${name}`);
}

function podStatus(old: Obj, image: string, started: string, phase: 'pending' | 'ready' | 'crash'): Record<string, unknown> {
  const base = (old.status ?? {}) as { podIP?: string; hostIP?: string };
  const ready = phase === 'ready';
  const state = phase === 'pending' ? { waiting: { reason: 'ContainerCreating' } }
    : phase === 'crash' ? { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container=mattermost' } }
      : { running: { startedAt: started } };
  return {
    phase: phase === 'pending' ? 'Pending' : 'Running',
    podIP: base.podIP ? base.podIP.replace(/\d+$/, (d) => String((Number(d) + 100) % 250)) : '10.244.0.100',
    startTime: started,
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Initialized', status: 'True' },
      { type: 'ContainersReady', status: ready ? 'True' : 'False' },
      { type: 'Ready', status: ready ? 'True' : 'False' },
    ],
    containerStatuses: [{
      name: 'mattermost', image, imageID: `docker.io/${image.split(':')[0]}@sha256:${createHash('sha256').update(image).digest('hex')}`,
      ready, started: ready, restartCount: phase === 'crash' ? 4 : 0, state,
      ...(phase === 'crash' ? { lastState: { terminated: { reason: 'Error', exitCode: 1, finishedAt: started } } } : {}),
    }],
  };
}

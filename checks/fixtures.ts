/**
 * Builders of Kubernetes objects for check tests, shaped like the API server's JSON (labels the
 * operator sets, conditions, container statuses), so a test states only what it is about.
 * Names default to the test scope of core/testing.ts (namespace `mattermost`, installation `mm`).
 */
import type {
  Condition, ContainerStateInfo, HelmRelease, KubeDeployment, KubeJob, KubeNode, KubePod, MattermostCR, ResourceList,
} from '../core/kube-types.js';
import { INSTALLATION_LABEL } from '../core/installation.js';
import type { Baseline } from '../core/baseline.js';
import type { CheckResult, CollectError } from '../core/types.js';

export const NAMESPACE = 'mattermost';
export const INSTALLATION = 'mm';
export const MM_IMAGE = 'mattermost/mattermost-enterprise-edition';
const CREATED = '2026-11-01T08:00:00Z';

/** A collector that could not look. */
/** The preflight --baseline a post check gets as input.baseline, holding `data` (the keys it declared). */
export const preflightBaseline = (data: Baseline['data']): Baseline =>
  ({ path: '/r/preflight.snapshot.json', kind: 'snapshot', collectedAt: '2026-11-20T10:00:00Z', harnessVersion: 't', data });

export const failed = (key: string, code = 'FORBIDDEN'): CollectError =>
  ({ $collectError: true, key, code, message: `${key}: the API server answered 403 for the mmgate service account` });

const condition = (type: string, on: boolean | 'Unknown', extra: Partial<Condition> = {}): Condition =>
  ({ type, status: on === 'Unknown' ? 'Unknown' : on ? 'True' : 'False', lastTransitionTime: CREATED, ...extra });

export type NodePressure = 'MemoryPressure' | 'DiskPressure' | 'PIDPressure';

export function node(o: {
  name: string; ready?: boolean | 'Unknown'; pressure?: readonly NodePressure[]; unschedulable?: boolean;
  cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
}): KubeNode {
  const ready = o.ready ?? true;
  const pressure = new Set(o.pressure ?? []);
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: { name: o.name, labels: { 'kubernetes.io/hostname': o.name, 'kubernetes.io/os': 'linux', ...o.labels }, creationTimestamp: CREATED },
    spec: { ...(o.unschedulable ? { unschedulable: true } : {}), ...(o.taints ? { taints: o.taints } : {}) },
    status: {
      conditions: [
        ...(['MemoryPressure', 'DiskPressure', 'PIDPressure'] as const).map((t) => condition(t, pressure.has(t), pressure.has(t)
          ? { reason: `KubeletHas${t.replace('Pressure', '')}Pressure`, message: `kubelet has ${t.replace('Pressure', '').toLowerCase()} pressure` }
          : { reason: `KubeletHasSufficient${t.replace('Pressure', '')}` })),
        condition('Ready', ready, ready === true
          ? { reason: 'KubeletReady', message: 'kubelet is posting ready status' }
          : { reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }),
      ],
      allocatable: { cpu: o.cpu ?? '3920m', memory: o.memory ?? '15Gi', pods: o.pods ?? '110' },
      capacity: { cpu: '4', memory: '16Gi', pods: '110' },
      nodeInfo: { kubeletVersion: 'v1.31.4' },
    },
  };
}

export interface PodSpecInput {
  name: string;
  namespace?: string;
  /** The `app` label; `mattermost` (default) makes it one of the installation's app pods. */
  app?: string;
  nodeName?: string;
  image?: string;
  container?: string;
  phase?: NonNullable<KubePod['status']>['phase'];
  ready?: boolean;
  restarts?: number;
  waiting?: { reason: string; message?: string };
  lastTerminated?: { reason: string; exitCode: number };
  /** Requests of the one container; `null` for none. */
  requests?: ResourceList | null;
  createdAt?: string;
  terminating?: boolean;
}

export function pod(o: PodSpecInput): KubePod {
  const app = o.app ?? 'mattermost';
  const isInstallation = app === 'mattermost' || app === 'mattermost-jobserver' || app === 'mattermost-update-check';
  const phase = o.phase ?? 'Running';
  const ready = o.ready ?? (phase === 'Running' && !o.waiting);
  const createdAt = o.createdAt ?? CREATED;
  const requests = o.requests === undefined ? { cpu: '500m', memory: '1Gi' } : o.requests;
  const state: ContainerStateInfo = o.waiting ? { waiting: o.waiting }
    : phase === 'Running' ? { running: { startedAt: createdAt } }
      : phase === 'Succeeded' || phase === 'Failed' ? { terminated: { reason: phase === 'Failed' ? 'Error' : 'Completed', exitCode: phase === 'Failed' ? 1 : 0 } }
        : {};
  const container = o.container ?? (app === 'mattermost' ? 'mattermost' : app);
  const image = o.image ?? `${MM_IMAGE}:10.11.2`;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      name: o.name, namespace: o.namespace ?? NAMESPACE, creationTimestamp: createdAt,
      labels: isInstallation
        ? { app, [INSTALLATION_LABEL]: INSTALLATION, 'installation.mattermost.com/resource': INSTALLATION }
        : { app },
      ...(o.terminating ? { deletionTimestamp: '2026-11-20T11:59:00Z' } : {}),
      ownerReferences: [{ kind: 'ReplicaSet', name: `${o.name.replace(/-[a-z0-9]{5}$/, '')}`, controller: true }],
    },
    spec: {
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
      containers: [{ name: container, image, ...(requests ? { resources: { requests } } : {}) }],
    },
    status: {
      phase,
      ...(phase !== 'Pending' ? { startTime: createdAt, podIP: '10.244.1.17' } : {}),
      conditions: [
        condition('PodScheduled', phase !== 'Pending' || Boolean(o.nodeName), { lastTransitionTime: createdAt }),
        condition('Ready', ready, { lastTransitionTime: createdAt }),
      ],
      ...(phase === 'Pending' && !o.nodeName ? {} : {
        containerStatuses: [{
          name: container, ready, restartCount: o.restarts ?? 0, image, started: phase === 'Running',
          state, ...(o.lastTerminated ? { lastState: { terminated: { ...o.lastTerminated, finishedAt: createdAt } } } : {}),
        }],
      }),
    },
  };
}

export function deployment(o: {
  name?: string; namespace?: string; replicas?: number; strategy?: 'RollingUpdate' | 'Recreate';
  maxSurge?: number | string; maxUnavailable?: number | string; image?: string; container?: string;
  requests?: ResourceList | null; available?: boolean; availableReplicas?: number;
  tolerations?: { key?: string; operator?: string; value?: string; effect?: string }[];
  nodeSelector?: Record<string, string>;
}): KubeDeployment {
  const name = o.name ?? INSTALLATION;
  const replicas = o.replicas ?? 2;
  const requests = o.requests === undefined ? { cpu: '500m', memory: '1Gi' } : o.requests;
  const strategy = o.strategy === 'Recreate' ? { type: 'Recreate' as const }
    : { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge: o.maxSurge ?? 1, maxUnavailable: o.maxUnavailable ?? 0 } };
  const available = o.available ?? true;
  const availableReplicas = o.availableReplicas ?? (available ? replicas : 0);
  const template = {
    metadata: { labels: { app: 'mattermost', [INSTALLATION_LABEL]: name } },
    spec: {
      containers: [{ name: o.container ?? 'mattermost', image: o.image ?? `${MM_IMAGE}:10.11.2`, ...(requests ? { resources: { requests } } : {}) }],
      ...(o.tolerations ? { tolerations: o.tolerations } : {}),
      ...(o.nodeSelector ? { nodeSelector: o.nodeSelector } : {}),
    },
  };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name, namespace: o.namespace ?? NAMESPACE, generation: 3, creationTimestamp: CREATED },
    spec: { replicas, selector: { matchLabels: { app: 'mattermost' } }, strategy, template },
    status: {
      observedGeneration: 3, replicas, updatedReplicas: replicas, readyReplicas: availableReplicas, availableReplicas,
      ...(availableReplicas < replicas ? { unavailableReplicas: replicas - availableReplicas } : {}),
      conditions: [
        condition('Available', available, available
          ? { reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
          : { reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }),
        condition('Progressing', true, { reason: 'NewReplicaSetAvailable' }),
      ],
    },
  };
}

export function mattermost(o: {
  replicas?: number | null; version?: string; state?: 'reconciling' | 'ready' | 'stable' | null;
  generation?: number; observedGeneration?: number; error?: string; updateJobDisabled?: boolean;
  requests?: ResourceList; strategy?: 'RollingUpdate' | 'Recreate';
} = {}): MattermostCR {
  const version = o.version ?? '10.11.2';
  const replicas = o.replicas === null ? undefined : o.replicas ?? 2;
  const generation = o.generation ?? 4;
  return {
    apiVersion: 'installation.mattermost.com/v1beta1', kind: 'Mattermost',
    metadata: { name: INSTALLATION, namespace: NAMESPACE, generation, creationTimestamp: CREATED },
    spec: {
      image: MM_IMAGE, version,
      ...(replicas === undefined ? {} : { replicas }),
      ingress: { enabled: true, host: 'chat.example.com' },
      ...(o.requests ? { scheduling: { resources: { requests: o.requests } } } : {}),
      ...(o.updateJobDisabled !== undefined ? { updateJob: { disabled: o.updateJobDisabled } } : {}),
      ...(o.strategy ? { deploymentTemplate: { deploymentStrategyType: o.strategy } } : {}),
    },
    status: {
      ...(o.state === null ? {} : { state: o.state ?? 'stable' }),
      version, image: MM_IMAGE, endpoint: 'chat.example.com', replicas: replicas ?? 2, updatedReplicas: replicas ?? 2,
      observedGeneration: o.observedGeneration ?? generation,
      ...(o.error ? { error: o.error } : {}),
    },
  };
}

export function job(o: { name?: string; active?: number; failed?: number; succeeded?: number; startTime?: string }): KubeJob {
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: o.name ?? 'mattermost-update-check', namespace: NAMESPACE, creationTimestamp: o.startTime ?? CREATED },
    spec: { backoffLimit: 10 },
    status: {
      startTime: o.startTime ?? CREATED,
      ...(o.active ? { active: o.active } : {}),
      ...(o.failed ? { failed: o.failed } : {}),
      ...(o.succeeded ? { succeeded: o.succeeded, completionTime: o.startTime ?? CREATED } : {}),
      ...(o.failed ? { conditions: [condition('Failed', true, { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' })] } : {}),
    },
  };
}

export const helmRelease = (o: Partial<HelmRelease> & { revision: number; status: string }): HelmRelease => ({
  name: 'mattermost', namespace: NAMESPACE, chart: 'mattermost-operator', chartVersion: '1.25.9', appVersion: 'v1.25.9',
  modifiedAt: '2026-11-01T08:00:00Z', ...o,
});

/** What a test asserts on: a runner CheckResult. */
export type Judged = Pick<CheckResult, 'status' | 'findings'> & Partial<CheckResult>;

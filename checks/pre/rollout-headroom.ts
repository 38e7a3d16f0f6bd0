/**
 * Prevents a rollout that stalls half-way: the operator's RollingUpdate (maxSurge 1,
 * maxUnavailable 0) starts each new pod before an old one stops, so the cluster must have room
 * for `surge` extra Mattermost pods at their requested CPU and memory. Without it the surge pod
 * stays Pending, the update job may not start, and the upgrade window ends with no new version.
 * A Recreate strategy stops every pod first: the upgrade then means downtime.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { APP_CONTAINER, crKind, installationDeployment, isClusterInstallation } from '../../core/installation.js';
import { podSize, type NodeLoad, type Size } from '../../core/cluster-pods.js';
import type { KubeDeployment, KubeNode, InstallationCR, ResourceList } from '../../core/kube-types.js';
import { outcomeOf } from '../../core/outcome.js';
import { formatBytes, formatCpu, parseQuantity } from '../../core/quantity.js';
import { present, type Finding, type Scope } from '../../core/types.js';

const MEMORY_USAGE_WARN = 0.9;

interface Toleration { key?: string; operator?: string; value?: string; effect?: string }
/** Pod-spec fields the typed PodTemplate leaves out but the API's JSON carries. */
interface Placement { tolerations?: Toleration[]; nodeSelector?: Record<string, string> }

const sizeText = (s: Size): string =>
  `${s.cpu === undefined ? 'no CPU request' : `${formatCpu(s.cpu)} CPU`}, ${s.memory === undefined ? 'no memory request' : `${formatBytes(s.memory)} memory`}`;

/**
 * maxSurge as a pod count: a percentage of replicas rounds up, as the Deployment controller does;
 * an integer (a number, or digits in a string) is that many pods.
 * The API server admits only an integer or digits followed by % (no spaces), so nothing is trimmed.
 */
function surgeCount(maxSurge: number | string | undefined, replicas: number): number {
  if (maxSurge === undefined) return 1;
  const pct = /^(\d+)%$/.exec(String(maxSurge));
  return pct ? Math.ceil((replicas * Number(pct[1])) / 100) : Number(maxSurge) || 0;
}

const tolerates = (tolerations: readonly Toleration[] | undefined, taint: { key: string; value?: string; effect: string }): boolean =>
  tolerations?.some((t) => (t.effect === undefined || t.effect === '' || t.effect === taint.effect) &&
    (t.operator === 'Exists' ? (t.key === undefined || t.key === '' || t.key === taint.key) : t.key === taint.key && (t.value ?? '') === (taint.value ?? ''))) === true;

/** Why the new pod cannot go on this node, or undefined when it can. */
function exclusion(n: KubeNode, placement: Placement): string | undefined {
  if (n.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') return 'not Ready';
  if (n.spec?.unschedulable) return 'cordoned';
  const taint = n.spec?.taints?.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(placement.tolerations, t));
  if (taint) return `taint ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect} not tolerated`;
  const miss = Object.entries(placement.nodeSelector ?? {}).find(([k, v]) => n.metadata.labels?.[k] !== v);
  if (miss) return `nodeSelector ${miss[0]}=${miss[1]} not matched`;
  return undefined;
}

interface NodeRoom { name: string; cpu: number; memory: number; pods: number; allocCpu: number; allocMemory: number }

/** Free room per node: allocatable (less the reserve) minus the requests of the pods on it. */
function roomOf(n: KubeNode, load: NodeLoad | undefined, reserve: number): NodeRoom {
  const allocatable = n.status?.allocatable;
  const allocCpu = parseQuantity(allocatable?.['cpu']) ?? 0;
  const allocMemory = parseQuantity(allocatable?.['memory']) ?? 0;
  const cpu = allocCpu * (1 - reserve) - (load?.cpu ?? 0);
  const memory = allocMemory * (1 - reserve) - (load?.memory ?? 0);
  const slots = (parseQuantity(allocatable?.['pods']) ?? 110) - (load?.pods ?? 0);
  return { name: n.metadata.name, cpu, memory, pods: slots, allocCpu, allocMemory };
}

/** Per-node figures in `measured` and lines of evidence stop here: a report stays readable on 2,000 nodes. */
const MAX_NODES_SHOWN = 50;

const fits = (room: NodeRoom, s: Size): boolean => room.pods >= 1 && (s.cpu ?? 0) <= room.cpu && (s.memory ?? 0) <= room.memory;

/** How many pods of one size fit on a node, by CPU, memory and pod slots. */
function howMany(room: NodeRoom, s: Size): number {
  const by = (free: number, need: number | undefined) => (need ? Math.floor(free / need) : Infinity);
  return Math.max(0, Math.min(by(room.cpu, s.cpu), by(room.memory, s.memory), room.pods));
}

/** The Deployment a rollout changes, and what its new pods look like. */
interface Rolling { name: string; size: Size; surge: number; sizeSource: string }

function rollingOf(d: KubeDeployment | undefined, cr: InstallationCR | null, scope: Scope, surgeOverride: number | undefined): Rolling | undefined {
  if (!d && !cr) return undefined;
  const replicas = d?.spec?.replicas ?? cr?.spec?.replicas ?? 1;
  const surge = surgeOverride ?? surgeCount(d?.spec?.strategy?.rollingUpdate?.maxSurge, replicas);
  // The whole pod template counts (sidecars included): that is what the scheduler places.
  const fromDeployment = podSize(d?.spec?.template?.spec?.containers ?? []);
  if (d && (fromDeployment.cpu !== undefined || fromDeployment.memory !== undefined)) {
    return { name: d.metadata.name, size: fromDeployment, surge, sizeSource: `Deployment ${d.metadata.name} pod template` };
  }
  // v1beta1 keeps requests under spec.scheduling, v1alpha1 ClusterInstallation under spec.resources.
  const crRequests: ResourceList | undefined = cr?.spec?.scheduling?.resources?.requests ?? (isClusterInstallation(cr) ? cr.spec?.resources?.requests : undefined);
  // The container's name does not change its size: the app container stands for the pod.
  const fromCr = podSize([{ name: APP_CONTAINER, image: '', resources: crRequests ? { requests: crRequests } : {} }]);
  return { name: d?.metadata.name ?? scope.installation, size: fromCr, surge, sizeSource: crRequests ? `${crKind(cr, scope)} spec.${isClusterInstallation(cr) ? '' : 'scheduling.'}resources.requests` : 'none' };
}

/** The first lines, and how many more there are. */
function shownFirst(lines: string[], what: string): string[] {
  return lines.length <= MAX_NODES_SHOWN ? lines : [...lines.slice(0, MAX_NODES_SHOWN), `… and ${lines.length - MAX_NODES_SHOWN} more ${what}`];
}

export const rolloutHeadroom = defineCheck({
  meta: {
    id: 'rollout-headroom',
    phase: 'pre',
    title: 'The cluster has room for the rolling update\'s surge pods',
    failureTitle: 'The cluster lacks room for the rolling update',
    description: 'The operator\'s RollingUpdate starts each new pod before stopping an old one; without free CPU and memory for the surge pods the rollout stalls with a Pending pod, and a Recreate strategy means downtime.',
    requires: ['nodes', 'clusterPods', 'installation', 'deployments'],
    optional: ['nodeMetrics'],
    recommended: 'error',
  },
  options: z.strictObject({
    surgePods: z.number().int().min(0).optional().describe('Extra pods the rollout starts at once; default the Deployment\'s maxSurge (the operator sets 1).'),
    reserve: z.number().min(0).max(0.9).default(0).describe('Fraction of each node\'s allocatable CPU and memory to keep free (e.g. 0.1).'),
  }),
  evaluate({ nodes, clusterPods, installation, deployments, nodeMetrics }, { options, scope }) {
    const deployment = installationDeployment(deployments, scope);
    const subject = { kind: 'Deployment', namespace: scope.namespace, name: deployment?.metadata.name ?? scope.installation };
    const strategy = deployment?.spec?.strategy?.type ?? installation?.spec?.deploymentTemplate?.deploymentStrategyType ?? 'RollingUpdate';
    if (strategy === 'Recreate') {
      return outcomeOf({
        fails: [{
          message: 'The Mattermost Deployment uses the Recreate strategy: every pod stops before the new ones start, so a zero-downtime rollout is impossible',
          subject, expected: 'strategy RollingUpdate (maxSurge 1, maxUnavailable 0)', actual: 'strategy Recreate',
          remediation: 'Set spec.deploymentTemplate.deploymentStrategyType: RollingUpdate on the Mattermost resource (the operator default), or accept and announce the downtime.',
        }],
      });
    }
    const main = rollingOf(deployment, installation, scope, options.surgePods);
    if (!main) {
      return outcomeOf({
        fails: [{
          message: 'Cannot tell the size of the new Mattermost pods: neither the Mattermost resource nor its Deployment exists',
          subject, expected: `Mattermost ${scope.installation} and Deployment ${scope.installation} in ${scope.namespace}`, actual: 'neither found',
          remediation: 'Check kube.namespace and kube.installation; installation-state and replica-count say more.',
        }],
      });
    }
    const jobServerDeployment = deployments.find((d) => d.metadata.name === `${main.name}-jobserver`);
    const jobServer = jobServerDeployment ? rollingOf(jobServerDeployment, null, scope, undefined) : undefined;
    // The update job runs one pod of the new spec before the rollout: it needs room even when maxSurge is 0.
    const updateJob = installation?.spec?.updateJob?.disabled !== true;
    const mainNeeded = Math.max(main.surge, updateJob ? 1 : 0);

    const placement = (deployment?.spec?.template?.spec as Placement | undefined) ??
      (installation?.spec?.scheduling as Placement | undefined) ?? {};
    const excluded: string[] = [];
    const rooms: NodeRoom[] = [];
    let podsWithoutRequests = 0;
    for (const n of nodes) {
      const why = exclusion(n, placement);
      if (why) { excluded.push(`${n.metadata.name}: not eligible (${why})`); continue; }
      const load = clusterPods.byNode[n.metadata.name];
      podsWithoutRequests += load?.withoutRequests ?? 0;
      rooms.push(roomOf(n, load, options.reserve));
    }

    const measured: Record<string, number | string | boolean> = {
      surgePods: main.surge, requestSource: main.sizeSource, requiredPods: mainNeeded + (jobServer?.surge ?? 0), eligibleNodes: rooms.length,
      surgePodsFit: rooms.reduce((sum, r) => sum + howMany(r, main.size), 0),
      ...(main.size.cpu !== undefined ? { requestCpuCores: main.size.cpu } : {}),
      ...(main.size.memory !== undefined ? { requestMemoryBytes: main.size.memory } : {}),
    };
    for (const r of rooms.slice(0, MAX_NODES_SHOWN)) {
      measured[`node.${r.name}.freeCpuCores`] = Number(r.cpu.toFixed(3));
      measured[`node.${r.name}.freeMemoryBytes`] = Math.round(r.memory);
    }

    const fails: Finding[] = [];
    const warns: Finding[] = [];
    const notes: string[] = [];
    if (main.size.cpu === undefined && main.size.memory === undefined) {
      warns.push({
        message: 'The Mattermost pods declare no CPU or memory requests: the scheduler places them anywhere, so headroom cannot be judged',
        subject, expected: 'CPU and memory requests on the Mattermost pods', actual: 'no requests in the Deployment or the Mattermost resource',
        remediation: 'Set spec.scheduling.resources.requests (or spec.size) on the Mattermost resource so rollouts are scheduled on real capacity.',
      });
    }

    // First-fit decreasing over the pods the rollout needs at once, largest memory first.
    const needed = [
      ...Array.from({ length: mainNeeded }, () => ({ kind: 'mattermost', size: main.size })),
      ...(jobServer ? Array.from({ length: jobServer.surge }, () => ({ kind: 'jobserver', size: jobServer.size })) : []),
    ].sort((a, b) => (b.size.memory ?? 0) - (a.size.memory ?? 0) || (b.size.cpu ?? 0) - (a.size.cpu ?? 0));
    const left = rooms.map((r) => ({ ...r }));
    const unplaced = needed.filter((pod) => {
      const room = left.find((r) => fits(r, pod.size));
      if (!room) return true;
      room.cpu -= pod.size.cpu ?? 0;
      room.memory -= pod.size.memory ?? 0;
      room.pods -= 1;
      return false;
    });
    if (unplaced.length > 0) {
      const placed = needed.length - unplaced.length;
      fails.push({
        message: `Room for ${placed} of the ${needed.length} extra pods the rollout starts at once (${sizeText(main.size)} each${jobServer ? `; job server ${sizeText(jobServer.size)}` : ''})`,
        subject,
        expected: `room for ${needed.length} pod(s) on Ready, schedulable nodes${options.reserve ? ` keeping ${options.reserve * 100}% in reserve` : ''}`,
        actual: `room for ${placed} (${rooms.length} eligible node(s))`,
        remediation: 'Add a node or free capacity (kubectl describe nodes shows allocated requests), or lower the Mattermost requests; otherwise the surge pod stays Pending and the rollout stalls.',
        evidence: shownFirst([
          ...rooms.map((r) => `${r.name}: free ${formatCpu(Math.max(0, r.cpu))} CPU, ${formatBytes(Math.max(0, r.memory))} memory, ${r.pods} pod slots`),
          ...excluded,
        ], 'nodes'),
      });
    }

    const metrics = present(nodeMetrics);
    if (metrics?.available) {
      const usageOf = new Map(metrics.items.map((i) => [i.name, i]));
      for (const r of rooms) {
        const usage = usageOf.get(r.name);
        const shown = measured[`node.${r.name}.freeCpuCores`] !== undefined;
        const cpu = parseQuantity(usage?.cpu);
        const memory = parseQuantity(usage?.memory);
        if (shown && cpu !== undefined && r.allocCpu > 0) measured[`node.${r.name}.cpuUsagePercent`] = Math.round((cpu / r.allocCpu) * 100);
        if (memory === undefined || r.allocMemory <= 0) continue;
        const share = memory / r.allocMemory;
        if (shown) measured[`node.${r.name}.memoryUsagePercent`] = Math.round(share * 100);
        if (share > MEMORY_USAGE_WARN) {
          warns.push({
            message: `Node ${r.name} uses ${Math.round(share * 100)}% of its allocatable memory: requests leave room, but the node may evict pods under load`,
            subject: { kind: 'Node', name: r.name }, expected: `memory usage at most ${MEMORY_USAGE_WARN * 100}%`, actual: `${formatBytes(memory)} of ${formatBytes(r.allocMemory)}`,
            remediation: `kubectl top pods -A --sort-by=memory: find what uses more than it requests on ${r.name}, or add capacity before the rollout.`,
          });
        }
      }
    } else {
      notes.push('usage not served by metrics.k8s.io; judged by requests only');
    }
    if (podsWithoutRequests > 0) notes.push(`${podsWithoutRequests} pod(s) on eligible nodes declare no requests and count as 0`);
    if (main.surge === 0) notes.push('maxSurge is 0: the rollout replaces pods in place and needs room only for the update job');

    return outcomeOf({
      fails, warns, measured,
      summary: [`room for ${measured['surgePodsFit']} pod(s) of ${sizeText(main.size)} on ${rooms.length} eligible node(s); the rollout needs ${needed.length}`, ...notes].join('; '),
    });
  },
});

export default rolloutHeadroom;

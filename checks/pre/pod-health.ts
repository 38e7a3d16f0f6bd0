/**
 * Prevents upgrading an installation that is already unhealthy: a pod in CrashLoopBackOff, one
 * that cannot pull its image or read its config, or one that keeps restarting hides its cause
 * behind the upgrade, and the rollout (which waits for readiness) may stall on the same fault.
 * With zero Mattermost pods there is no running installation to upgrade at all.
 *
 * Current pods are told apart from history: a pod that Failed (Evicted by node pressure, an
 * out-of-memory kill) and whose owner has since reached what it wants (its Deployment or
 * ReplicaSet all ready again, its Job completed) is a record of the past, left until someone
 * deletes it. It is a warning with `kubectl delete pod` as the fix; anything current that is not
 * healthy still blocks, and a Failed pod whose owner cannot be seen recovered counts as current.
 */
import { installationRef } from '../../core/mattermost.js';
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { duration } from '../../core/config/schema.js';
import { parseDuration } from '../../core/duration.js';
import { isPodReady, mattermostPods, podRef } from '../../core/installation.js';
import type { ContainerStatus, KubeDeployment, KubeJob, KubeObject, KubePod, KubeReplicaSet } from '../../core/kube-types.js';
import { outcomeOf } from '../../core/outcome.js';
import { isCollectError, present, type Finding } from '../../core/types.js';

/** Waiting reasons that do not clear on their own: the pod needs a fix, not time. */
const STUCK_REASONS: Readonly<Record<string, string>> = {
  CrashLoopBackOff: 'read the crashed container\'s log (kubectl logs --previous) and fix the cause',
  ImagePullBackOff: 'check the image name and tag, the registry and the imagePullSecrets',
  ErrImagePull: 'check the image name and tag, the registry and the imagePullSecrets',
  InvalidImageName: 'fix the image reference',
  CreateContainerConfigError: 'a referenced Secret or ConfigMap (or a key in it) is missing: kubectl describe pod shows which',
  CreateContainerError: 'kubectl describe pod shows why the runtime could not create the container',
  RunContainerError: 'kubectl describe pod shows why the runtime could not start the container',
};

const validRegex = (s: string): boolean => { try { new RegExp(s); return true; } catch { return false; } };

const evidenceOf = (c: ContainerStatus): string[] => [
  ...(c.state?.waiting ? [`${c.name}: waiting ${c.state.waiting.reason ?? ''}${c.state.waiting.message ? `: ${c.state.waiting.message}` : ''}`] : []),
  ...(c.lastState?.terminated ? [`${c.name}: last terminated ${c.lastState.terminated.reason ?? 'unknown'} (exit code ${c.lastState.terminated.exitCode ?? '?'})`] : []),
];

interface Owners { readonly replicaSets?: readonly KubeReplicaSet[]; readonly deployments?: readonly KubeDeployment[]; readonly jobs?: readonly KubeJob[] }

const atDesired = (what: string, want: number, ready: number): string | undefined =>
  ready >= want ? `${what} has ${ready}/${want} ready replicas` : undefined;

/**
 * How a finished pod's owner recovered since, when it did: its Deployment (through the
 * ReplicaSet) or bare ReplicaSet has all its desired replicas ready, or its Job completed.
 * Undefined when the owner is not known, not seen, or not recovered: the pod is then current.
 */
function recoveredOwner(p: KubePod, owners: Owners): string | undefined {
  const ref = p.metadata.ownerReferences?.find((r) => r.controller) ?? p.metadata.ownerReferences?.[0];
  if (!ref) return undefined;
  const ns = p.metadata.namespace;
  const named = (name: string) => (o: KubeObject) => o.metadata.name === name && (o.metadata.namespace ?? ns) === ns;
  if (ref.kind === 'ReplicaSet') {
    const rs = owners.replicaSets?.find(named(ref.name));
    if (!rs) return undefined;
    const dref = rs.metadata.ownerReferences?.find((r) => r.kind === 'Deployment');
    if (!dref) return atDesired(`ReplicaSet ${rs.metadata.name}`, rs.spec?.replicas ?? 1, rs.status?.readyReplicas ?? 0);
    const d = owners.deployments?.find(named(dref.name));
    return d ? atDesired(`Deployment ${d.metadata.name}`, d.spec?.replicas ?? 1, d.status?.readyReplicas ?? 0) : undefined;
  }
  if (ref.kind === 'Job') {
    const j = owners.jobs?.find(named(ref.name));
    const complete = j && (j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') || (j.status?.succeeded ?? 0) >= (j.spec?.completions ?? 1));
    return complete ? `Job ${ref.name} has since completed` : undefined;
  }
  return undefined;
}

export const podHealth = defineCheck({
  meta: {
    id: 'pod-health',
    phase: 'pre',
    title: 'Pods are Running and Ready, without crash loops',
    failureTitle: 'Some pods are unhealthy',
    description: 'An installation that is crash-looping, cannot pull its image, or keeps restarting before the upgrade will hide its fault behind the upgrade and may stall the rollout.',
    requires: ['pods'],
    optional: ['clusterPods', 'replicaSets', 'deployments', 'jobs'],
    recommended: 'error',
  },
  options: z.strictObject({
    allNamespaces: z.boolean().default(false).describe('Judge the pods of every namespace (needs the clusterPods collector), not only the installation\'s.'),
    maxRestarts: z.number().int().min(0).default(5).describe('Largest container restart count tolerated.'),
    ignore: z.array(z.string().refine(validRegex, 'a valid regular expression')).default([])
      .describe('Regular expressions matched against the pod name (or namespace/name): matching pods are not judged.'),
    startupGrace: duration.default('5m').describe('How long a pod may be Pending or not Ready after it was created before it counts as unhealthy.'),
  }),
  evaluate(input, { options, scope, now }) {
    let pods: readonly KubePod[] = input.pods;
    let otherHealthy = 0;
    let leftOut = 0;
    if (options.allNamespaces) {
      const cluster = input.clusterPods;
      // Asked to look cluster-wide but could not: throwing makes the result `error`, never a pass.
      if (cluster === undefined || isCollectError(cluster)) {
        throw new Error(`allNamespaces is on but the pods of other namespaces were not collected (${cluster ? cluster.message : 'clusterPods missing from the snapshot'})`);
      }
      // The cluster list is reduced as read: pods that may be unhealthy are kept, healthy ones counted.
      pods = [...input.pods, ...cluster.unhealthy.filter((p) => p.metadata.namespace !== scope.namespace)];
      otherHealthy = cluster.total - (cluster.byNamespace[scope.namespace] ?? 0) - (pods.length - input.pods.length) - cluster.unhealthyLeftOut;
      leftOut = cluster.unhealthyLeftOut;
    }
    const ignore = options.ignore.map((s) => new RegExp(s));
    const graceMs = parseDuration(options.startupGrace);
    const fails: Finding[] = [];
    const warns: Finding[] = [];
    let judged = 0;
    let healthy = 0;
    let ignored = 0;
    let history = 0;
    const owners: Owners = {
      ...(present(input.replicaSets) ? { replicaSets: present(input.replicaSets) } : {}),
      ...(present(input.deployments) ? { deployments: present(input.deployments) } : {}),
      ...(present(input.jobs) ? { jobs: present(input.jobs) } : {}),
    };

    for (const p of pods) {
      if (p.metadata.deletionTimestamp || p.status?.phase === 'Succeeded') continue;
      const qualified = `${p.metadata.namespace ?? ''}/${p.metadata.name}`;
      if (ignore.some((re) => re.test(p.metadata.name) || re.test(qualified))) { ignored++; continue; }
      const subject = podRef(p);
      const replaced = p.status?.phase === 'Failed' ? recoveredOwner(p, owners) : undefined;
      if (replaced) {
        history++;
        warns.push({
          message: `Pod ${qualified} failed${p.status?.reason ? ` (${p.status.reason})` : ''} and is history: ${replaced}`,
          subject, expected: 'no failed pods left behind', actual: `Failed${p.status?.reason ? `: ${p.status.reason}` : ''}, replaced`,
          remediation: `kubectl -n ${subject.namespace} delete pod ${p.metadata.name} (its owner already runs what it needs; the pod only records the failure)`,
          evidence: [...(p.status?.message ? [`pod: ${p.status.message}`] : [])],
        });
        continue;
      }
      judged++;
      const before = fails.length + warns.length;
      const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];

      for (const c of statuses) {
        const reason = c.state?.waiting?.reason;
        const fix = reason ? STUCK_REASONS[reason] : undefined;
        if (reason && fix) {
          fails.push({
            message: `Pod ${qualified}: container ${c.name} is in ${reason}`,
            subject, expected: 'container running', actual: `waiting: ${reason}`,
            remediation: `${fix} (kubectl -n ${subject.namespace} describe pod ${p.metadata.name}).`,
            evidence: evidenceOf(c),
          });
        } else if (c.restartCount > options.maxRestarts) {
          fails.push({
            message: `Pod ${qualified}: container ${c.name} restarted ${c.restartCount} times`,
            subject, expected: `at most ${options.maxRestarts} restarts`, actual: `${c.restartCount} restarts`,
            remediation: `Find why it restarts (kubectl -n ${subject.namespace} logs ${p.metadata.name} -c ${c.name} --previous); once fixed, delete the pod to reset the count, or raise maxRestarts.`,
            evidence: evidenceOf(c),
          });
        }
      }
      // Crash reasons above already explain a pod that is not Ready; say "not Ready" only when nothing else did.
      if (fails.length + warns.length === before && !(p.status?.phase === 'Running' && isPodReady(p))) {
        const phase = p.status?.phase ?? 'Unknown';
        const since = Date.parse(p.metadata.creationTimestamp ?? '');
        const ageMs = Number.isNaN(since) ? Infinity : now.getTime() - since;
        const starting = (phase === 'Pending' || phase === 'Running') && ageMs < graceMs;
        const scheduled = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
        (starting ? warns : fails).push({
          message: `Pod ${qualified} is ${phase}${phase === 'Running' ? ' but not Ready' : ''}${starting ? ' (still starting)' : ''}`,
          subject, expected: 'Running and Ready', actual: `${phase}${phase === 'Running' ? ', not Ready' : ''}${Number.isFinite(ageMs) ? `, created ${Math.round(ageMs / 60_000)} min ago` : ''}`,
          remediation: phase === 'Pending'
            ? `kubectl -n ${subject.namespace} describe pod ${p.metadata.name}: the events say why it is not scheduled or started (resources, taints, volumes).`
            : phase === 'Failed'
              ? `kubectl -n ${subject.namespace} describe pod ${p.metadata.name}: its status says why it failed (Evicted: node pressure; OOMKilled: memory limit), and its owner has not replaced it with a ready pod.`
              : `kubectl -n ${subject.namespace} describe pod ${p.metadata.name}: check its readiness probe and logs; a pod that is not Ready serves no traffic.`,
          evidence: [
            ...(p.status?.reason ? [`pod: ${p.status.reason}${p.status.message ? `: ${p.status.message}` : ''}`] : []),
            ...(scheduled?.status === 'False' && scheduled.message ? [`PodScheduled: ${scheduled.message}`] : []),
            ...statuses.flatMap(evidenceOf),
          ],
        });
      }
      if (fails.length + warns.length === before) healthy++;
    }

    judged += otherHealthy;
    healthy += otherHealthy;
    if (leftOut > 0) {
      fails.push({
        message: `${leftOut} more pods across the cluster may be unhealthy than mmgate keeps to judge`,
        subject: { kind: 'Cluster', name: 'all namespaces' }, expected: 'every pod Running and Ready', actual: `more than ${pods.length - input.pods.length} pods not Running and Ready, restarted or waiting`,
        remediation: 'kubectl get pods -A --field-selector=status.phase!=Running,status.phase!=Succeeded: the cluster is in trouble; fix it before upgrading.',
      });
    }
    const mmCount = mattermostPods(input.pods, scope).length;
    if (mmCount === 0) {
      fails.unshift({
        message: `No Mattermost pods of installation ${scope.installation} in namespace ${scope.namespace}: the installation is not running`,
        subject: installationRef(scope),
        expected: 'at least one pod labelled app=mattermost for the installation', actual: '0 pods',
        remediation: `Check kube.namespace and kube.installation, then kubectl -n ${scope.namespace} get mattermost,deploy,pods: the operator creates the pods from the Mattermost resource.`,
      });
    }
    return outcomeOf({
      fails, warns,
      summary: `${healthy} of ${judged} pods healthy${options.allNamespaces ? ' across all namespaces' : ` in ${scope.namespace}`}${ignored ? `, ${ignored} ignored` : ''}${history ? `, ${history} failed and replaced (history)` : ''}; ${mmCount} Mattermost pods`,
      measured: { podsJudged: judged, podsHealthy: healthy, podsIgnored: ignored, mattermostPods: mmCount, ...(history ? { podsHistory: history } : {}) },
    });
  },
});

export default podHealth;

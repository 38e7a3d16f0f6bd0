/**
 * Prevents upgrading an installation that is already unhealthy: a pod in CrashLoopBackOff, one
 * that cannot pull its image or read its config, or one that keeps restarting hides its cause
 * behind the upgrade, and the rollout (which waits for readiness) may stall on the same fault.
 * With zero Mattermost pods there is no running installation to upgrade at all.
 */
import { installationRef } from '../../core/mattermost.js';
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { duration } from '../../core/config/schema.js';
import { parseDuration } from '../../core/duration.js';
import { isPodReady, mattermostPods, podRef } from '../../core/installation.js';
import type { ContainerStatus, KubePod } from '../../core/kube-types.js';
import { outcomeOf } from '../../core/outcome.js';
import { isCollectError, type Finding } from '../../core/types.js';

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

export const podHealth = defineCheck({
  meta: {
    id: 'pod-health',
    phase: 'pre',
    title: 'Pods are Running and Ready, without crash loops',
    failureTitle: 'Some pods are unhealthy',
    description: 'An installation that is crash-looping, cannot pull its image, or keeps restarting before the upgrade will hide its fault behind the upgrade and may stall the rollout.',
    requires: ['pods'],
    optional: ['clusterPods'],
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
    if (options.allNamespaces) {
      const cluster = input.clusterPods;
      // Asked to look cluster-wide but could not: throwing makes the result `error`, never a pass.
      if (cluster === undefined || isCollectError(cluster)) {
        throw new Error(`allNamespaces is on but the pods of other namespaces were not collected (${cluster ? cluster.message : 'clusterPods missing from the snapshot'})`);
      }
      pods = [...input.pods, ...cluster.filter((p) => p.metadata.namespace !== scope.namespace)];
    }
    const ignore = options.ignore.map((s) => new RegExp(s));
    const graceMs = parseDuration(options.startupGrace);
    const fails: Finding[] = [];
    const warns: Finding[] = [];
    let judged = 0;
    let healthy = 0;
    let ignored = 0;

    for (const p of pods) {
      if (p.metadata.deletionTimestamp || p.status?.phase === 'Succeeded') continue;
      const qualified = `${p.metadata.namespace ?? ''}/${p.metadata.name}`;
      if (ignore.some((re) => re.test(p.metadata.name) || re.test(qualified))) { ignored++; continue; }
      judged++;
      const before = fails.length + warns.length;
      const subject = podRef(p);
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
            : `kubectl -n ${subject.namespace} describe pod ${p.metadata.name}: check its readiness probe and logs; a pod that is not Ready serves no traffic.`,
          evidence: [
            ...(p.status?.reason ? [`pod: ${p.status.reason}`] : []),
            ...(scheduled?.status === 'False' && scheduled.message ? [`PodScheduled: ${scheduled.message}`] : []),
            ...statuses.flatMap(evidenceOf),
          ],
        });
      }
      if (fails.length + warns.length === before) healthy++;
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
      summary: `${healthy} of ${judged} pods healthy${options.allNamespaces ? ' across all namespaces' : ` in ${scope.namespace}`}${ignored ? `, ${ignored} ignored` : ''}; ${mmCount} Mattermost pods`,
      measured: { podsJudged: judged, podsHealthy: healthy, podsIgnored: ignored, mattermostPods: mmCount },
    });
  },
});

export default podHealth;

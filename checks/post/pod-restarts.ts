/**
 * Prevents promoting pods that only look up: a Mattermost container that crashed and restarted
 * after the upgrade (a panic on a code path the probes do not touch, an out-of-memory kill under
 * the new version's footprint) is Ready again between crashes, so every other check can pass in the
 * gaps. Restarts of each Mattermost container must not have grown since the preflight snapshot,
 * and pods created since then must stay at or under maxRestarts.
 */
import { installationRef } from '../../core/mattermost.js';
import { z } from 'zod';
import { fromBaseline } from '../../core/baseline.js';
import { defineCheck } from '../../core/check.js';
import { APP_CONTAINER, JOBSERVER_CONTAINER, jobServerPods, mattermostPods, podRef } from '../../core/installation.js';
import type { ContainerStatus, KubePod } from '../../core/kube-types.js';
import { outcomeOf } from '../../core/outcome.js';
import type { Finding } from '../../core/types.js';

const mattermostContainers = (p: KubePod): ContainerStatus[] =>
  (p.status?.containerStatuses ?? []).filter((c) => c.name === APP_CONTAINER || c.name === JOBSERVER_CONTAINER);

function lastCrash(c: ContainerStatus): string | undefined {
  const t = c.lastState?.terminated;
  if (!t) return undefined;
  return `last termination: ${t.reason ?? 'unknown reason'}${t.exitCode !== undefined ? `, exit code ${t.exitCode}` : ''}${t.finishedAt ? ` at ${t.finishedAt}` : ''}`;
}

export const podRestartsCheck = defineCheck({
  meta: {
    id: 'pod-restarts',
    phase: 'post',
    title: 'No Mattermost container restarted since the upgrade',
    failureTitle: 'Mattermost containers restarted since the upgrade',
    description: 'Compares the restart count of each Mattermost container (mattermost, mattermost-jobserver) with the preflight snapshot given as --baseline: it must not have grown for pods that existed then, and pods created since must be at or under maxRestarts. Without a baseline, every pod is held to maxRestarts. A container that crashes and comes back looks healthy between crashes.',
    requires: ['pods'],
    baseline: ['pods'],
    recommended: 'error',
  },
  options: z.strictObject({
    maxRestarts: z.number().int().min(0).default(0).describe('Restarts a pod created since the baseline (or any pod, without one) may have.'),
  }),
  evaluate(input, ctx) {
    const pods = [...mattermostPods(input.pods, ctx.scope), ...jobServerPods(input.pods, ctx.scope)];
    const base = fromBaseline(input.baseline, 'pods');
    const basePods = base.ok ? base.value : undefined;
    const noBaseline = base.ok ? undefined : `${base.reason}: pods judged by maxRestarts only`;
    const fails: Finding[] = [];
    if (pods.length === 0) {
      fails.push({ message: `no Mattermost pods of installation ${ctx.scope.installation}`, subject: installationRef(ctx.scope), expected: 'Mattermost pods', actual: 'none', remediation: `kubectl -n ${ctx.scope.namespace} get pods -l app=mattermost` });
    }
    let total = 0;
    let compared = 0;
    for (const p of pods) {
      const before = basePods?.find((b) => (p.metadata.uid && b.metadata.uid ? b.metadata.uid === p.metadata.uid : b.metadata.name === p.metadata.name && b.metadata.namespace === p.metadata.namespace));
      for (const c of mattermostContainers(p)) {
        total += c.restartCount;
        const then = before?.status?.containerStatuses?.find((x) => x.name === c.name)?.restartCount;
        // The pods were listed in the scope's namespace.
        const logs = `kubectl -n ${ctx.scope.namespace} logs ${p.metadata.name} -c ${c.name} --previous`;
        const crash = lastCrash(c);
        if (then !== undefined) {
          compared++;
          if (c.restartCount > then) {
            fails.push({
              message: `container ${c.name} of pod ${p.metadata.name} restarted ${c.restartCount - then} time${c.restartCount - then === 1 ? '' : 's'} since the baseline`,
              subject: podRef(p), expected: `restartCount ${then} (as in the baseline)`, actual: `restartCount ${c.restartCount}`,
              remediation: `read why it stopped: ${logs}; kubectl describe pod (OOMKilled → raise the memory limit)`,
              ...(crash ? { evidence: [crash] } : {}),
            });
          }
        } else if (c.restartCount > ctx.options.maxRestarts) {
          fails.push({
            message: `container ${c.name} of ${basePods ? 'new ' : ''}pod ${p.metadata.name} restarted ${c.restartCount} time${c.restartCount === 1 ? '' : 's'}`,
            subject: podRef(p), expected: `≤ ${ctx.options.maxRestarts} restarts`, actual: `restartCount ${c.restartCount}`,
            remediation: `read why it stopped: ${logs}; kubectl describe pod (OOMKilled → raise the memory limit)`,
            ...(crash ? { evidence: [crash] } : {}),
          });
        }
      }
    }
    const note = noBaseline ? `; ${noBaseline}` : '';
    return outcomeOf({
      fails,
      summary: `${total} restarts across ${pods.length} Mattermost pods; ${compared} containers compared with the baseline${note}`,
      measured: { restarts: total, pods: pods.length, comparedWithBaseline: compared, baseline: !noBaseline },
    });
  },
});

export default podRestartsCheck;

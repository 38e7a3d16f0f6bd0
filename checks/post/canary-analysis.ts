/**
 * The canary's verdict: promote it or abort it. Verify sends its journeys with the cookie
 * `canary=always` through the production host; this check proves they reached the canary's pods
 * (X-Version-Id is the canary Deployment's version on every answer), then compares the canary
 * with the stable pods: errors logged per pod since the upgrade, and the journeys' results.
 *
 * Metrics hook: when the metrics collector (issue 8) lands, add its per-pod error ratio and
 * latency for the canary and stable pods to `comparisons` below, with the same rule: the canary
 * may not be worse than stable by more than the allowance.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { canaryOf, isClusterInstallation } from '../../core/installation.js';
import type { PodLogs } from '../../core/mattermost-types.js';
import { installationRef } from '../../core/mattermost.js';
import { outcomeOf, type NotLooked } from '../../core/outcome.js';
import { answerVersions, deploymentVersion, versionsText } from '../../core/strategy.js';
import { present, type Finding } from '../../core/types.js';

const ERROR_LEVELS = ['error', 'fatal', 'critical', 'panic'];

/** Error lines per app pod (0 pods: undefined, nothing to compare). */
function errorsPerPod(logs: PodLogs | null | undefined): { perPod: number; pods: number } | undefined {
  const app = logs?.pods.filter((p) => p.role === 'app') ?? [];
  if (app.length === 0) return undefined;
  const errors = app.reduce((n, p) => n + ERROR_LEVELS.reduce((m, l) => m + (p.levels[l] ?? 0), 0), 0);
  return { perPod: errors / app.length, pods: app.length };
}

export const canaryAnalysis = defineCheck({
  meta: {
    id: 'canary-analysis',
    phase: 'post',
    title: 'Canary: the journeys reached the canary, and it is no worse than stable — promote canary',
    failureTitle: 'Canary: not proven or worse than stable — abort canary',
    description: 'A canary verified through the production host proves nothing unless the requests reached canary pods, and a canary that logs more errors than the stable pods, or fails journeys they pass, would take its faults to every user once promoted.',
    requires: ['installation', 'deployments', 'routingProbe', 'podLogs', 'stablePodLogs'],
    optional: ['smokeJourney'],
    recommended: 'error',
  },
  options: z.strictObject({
    errorsPerPodAllowance: z.number().min(0).default(2).describe('How many more error lines per pod the canary may log than a stable pod since the upgrade.'),
  }),
  evaluate(input, { scope, options }) {
    const cr = input.installation;
    if (scope.strategy !== 'canary' || scope.side !== 'canary' || !isClusterInstallation(cr)) {
      return { status: 'not-applicable', reason: scope.strategy === 'canary' ? 'this run judges the stable side' : 'no canary is enabled' };
    }
    const canary = canaryOf(cr);
    const want = deploymentVersion(input.deployments.find((d) => d.metadata.name === canary.name));
    const fails: Finding[] = [];
    const subject = { kind: 'Deployment', namespace: scope.namespace, name: canary.name };
    const { versions, failed } = input.routingProbe ? answerVersions(input.routingProbe) : { versions: {}, failed: ['no answers'] };
    const off = Object.keys(versions).filter((v) => v !== want);
    if (!want || off.length > 0 || failed.length > 0 || Object.keys(versions).length === 0) {
      fails.push({ message: `requests with the cookie ${scope.cookie ?? 'canary=always'} through the production host answered ${versionsText(versions)}${failed.length ? ` (${failed.length} failed)` : ''}, not only the canary's ${want ?? '?'}`, subject: { kind: 'Ingress', namespace: scope.namespace, name: canary.name }, expected: `X-Version-Id ${want ?? 'the canary version'} on every answer`, actual: versionsText(versions), remediation: `check Ingress ${canary.name}: nginx.ingress.kubernetes.io/canary "true" and canary-by-cookie "canary", backend Service ${canary.name}` });
    }
    // The comparisons (issue 8's metrics join here: error ratio and latency per side).
    const c = errorsPerPod(input.podLogs);
    const s = errorsPerPod(present(input.stablePodLogs));
    const errors: NotLooked[] = [];
    // No logs of one side: the comparison was not made (could not look), not a canary found worse.
    if (!c || !s) {
      errors.push({ code: 'NO_LOGS', message: `no ${!c ? 'canary' : 'stable'} pod logs to compare`, subject, expected: 'logs of both sides', actual: 'none', remediation: 'check the pods are running and mmgate may read pods/log' });
    } else if (c.perPod > s.perPod + options.errorsPerPodAllowance) {
      fails.push({ message: `the canary logs ${c.perPod.toFixed(1)} errors per pod since the upgrade, stable ${s.perPod.toFixed(1)}`, subject, expected: `≤ ${(s.perPod + options.errorsPerPodAllowance).toFixed(1)} (stable + ${options.errorsPerPodAllowance})`, actual: c.perPod.toFixed(1), remediation: `read the canary's errors (kubectl -n ${scope.namespace} logs -l v1alpha1.mattermost.com/installation=${canary.name}); abort the canary` });
    }
    const journey = present(input.smokeJourney);
    const broken = journey?.steps.filter((x) => !x.ok && !x.skipped) ?? [];
    if (broken.length > 0) fails.push({ message: `${broken.length} journey step(s) failed on the canary: ${broken.map((x) => x.name).join(', ')}`, subject: installationRef(scope), expected: 'every journey passes on the canary', actual: `${broken.length} failed`, remediation: 'the canary breaks what stable serves: abort the canary' });
    const verdict = fails.length ? 'abort canary' : errors.length ? 'inconclusive' : 'promote canary';
    return outcomeOf({
      fails, errors,
      summary: `${verdict}: ${versionsText(versions)} through the cookie; errors per pod canary ${c?.perPod.toFixed(1) ?? '?'} vs stable ${s?.perPod.toFixed(1) ?? '?'}`,
      measured: { verdict, canaryVersion: want ?? 'unknown', canaryErrorsPerPod: c?.perPod ?? -1, stableErrorsPerPod: s?.perPod ?? -1 },
    });
  },
});

export default canaryAnalysis;

/**
 * The canary's verdict: promote it or abort it. Verify sends its journeys with the cookie
 * `canary=always` through the production host; this check proves they reached the canary's pods
 * (X-Version-Id is the canary Deployment's version on every answer), then compares the canary
 * with the stable pods: errors logged per pod since the upgrade, the journeys' results, and the
 * servers' own metrics over the same window (docs/strategies.md, canary; docs/metrics.md): each
 * canary pod's 5xx share and p99 per handler group against the stable pods' together, with the
 * relative limits error-rate and api-latency use against a preflight baseline.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { canaryOf, isClusterInstallation } from '../../core/installation.js';
import type { PodLogs } from '../../core/mattermost-types.js';
import { installationRef } from '../../core/mattermost.js';
import { ALL_HANDLERS, type GroupStats, type ServerMetrics } from '../../core/metrics-types.js';
import { baselineOf, groupName, judgePods, metricsOutcome, minRequestsOf, minRequestsOption, noDataOption, pct, podSubject, relativeLimit, REMEDY_NO_DATA, type Judged } from '../../core/metrics-judge.js';
import type { NotLooked } from '../../core/outcome.js';
import { answerVersions, CANARY_COOKIE, deploymentVersion, versionsText } from '../../core/strategy.js';
import { isCollectError, present, type CollectError, type Finding, type Scope } from '../../core/types.js';

const ERROR_LEVELS = ['error', 'fatal', 'critical', 'panic'];

/** Error lines per app pod (0 pods: undefined, nothing to compare). */
function errorsPerPod(logs: PodLogs | null | undefined): { perPod: number; pods: number } | undefined {
  const app = logs?.pods.filter((p) => p.role === 'app') ?? [];
  if (app.length === 0) return undefined;
  const errors = app.reduce((n, p) => n + ERROR_LEVELS.reduce((m, l) => m + (p.levels[l] ?? 0), 0), 0);
  return { perPod: errors / app.length, pods: app.length };
}

const optionsSchema = z.strictObject({
  errorsPerPodAllowance: z.number().min(0).default(2).describe('How many more error lines per pod the canary may log than a stable pod since the upgrade.'),
  errorRatioFactor: z.number().min(1).default(2).describe('A canary pod\'s 5xx share in a handler group may reach this multiple of the stable pods\' share… (as error-rate\'s factor against its baseline)'),
  maxErrorRatioIncrease: z.number().min(0).max(1).default(0.01).describe('…or the stable share plus this (0.01 = one percentage point), whichever allows more (as error-rate\'s maxIncrease).'),
  p99Factor: z.number().min(1).default(1.5).describe('A canary pod\'s p99 in a handler group may reach this multiple of the stable pods\' p99… (as api-latency\'s factor)'),
  minIncreaseMs: z.number().min(0).default(200).describe('…or the stable p99 plus this many ms, whichever allows more (as api-latency\'s minIncreaseMs).'),
  minRequests: minRequestsOption,
  noData: noDataOption,
});
type MetricLimits = z.output<typeof optionsSchema>;

/** Findings where canary pod `pod` is worse than the stable pods in group `g` beyond the limits. */
function worseThanStable(pod: string, g: string, c: GroupStats, s: GroupStats, scope: Scope, o: MetricLimits): Finding[] {
  const out: Finding[] = [];
  const [cr, sr] = [c.ratio ?? 0, s.ratio ?? 0];
  const ratioLimit = relativeLimit(sr, o.errorRatioFactor, o.maxErrorRatioIncrease);
  if (cr > ratioLimit) {
    out.push({
      message: `canary pod ${pod}, ${groupName(g)}: ${pct(cr)} of ${c.requests} requests answered 5xx, the stable pods ${pct(sr)} of ${s.requests}`,
      subject: podSubject(scope, pod),
      expected: `≤ ${pct(ratioLimit)} (stable ${pct(sr)}: max(${o.errorRatioFactor}×, +${pct(o.maxErrorRatioIncrease)}))`,
      actual: `${c.errors} of ${c.requests} (${pct(cr)})`,
      remediation: `abort the canary: it fails more often than stable. Read pod ${pod}'s errors (kubectl -n ${scope.namespace} logs ${pod} -c mattermost | grep '"level":"error"').`,
    });
  }
  if (c.p99Ms === null || s.p99Ms === null) return out;
  const p99Limit = relativeLimit(s.p99Ms, o.p99Factor, o.minIncreaseMs);
  if (c.p99Ms > p99Limit) {
    out.push({
      message: `canary pod ${pod}, ${groupName(g)}: p99 ${c.p99Ms} ms, the stable pods ${s.p99Ms} ms (×${(c.p99Ms / Math.max(s.p99Ms, 0.1)).toFixed(1)})`,
      subject: podSubject(scope, pod),
      expected: `p99 ≤ ${Math.round(p99Limit)} ms (max(${o.p99Factor} × ${s.p99Ms}, ${s.p99Ms} + ${o.minIncreaseMs}))`,
      actual: `p99 ${c.p99Ms} ms, p50 ${c.p50Ms ?? '?'} ms over ${c.requests} requests`,
      remediation: `abort the canary: it answers slower than stable. Compare pod ${pod} with the stable pods (CPU throttling, database load, a migration still running, a plugin).`,
    });
  }
  return out;
}

/** One side without numbers to compare: inconclusive, never a pass. */
function sideWithoutData(side: 'canary' | 'stable', name: string, scope: Scope, actual: string): Finding {
  return { message: `inconclusive: the ${side} pods gave no metrics to compare`, subject: { kind: 'Deployment', namespace: scope.namespace, name }, expected: 'mattermost_api_time of the canary and of the stable pods over the same window', actual, remediation: REMEDY_NO_DATA };
}

/** Pods and their states, for a side that gave too little. */
const podStates = (m: ServerMetrics, min: number): string =>
  `${m.groups[ALL_HANDLERS]?.requests ?? 0} requests (minRequests ${min}) from ${m.pods.map((p) => `${p.pod} ${p.state}`).join(', ') || 'no Ready pod'}`;

/**
 * Each canary pod, per handler group, against the stable pods together (the same group of the
 * stable side's serverMetrics): groups where either side has fewer than minRequests are not
 * judged; a side with no data at all is inconclusive.
 */
function compareMetrics(canaryIn: ServerMetrics | CollectError | undefined, stableIn: ServerMetrics | CollectError | null | undefined, names: { canary: string; stable: string }, scope: Scope, o: MetricLimits): Judged {
  const c = present(canaryIn);
  const s = present(stableIn) ?? undefined;
  const why = (v: ServerMetrics | CollectError | null | undefined) => (isCollectError(v) ? v.message : 'not collected');
  if (!c || !s) {
    return { fails: [], judged: 0, noData: [...(c ? [] : [sideWithoutData('canary', names.canary, scope, why(canaryIn))]), ...(s ? [] : [sideWithoutData('stable', names.stable, scope, why(stableIn))])] };
  }
  const min = minRequestsOf(o.minRequests, c);
  const worse: Finding[] = [];
  const j = judgePods(c, scope, min, (pod, g, cs) => {
    const ss = baselineOf(s, g, min);
    if (ss) worse.push(...worseThanStable(pod, g, cs, ss, scope, o));
    return undefined;
  });
  const noData = baselineOf(s, ALL_HANDLERS, min) ? j.noData : [...j.noData, sideWithoutData('stable', names.stable, scope, podStates(s, min))];
  return { fails: [...j.fails, ...worse], noData, judged: j.judged };
}

const ms = (g: GroupStats | undefined): number => g?.p99Ms ?? -1;
const ratioOf = (g: GroupStats | undefined): number => g?.ratio ?? -1;

export const canaryAnalysis = defineCheck({
  meta: {
    id: 'canary-analysis',
    phase: 'post',
    title: 'Canary: the journeys reached the canary, and it is no worse than stable — promote canary',
    failureTitle: 'Canary: not proven or worse than stable — abort canary',
    description: 'A canary verified through the production host proves nothing unless the requests reached canary pods, and a canary that logs more errors than the stable pods, fails journeys they pass, or answers more 5xx or slower than they do would take its faults to every user once promoted. The metrics comparison reads mattermost_api_time of the canary pods (serverMetrics) and of the stable pods (stableServerMetrics) over the same window: per handler group with at least minRequests on both sides, each canary pod\'s 5xx share must stay ≤ max(errorRatioFactor × stable, stable + maxErrorRatioIncrease) and its p99 ≤ max(p99Factor × stable p99, stable p99 + minIncreaseMs), the stable pods taken together. No data on either side (no series, too few requests, an unlicensed server) is inconclusive, never a pass: noData: error (default) blocks, noData: warn warns.',
    requires: ['installation', 'deployments', 'routingProbe', 'podLogs', 'stablePodLogs'],
    // Optional so that a metrics failure leaves a run without a canary not-applicable; on the canary side it is judged (no data: inconclusive).
    optional: ['smokeJourney', 'serverMetrics', 'stableServerMetrics'],
    recommended: 'error',
  },
  options: optionsSchema,
  evaluate(input, { scope, options }) {
    const cr = input.installation;
    // Only a canary run has a canary side (core/strategy.ts scopeFor).
    if (scope.side !== 'canary' || !isClusterInstallation(cr)) {
      return { status: 'not-applicable', reason: scope.strategy === 'canary' ? 'this run judges the stable side' : 'no canary is enabled' };
    }
    const canary = canaryOf(cr);
    const want = deploymentVersion(input.deployments.find((d) => d.metadata.name === canary.name));
    const fails: Finding[] = [];
    const subject = { kind: 'Deployment', namespace: scope.namespace, name: canary.name };
    const { versions, failed } = input.routingProbe ? answerVersions(input.routingProbe) : { versions: {}, failed: ['no answers'] };
    const off = Object.keys(versions).filter((v) => v !== want);
    if (!want || off.length > 0 || failed.length > 0 || Object.keys(versions).length === 0) {
      fails.push({ message: `requests with the cookie ${CANARY_COOKIE} through the production host answered ${versionsText(versions)}${failed.length ? ` (${failed.length} failed)` : ''}, not only the canary's ${want ?? '?'}`, subject: { kind: 'Ingress', namespace: scope.namespace, name: canary.name }, expected: `X-Version-Id ${want ?? 'the canary version'} on every answer`, actual: versionsText(versions), remediation: `check Ingress ${canary.name}: nginx.ingress.kubernetes.io/canary "true" and canary-by-cookie "canary", backend Service ${canary.name}` });
    }
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
    const metrics = compareMetrics(input.serverMetrics, input.stableServerMetrics, { canary: canary.name, stable: cr.metadata.name }, scope, options);
    const found = fails.length + metrics.fails.length > 0;
    const unseen = errors.length > 0 || (options.noData === 'error' && metrics.noData.length > 0);
    const verdict = found ? 'abort canary' : unseen ? 'inconclusive' : 'promote canary';
    const [cm, sm] = [present(input.serverMetrics)?.groups[ALL_HANDLERS], present(input.stableServerMetrics ?? undefined)?.groups[ALL_HANDLERS]];
    return metricsOutcome({ ...metrics, fails: [...fails, ...metrics.fails] }, options.noData, `${verdict}: ${versionsText(versions)} through the cookie; errors per pod canary ${c?.perPod.toFixed(1) ?? '?'} vs stable ${s?.perPod.toFixed(1) ?? '?'}; 5xx canary ${cm ? pct(cm.ratio ?? 0) : '?'} vs stable ${sm ? pct(sm.ratio ?? 0) : '?'}, p99 canary ${cm?.p99Ms ?? '?'} ms vs stable ${sm?.p99Ms ?? '?'} ms`, {
      verdict, canaryVersion: want ?? 'unknown', canaryErrorsPerPod: c?.perPod ?? -1, stableErrorsPerPod: s?.perPod ?? -1,
      canaryErrorRatio: ratioOf(cm), stableErrorRatio: ratioOf(sm), canaryP99Ms: ms(cm), stableP99Ms: ms(sm),
    }, errors);
  },
});

export default canaryAnalysis;

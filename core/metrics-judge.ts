/**
 * How the metrics checks judge (metrics-health, error-rate, api-latency, user PromQL checks):
 * each Ready pod and each of its handler groups with enough requests is held to the limits; a
 * pod or a group that gives no number is "no data", which is never a pass. It is inconclusive,
 * and the check's `noData` option says whether inconclusive blocks (error, the default: the
 * result is `error` NO_DATA) or warns. Every finding names the pod and the handler group.
 */
import { z } from 'zod';
import { fromBaseline, type Baseline, type BaselineMiss } from './baseline.js';
import { ALL_HANDLERS, type GroupStats, type RolloutMetrics, type ServerMetrics } from './metrics-types.js';
import { outcomeOf, type NotLooked } from './outcome.js';
import { isCollectError, type CollectError, type Finding, type Measurements, type Outcome, type Scope } from './types.js';

export const noDataOption = z.enum(['error', 'warn']).default('error')
  .describe('No data (no series, too few requests, an unlicensed server, a stale scrape) is inconclusive, never a pass: error makes the result error NO_DATA (blocks), warn makes it a warning.');
export const minRequestsOption = z.number().int().positive().optional()
  .describe('Overrides metrics.minRequests (default 50): handler groups with fewer requests in the window are not judged; a pod under it over all handlers is no data.');

/** The minimum sample: the check's option, else the one collected with the data (metrics.minRequests). */
export const minRequestsOf = (option: number | undefined, m: { readonly minRequests?: number }): number => option ?? m.minRequests ?? 50;

export const podSubject = (scope: Scope, pod: string) => ({ kind: 'Pod', namespace: scope.namespace, name: pod });
export const groupName = (g: string): string => (g === ALL_HANDLERS ? 'all handlers' : `handler ${g}`);
export const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

export const REMEDY_NO_DATA = 'Make the metrics readable: a licence with metrics and MetricsSettings.Enable=true on every server; Prometheus scraping the pods (or metrics.source: scrape); traffic in the window (verify --traffic in quiet hours, or a longer metrics.window / metrics.scrapeInterval). Set the check\'s noData: warn only if you accept promoting without metrics.';

export interface Judged {
  readonly fails: Finding[];
  readonly noData: Finding[];
  /** Pod × group pairs held to the limits. */
  readonly judged: number;
}

/**
 * Walks every pod and every group with at least minRequests requests; `judge` returns a finding
 * when the group breaks a limit. Pods without data, or under minRequests over all handlers,
 * become no-data findings.
 */
export function judgePods(m: ServerMetrics, scope: Scope, minRequests: number, judge: (pod: string, group: string, s: GroupStats) => Finding | undefined): Judged {
  const fails: Finding[] = [];
  const noData: Finding[] = [];
  let judged = 0;
  if (m.pods.length === 0) {
    noData.push({ message: 'inconclusive: no Ready Mattermost pod to read metrics from', subject: { kind: 'Mattermost', namespace: scope.namespace, name: scope.installation }, expected: 'Ready pods with metrics', actual: 'none', remediation: REMEDY_NO_DATA });
  }
  for (const p of m.pods) {
    const subject = podSubject(scope, p.pod);
    if (p.state !== 'ok') {
      noData.push({ message: `inconclusive: no metrics for pod ${p.pod} (${p.state})`, subject, expected: `mattermost_api_time from ${m.source === 'prometheus' ? 'Prometheus' : '/metrics'}`, actual: p.detail ?? p.state, remediation: REMEDY_NO_DATA });
      continue;
    }
    const all = p.groups[ALL_HANDLERS]?.requests ?? 0;
    if (all < minRequests) {
      noData.push({ message: `inconclusive: pod ${p.pod} served ${all} API requests in the ${m.windowSeconds}s window, fewer than minRequests ${minRequests}`, subject, expected: `≥ ${minRequests} requests`, actual: String(all), remediation: REMEDY_NO_DATA });
      continue;
    }
    for (const [g, s] of Object.entries(p.groups)) {
      if (s.requests < minRequests) continue;
      judged++;
      const f = judge(p.pod, g, s);
      if (f) fails.push(f);
    }
  }
  return { fails, noData, judged };
}

/** The allowance over a reference value: factor × it or it + increase, whichever allows more (small references are noisy). */
export const relativeLimit = (reference: number, factor: number, increase: number): number => Math.max(factor * reference, reference + increase);

/**
 * judgePods against the preflight metrics (verify --baseline): `judge` also gets the group's
 * preflight stats when the baseline saw enough of it. Without a baseline the groups are still
 * judged (against the absolute limits) and the missing baseline is one more no-data finding.
 */
export function judgeAgainstBaseline(
  m: ServerMetrics, baseline: Baseline | null | CollectError | undefined, scope: Scope, minRequestsOption: number | undefined, what: string,
  judge: (pod: string, group: string, s: GroupStats, before: GroupStats | undefined) => Finding | undefined,
): Judged & { readonly base: ServerMetrics | null } {
  const b = fromBaseline(baseline, 'serverMetrics');
  const min = minRequestsOf(minRequestsOption, m);
  const base = b.ok ? b.value : null;
  const j = judgePods(m, scope, min, (pod, g, s) => judge(pod, g, s, baselineOf(base, g, min)));
  if (!b.ok) j.noData.push(noBaselineFinding(b, scope, what));
  return { ...j, base };
}

/** The outcome: limits broken fail; no data is inconclusive at the noData level; the summary says which. */
export function metricsOutcome(j: Judged, noDataLevel: 'error' | 'warn', summary: string, measured: Measurements, notLooked: readonly NotLooked[] = []): Outcome {
  const inconclusive = j.noData.length > 0;
  const note = inconclusive ? `; inconclusive (${j.noData.length} without data): noData is ${noDataLevel}, so ${noDataLevel === 'error' ? 'it blocks' : 'it only warns'}` : '';
  return outcomeOf({
    fails: j.fails,
    // No data is could-not-look: at level error it is `error` NO_DATA (beside any limit broken), never a fail.
    errors: [...notLooked, ...(noDataLevel === 'error' ? j.noData.map((f) => ({ ...f, code: 'NO_DATA' })) : [])],
    warns: noDataLevel === 'warn' ? j.noData : [],
    summary: `${summary}${note}`,
    measured: { ...measured, judged: j.judged, inconclusive, noData: noDataLevel },
  });
}

/** The finding when verify has no preflight metrics to compare with: inconclusive. */
export function noBaselineFinding(b: BaselineMiss, scope: Scope, what: string): Finding {
  return {
    message: `inconclusive: no preflight baseline of the metrics, so "${what}" cannot be judged`,
    subject: b.path ? { kind: 'File', name: b.path } : { kind: 'Mattermost', namespace: scope.namespace, name: scope.installation },
    expected: 'verify --baseline <preflight.snapshot.json with serverMetrics>', actual: b.given ? b.reason : 'no --baseline',
    remediation: b.given
      ? 'Run preflight with this mmgate and the config verify uses before the upgrade (it records the metrics whenever this check is on; they must be readable then: a licence with metrics, Prometheus or the pods\' /metrics), and give its preflight.snapshot.json to verify --baseline.'
      : 'Give verify --baseline the preflight.snapshot.json that preflight wrote before the upgrade.',
  };
}

/** Baseline stats of a group, when the baseline saw enough of it to compare. */
export function baselineOf(base: ServerMetrics | null | undefined, group: string, minRequests: number): GroupStats | undefined {
  const s = base?.groups[group];
  return s && s.requests >= minRequests ? s : undefined;
}

export const serverErrorsOption = z.strictObject({
  maxRatio: z.number().min(0).max(1).default(0.01).describe('Largest share of API requests the servers answered 5xx during the rollout.'),
  minRequests: z.number().int().positive().optional().describe('Fewer requests than this during the rollout is no data (default metrics.minRequests).'),
  noData: noDataOption,
}).default({ maxRatio: 0.01, noData: 'error' }).describe('The servers\' own 5xx ratio during the rollout (mattermost_api_time, from Prometheus or /metrics), besides the front-door probes.');

/** Findings on the 5xx the servers answered during a rollout (rollout-availability). */
export function serverErrorFindings(rm: RolloutMetrics | CollectError | undefined, o: z.output<typeof serverErrorsOption>, scope: Scope): { fails: Finding[]; warns: Finding[]; measured: Measurements } {
  const subject = { kind: 'Mattermost', namespace: scope.namespace, name: scope.installation };
  const noData = (actual: string): { fails: Finding[]; warns: Finding[]; measured: Measurements } => {
    const f: Finding = { message: 'inconclusive: the servers\' own 5xx during the rollout could not be judged', subject, expected: `≥ ${minRequestsOf(o.minRequests, isCollectError(rm) || !rm ? {} : rm)} API requests in mattermost_api_time`, actual, remediation: REMEDY_NO_DATA };
    return { fails: o.noData === 'error' ? [f] : [], warns: o.noData === 'warn' ? [f] : [], measured: { serverErrorsNoData: o.noData } };
  };
  if (!rm || isCollectError(rm)) return noData(rm ? rm.message : 'not collected');
  const min = minRequestsOf(o.minRequests, rm);
  if (rm.requests < min) return noData(`${rm.requests} requests${rm.unreadable.length ? `; unreadable: ${rm.unreadable.join(', ')}` : ''}`);
  const ratio = rm.errors / rm.requests;
  const measured = { serverRequests: rm.requests, serverErrors: rm.errors, serverErrorRatio: ratio };
  if (ratio <= o.maxRatio) return { fails: [], warns: [], measured };
  const worst = Object.entries(rm.pods).filter(([, p]) => p.errors > 0).sort((a, b) => b[1].errors - a[1].errors);
  return { fails: [{
    message: `the servers answered ${pct(ratio)} of ${rm.requests} API requests with 5xx during the rollout`, subject,
    expected: `≤ ${pct(o.maxRatio)} 5xx`, actual: `${rm.errors} of ${rm.requests}`,
    remediation: 'users saw errors the front-door probe did not catch: read the pods\' logs for the 5xx (kubectl logs -c mattermost), and roll back if the new version causes them',
    evidence: worst.slice(0, 5).map(([pod, p]) => `${pod}: ${Math.round(p.errors)} of ${Math.round(p.requests)} 5xx`),
  }], warns: [], measured };
}

/**
 * Prevents upgrading an installation that is already failing or slow: an upgrade started on top
 * of a 5xx storm or a saturated database cannot be judged afterwards (was it the upgrade?), and a
 * rollout adds load. The same numbers, saved in the preflight snapshot, are the baseline
 * error-rate and api-latency compare the upgraded pods with.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { groupName, judgePods, metricsOutcome, minRequestsOf, minRequestsOption, noDataOption, pct, podSubject } from '../../core/metrics-judge.js';
import { ALL_HANDLERS } from '../../core/metrics-types.js';

export const metricsHealth = defineCheck({
  meta: {
    id: 'metrics-health',
    phase: 'pre',
    title: 'The Mattermost servers answer without errors and in time before the upgrade',
    failureTitle: 'The Mattermost servers already fail or are slow (or their metrics cannot be read)',
    description: 'Reads every Ready pod\'s mattermost_api_time histogram over a window (Prometheus, or two scrapes of /metrics): the share of 5xx answers and the p99 latency per handler group and per pod must be under absolute limits before the upgrade starts. The same numbers (serverMetrics) are the baseline of error-rate and api-latency, recorded at preflight whenever those are on, with this check on or off. No data is inconclusive, never a pass.',
    requires: ['serverMetrics'],
    recommended: 'error',
  },
  options: z.strictObject({
    maxErrorRatio: z.number().min(0).max(1).default(0.05).describe('Largest share of 5xx answers of a handler group on a pod.'),
    maxP99Ms: z.number().positive().default(2000).describe('Largest p99 latency of a handler group on a pod, in ms.'),
    minRequests: minRequestsOption,
    noData: noDataOption,
  }),
  evaluate({ serverMetrics: m }, { options: o, scope }) {
    const min = minRequestsOf(o.minRequests, m);
    let worstRatio = 0;
    let worstP99 = 0;
    const j = judgePods(m, scope, min, (pod, g, s) => {
      worstRatio = Math.max(worstRatio, s.ratio ?? 0);
      worstP99 = Math.max(worstP99, s.p99Ms ?? 0);
      const subject = podSubject(scope, pod);
      if ((s.ratio ?? 0) > o.maxErrorRatio) {
        return { message: `pod ${pod}, ${groupName(g)}: ${pct(s.ratio!)} of ${s.requests} requests answered 5xx before the upgrade`, subject, expected: `≤ ${pct(o.maxErrorRatio)} 5xx`, actual: `${s.errors} of ${s.requests} (${pct(s.ratio!)})`, remediation: 'Find and fix the failing requests first (the pod\'s logs, the database, the file store): an upgrade on top of failures cannot be judged, and makes them worse.' };
      }
      if ((s.p99Ms ?? 0) > o.maxP99Ms) {
        return { message: `pod ${pod}, ${groupName(g)}: p99 latency ${s.p99Ms} ms before the upgrade`, subject, expected: `p99 ≤ ${o.maxP99Ms} ms`, actual: `${s.p99Ms} ms over ${s.requests} requests`, remediation: 'Find why the server is slow (database load, CPU limits, a plugin) before upgrading: a rollout adds load, and a slow baseline hides a regression.' };
      }
      return undefined;
    });
    const all = m.groups[ALL_HANDLERS];
    return metricsOutcome(j, o.noData, `${m.pods.length} pod(s) read from ${m.where} over ${m.windowSeconds}s; ${j.judged} pod × handler group(s) judged; worst 5xx ${pct(worstRatio)}, worst p99 ${worstP99} ms`, {
      source: m.source, pods: m.pods.length, windowSeconds: m.windowSeconds, worstErrorRatio: worstRatio, worstP99Ms: worstP99,
      ...(all ? { requests: all.requests, errors: all.errors, ...(all.p99Ms !== null ? { p99Ms: all.p99Ms } : {}) } : {}),
    });
  },
});

export default metricsHealth;

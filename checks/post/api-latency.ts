/**
 * Prevents promoting an upgrade that works but is slower: a new version that doubles p99 latency
 * passes every smoke journey. Each upgraded pod's p99 per handler group (histogram_quantile over
 * mattermost_api_time_bucket) is compared with the same group's p99 at preflight (--baseline).
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { groupName, judgeAgainstBaseline, metricsOutcome, minRequestsOption, noDataOption, podSubject, relativeLimit } from '../../core/metrics-judge.js';
import type { Finding } from '../../core/types.js';

export const apiLatency = defineCheck({
  meta: {
    id: 'api-latency',
    phase: 'post',
    title: 'The upgraded servers answer as fast as before',
    failureTitle: 'The upgraded servers answer slower than before (or their metrics cannot be read)',
    description: 'Per pod and per handler group, the p99 of mattermost_api_time over the window, with Prometheus\'s histogram_quantile interpolation over the bucket increases (from Prometheus, or the difference of two scrapes of /metrics: the same maths). It must stay under min(max(factor × baseline p99, baseline p99 + minIncreaseMs), maxP99Ms), the baseline being the same group at preflight (verify --baseline). Groups under minRequests are not judged. No data is inconclusive, never a pass: noData: error (default) fails and blocks, noData: warn warns.',
    requires: ['serverMetrics'],
    baseline: ['serverMetrics'],
    recommended: 'error',
  },
  options: z.strictObject({
    factor: z.number().min(1).default(1.5).describe('p99 may grow to this multiple of its preflight baseline…'),
    minIncreaseMs: z.number().min(0).default(200).describe('…or by this many ms, whichever allows more (small baselines are noisy).'),
    maxP99Ms: z.number().positive().default(5000).describe('Absolute ceiling of a group\'s p99, in ms, whatever the baseline.'),
    minRequests: minRequestsOption,
    noData: noDataOption,
  }),
  evaluate({ serverMetrics: m, baseline }, { options: o, scope }) {
    let worst = 0;
    const { base, ...j } = judgeAgainstBaseline(m, baseline, scope, o.minRequests, 'slower than before', (pod, g, s, before) => {
      if (s.p99Ms === null) return undefined;
      worst = Math.max(worst, s.p99Ms);
      const relative = before?.p99Ms != null ? relativeLimit(before.p99Ms, o.factor, o.minIncreaseMs) : Infinity;
      const limit = Math.min(relative, o.maxP99Ms);
      if (s.p99Ms <= limit) return undefined;
      return {
        message: `pod ${pod}, ${groupName(g)}: p99 ${s.p99Ms} ms${before?.p99Ms != null ? `, ${before.p99Ms} ms at preflight (×${(s.p99Ms / before.p99Ms).toFixed(1)})` : ''}`,
        subject: podSubject(scope, pod),
        expected: before?.p99Ms != null ? `p99 ≤ ${Math.round(limit)} ms (max(${o.factor} × ${before.p99Ms}, ${before.p99Ms} + ${o.minIncreaseMs}), ceiling ${o.maxP99Ms})` : `p99 ≤ ${o.maxP99Ms} ms (no baseline for this group)`,
        actual: `p99 ${s.p99Ms} ms, p50 ${s.p50Ms ?? '?'} ms over ${s.requests} requests`,
        remediation: `Compare pod ${pod} with its peers (database load, CPU throttling, a plugin, a migration still running in the background); roll back if the new version is slower.`,
      } satisfies Finding;
    });
    return metricsOutcome(j, o.noData, `${m.pods.length} pod(s) from ${m.where} over ${m.windowSeconds}s; ${j.judged} pod × handler group(s) judged; worst p99 ${worst} ms${base?.groups['*']?.p99Ms != null ? `, baseline p99 ${base.groups['*'].p99Ms} ms` : ''}`, {
      source: m.source, pods: m.pods.length, worstP99Ms: worst, ...(base?.groups['*']?.p99Ms != null ? { baselineP99Ms: base.groups['*'].p99Ms } : {}),
    });
  },
});

export default apiLatency;

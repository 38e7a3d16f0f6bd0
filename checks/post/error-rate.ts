/**
 * Prevents promoting an upgrade that works but fails more often: a new version can pass every
 * smoke journey and still answer 3 % of one handler's requests with 5xx on one pod. Each upgraded
 * pod's 5xx share per handler group is compared with what the same group showed at preflight
 * (the --baseline), with a relative and an absolute limit.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { groupName, judgeAgainstBaseline, metricsOutcome, minRequestsOption, noDataOption, pct, podSubject, relativeLimit } from '../../core/metrics-judge.js';
import type { Finding } from '../../core/types.js';

export const errorRate = defineCheck({
  meta: {
    id: 'error-rate',
    phase: 'post',
    title: 'The upgraded servers fail no more often than before',
    failureTitle: 'The upgraded servers answer more requests with 5xx than before (or their metrics cannot be read)',
    description: 'Per pod and per handler group, the 5xx share over the window: increase(mattermost_api_time_count{status_code=~"5.."}) / increase(mattermost_api_time_count) from Prometheus, or the difference of two scrapes of the pod\'s /metrics (never mattermost_http_errors_total, which counts 4xx too). It must stay under min(max(factor × baseline, baseline + maxIncrease), maxRatio), the baseline being the same group\'s share at preflight (verify --baseline); a group without baseline is held to maxRatio. Groups under minRequests are not judged. No data — no series, a pod under minRequests, an unlicensed server (/metrics 404), a stale or too short scrape, no baseline — is inconclusive, never a pass: noData: error (default) fails and blocks, noData: warn warns; the summary and measured.noData say which.',
    requires: ['serverMetrics'],
    baseline: ['serverMetrics'],
    recommended: 'error',
  },
  options: z.strictObject({
    maxIncrease: z.number().min(0).max(1).default(0.01).describe('5xx share a group may add over its preflight baseline (0.01 = one percentage point).'),
    factor: z.number().min(1).default(2).describe('Or multiply its baseline share by this, whichever allows more.'),
    maxRatio: z.number().min(0).max(1).default(0.05).describe('Absolute ceiling of a group\'s 5xx share, whatever the baseline.'),
    minRequests: minRequestsOption,
    noData: noDataOption,
  }),
  evaluate({ serverMetrics: m, baseline }, { options: o, scope }) {
    let worst = 0;
    const { base, ...j } = judgeAgainstBaseline(m, baseline, scope, o.minRequests, 'more often than before', (pod, g, s, before) => {
      const ratio = s.ratio ?? 0;
      worst = Math.max(worst, ratio);
      const relative = before ? relativeLimit(before.ratio ?? 0, o.factor, o.maxIncrease) : Infinity;
      const limit = Math.min(relative, o.maxRatio);
      if (ratio <= limit) return undefined;
      return {
        message: `pod ${pod}, ${groupName(g)}: ${pct(ratio)} of ${s.requests} requests answered 5xx${before ? `, ${pct(before.ratio ?? 0)} at preflight` : ''}`,
        subject: podSubject(scope, pod),
        expected: before ? `≤ ${pct(limit)} (baseline ${pct(before.ratio ?? 0)}: max(${o.factor}×, +${pct(o.maxIncrease)}), ceiling ${pct(o.maxRatio)})` : `≤ ${pct(o.maxRatio)} (no baseline for this group)`,
        actual: `${s.errors} of ${s.requests} (${pct(ratio)})`,
        remediation: `Read pod ${pod}'s logs for the failing ${g === '*' ? 'requests' : `${g} requests`} (kubectl logs ${pod} -c mattermost | grep '"level":"error"'); roll back if the new version causes them.`,
      } satisfies Finding;
    });
    return metricsOutcome(j, o.noData, `${m.pods.length} pod(s) from ${m.where} over ${m.windowSeconds}s; ${j.judged} pod × handler group(s) judged; worst 5xx ${pct(worst)}${base ? `, baseline ${pct(base.groups['*']?.ratio ?? 0)}` : ''}`, {
      source: m.source, pods: m.pods.length, worstErrorRatio: worst, ...(base?.groups['*'] ? { baselineErrorRatio: base.groups['*'].ratio ?? 0 } : {}),
    });
  },
});

export default errorRate;

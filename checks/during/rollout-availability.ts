/**
 * Prevents a "zero-downtime" upgrade that was not: the runbook says keep at least one pod serving
 * during the rollout. While the operator replaces pods (maxSurge 1, maxUnavailable 0), users must
 * still reach Mattermost through the front door. The watch probes it several times a second, so a
 * sub-second gap (a readiness or connection-draining gap of the load balancer, whose 503s never
 * reach Mattermost or its metrics) is seen; every run of failed probes is an outage on the time
 * line, judged against maxOutage and maxFailedProbes. The servers' own 5xx ratio meanwhile
 * (mattermost_api_time) is judged too: a pod that answers 500s behind a healthy front door is
 * downtime as well. Each judgement below is one function, one entry in JUDGEMENTS.
 */
import { installationRef } from '../../core/mattermost.js';
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { DURATION_PATTERN, formatDuration, parseDuration } from '../../core/duration.js';
import { serverErrorFindings, serverErrorsOption } from '../../core/metrics-judge.js';
import type { RolloutMetrics } from '../../core/metrics-types.js';
import { outcomeOf, type NotLooked } from '../../core/outcome.js';
import { achievedRate, outageLine, timelineOf } from '../../core/rollout-timeline.js';
import type { RolloutWatch } from '../../core/rollout-types.js';
import type { CollectError, Finding, Measurements, Outage, Scope } from '../../core/types.js';

const options = z.strictObject({
  maxFailedProbes: z.number().int().nonnegative().default(0).describe('Failed front-door probes tolerated over the whole watch.'),
  maxOutage: z.string().regex(DURATION_PATTERN).default('0s').describe('Longest outage tolerated: a run of consecutive failed probes, from the first failed one to the next good one (e.g. 2s).'),
  minReadyPods: z.number().int().nonnegative().default(1).describe('Fewest Ready Mattermost pods at any rollout sample.'),
  serverErrors: serverErrorsOption,
});
type Options = z.output<typeof options>;

/** What one judgement found: blocking and warning findings, and its figures. */
interface Judged { fails?: Finding[]; errors?: NotLooked[]; warns?: Finding[]; measured?: Measurements }
interface Ctx { w: RolloutWatch; options: Options; scope: Scope; outages: readonly Outage[]; metrics: RolloutMetrics | CollectError | undefined }

/** Outages and failed probes against maxOutage and maxFailedProbes. */
function judgeOutages({ w, options: o, scope, outages }: Ctx): Judged {
  const judged = w.probes.filter((p) => !p.stalled);
  const failed = judged.filter((p) => !p.ok).length;
  let longest: Outage | undefined;
  for (const x of outages) if (!longest || x.durationMs > longest.durationMs) longest = x;
  const longestMs = longest?.durationMs ?? 0;
  const latencies = judged.map((p) => p.latencyMs).sort((a, b) => a - b);
  const measured = {
    probes: judged.length, failedProbes: failed, outages: outages.length, longestOutageMs: longestMs,
    // floor(0.95 n) is at most n - 1: always an index of the list.
    probeP95Ms: latencies[Math.floor(latencies.length * 0.95)] ?? 0,
  };
  // No failed probe means no outage, so longestMs is 0 and within any maxOutage.
  if (failed <= o.maxFailedProbes && longestMs <= parseDuration(o.maxOutage)) return { measured };
  // Past the return a probe failed, and every failed probe is in an outage.
  const at = longest!;
  const versions = at.versionBefore || at.versionAfter ? `, ${at.versionBefore ?? '?'} → ${at.versionAfter ?? '?'}` : '';
  return {
    measured,
    fails: [{
      message: `${failed} of ${judged.length} front-door probes failed in ${outages.length} outage${outages.length === 1 ? '' : 's'}; the longest lasted ${formatDuration(longestMs)} at +${formatDuration(at.startMs)} (${at.answers.join(' ')}${versions})`,
      subject: { kind: 'Service', namespace: scope.namespace, name: w.frontDoor },
      expected: `≤ ${o.maxFailedProbes} failed probes, outages ≤ ${o.maxOutage}`, actual: `${failed} failed, longest outage ${formatDuration(longestMs)}`,
      remediation: 'Keep maxUnavailable 0 with maxSurge ≥ 1, make the readiness probe reflect real readiness, give the pods a preStop delay longer than the load balancer\'s deregistration, and check the Ingress/Service routes only to Ready pods; roll back if users are affected.',
      evidence: outages.slice(0, 5).map(outageLine),
    }],
  };
}

/** The fewest Ready pods at any rollout sample, and the samples where Kubernetes could not be read. */
function judgeReadyPods({ w, options: o, scope }: Ctx): Judged {
  const known = w.samples.filter((s) => s.kubeError === undefined);
  // Could not look: no count is not a count of zero.
  if (known.length === 0) return { errors: [{ code: 'PODS_NOT_LISTED', message: 'the Kubernetes API could not be read at any sample, so Ready pods were never counted', subject: installationRef(scope), expected: 'pod counts', actual: 'none', remediation: 'check the kubeconfig and RBAC (list pods) and rerun' }] };
  // The first sample with the fewest Ready pods: when the dip began.
  const least = known.reduce((a, s) => (s.readyPods < a.readyPods ? s : a));
  const minReady = least.readyPods;
  const fails: Finding[] = minReady < o.minReadyPods ? [{
    message: `only ${minReady} Mattermost pod${minReady === 1 ? ' was' : 's were'} Ready at +${formatDuration(least.elapsedMs)}`,
    subject: installationRef(scope),
    expected: `≥ ${o.minReadyPods} Ready pod(s) at every sample`, actual: `${minReady}`,
    remediation: 'the rollout took down pods before new ones were Ready: use RollingUpdate with maxUnavailable 0 and at least 2 replicas',
  }] : [];
  const gaps = w.samples.length - known.length;
  const warns: Finding[] = gaps > 0 ? [{ message: `the Kubernetes API could not be read at ${gaps} of ${w.samples.length} samples: Ready pods were not counted then`, expected: 'every sample read', actual: `${gaps} missed` }] : [];
  return { fails, warns, measured: { minReadyPods: minReady } };
}

/** The probe rate achieved: below half the configured one, the watch did not look as often as promised. */
function judgeProbeRate({ w }: Ctx): Judged {
  const rate = achievedRate(w.probes, w.probePeriodMs);
  const stalled = w.probes.filter((p) => p.stalled).length;
  const measured = { probeRate: w.probeRate, achievedProbeRate: Math.round(rate * 10) / 10, ...(stalled ? { stalledProbes: stalled } : {}) };
  if (rate >= w.probeRate / 2) return { measured };
  return {
    measured,
    warns: [{
      message: `the watch probed the front door ${measured.achievedProbeRate} times a second, under half the ${w.probeRate} asked for: an outage shorter than ${formatDuration(1000 / Math.max(rate, 0.01))} could have gone unseen`,
      expected: `≥ ${w.probeRate / 2} probes/s (half of watch.probeRate)`, actual: `${measured.achievedProbeRate} probes/s${stalled ? `, ${stalled} probes lost to mmgate stalling` : ''}`,
      remediation: 'Give mmgate watch a CPU of its own (it shares one with other work), or lower watch.probeRate to what it can keep up.',
    }],
  };
}

/** The 5xx share of the API requests the servers answered during the rollout (serverErrors). */
function judgeServerErrors({ metrics, options: o, scope }: Ctx): Judged {
  return serverErrorFindings(metrics, o.serverErrors, scope);
}

const JUDGEMENTS: readonly ((c: Ctx) => Judged)[] = [judgeOutages, judgeReadyPods, judgeProbeRate, judgeServerErrors];

export const rolloutAvailability = defineCheck({
  meta: {
    id: 'rollout-availability',
    phase: 'during',
    title: 'Mattermost kept serving during the rollout',
    failureTitle: 'Mattermost was unavailable during the rollout',
    description: 'Probes the front door (GET /api/v4/system/ping, as every client does) at watch.probeRate, alternating a kept-alive and a fresh connection, and counts Ready Mattermost pods at each rollout read. Every run of failed probes is an outage on the time line (start, end, duration, answers, versions before and after), judged against maxOutage and maxFailedProbes; a moment without a Ready pod fails too. A probe rate achieved below half the configured one is a warning. The 5xx share of the API requests the servers answered meanwhile (mattermost_api_time, serverErrors) is judged too.',
    requires: ['rolloutWatch'],
    optional: ['rolloutMetrics'],
    recommended: 'error',
  },
  options,
  evaluate({ rolloutWatch: w, rolloutMetrics: metrics }, { options: o, scope }) {
    if (w.probes.filter((p) => !p.stalled).length === 0) {
      // Could not look: no probe judged shows neither an outage nor its absence.
      return outcomeOf({ fails: [], errors: [{ code: 'NO_PROBES', message: 'the watch judged no front-door probe, so nothing shows Mattermost stayed available', subject: { kind: 'Service', namespace: scope.namespace, name: w.frontDoor }, expected: 'probes throughout the rollout', actual: `${w.probes.length} probes, none judged`, remediation: 'rerun mmgate watch while the rollout runs' }] });
    }
    const timeline = timelineOf(w.probes, w.probePeriodMs, w.startedAt);
    const results = JUDGEMENTS.map((j) => j({ w, options: o, scope, outages: timeline.outages, metrics }));
    const measured = Object.assign({}, ...results.map((r) => r.measured ?? {})) as Record<string, number>;
    const ok = (measured['probes'] ?? 0) - (measured['failedProbes'] ?? 0);
    return outcomeOf({
      fails: results.flatMap((r) => r.fails ?? []), errors: results.flatMap((r) => r.errors ?? []), warns: results.flatMap((r) => r.warns ?? []), measured, timeline,
      summary: `${ok}/${measured['probes']} probes answered OK over ${formatDuration(timeline.durationMs)} at ${measured['achievedProbeRate']}/s; ${timeline.outages.length} outage${timeline.outages.length === 1 ? '' : 's'}; at least ${measured['minReadyPods'] ?? '?'} pod(s) Ready throughout`,
    });
  },
});

export default rolloutAvailability;

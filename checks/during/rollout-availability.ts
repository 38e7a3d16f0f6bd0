/**
 * Prevents a "zero-downtime" upgrade that was not: the runbook says keep at least one pod serving
 * during the rollout. While the operator replaces pods (maxSurge 1, maxUnavailable 0), users must
 * still reach Mattermost through the front door; a failed probe, a gap, or a moment with no Ready
 * pod means users saw errors — a rollout to stop, or a strategy (surge, readiness probes) to fix.
 */
import { installationRef } from '../../core/mattermost.js';
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { DURATION_PATTERN, formatDuration, parseDuration } from '../../core/duration.js';
import { outcomeOf } from '../../core/outcome.js';
import type { Finding } from '../../core/types.js';

export const rolloutAvailability = defineCheck({
  meta: {
    id: 'rollout-availability',
    phase: 'during',
    title: 'Mattermost kept serving during the rollout',
    failureTitle: 'Mattermost was unavailable during the rollout',
    description: 'Probes the front door (GET /api/v4/system/ping, as every client does) and counts Ready Mattermost pods throughout the rollout. A failed probe or a moment without a Ready pod is downtime users saw.',
    requires: ['rolloutWatch'],
    recommended: 'error',
  },
  options: z.strictObject({
    maxFailedProbes: z.number().int().nonnegative().default(0).describe('Failed front-door probes tolerated.'),
    maxOutage: z.string().regex(DURATION_PATTERN).default('0s').describe('Longest run of consecutive failed probes tolerated (e.g. 10s).'),
    minReadyPods: z.number().int().nonnegative().default(1).describe('Fewest Ready Mattermost pods at any sample.'),
  }),
  evaluate({ rolloutWatch: w }, { options, scope }) {
    const subject = { kind: 'Service', namespace: scope.namespace, name: w.frontDoor };
    if (w.samples.length === 0) {
      return { status: 'fail', findings: [{ message: 'the watch took no sample, so nothing shows Mattermost stayed available', subject, expected: 'at least one probe', actual: 'none', remediation: 'rerun mmgate watch while the rollout runs' }] };
    }
    const failed = w.samples.filter((s) => !s.probe.ok);
    // Longest outage: from the first failed probe of a run to the next good one (or the last sample).
    let longest = 0;
    let runStart: number | undefined;
    for (const s of w.samples) {
      if (!s.probe.ok) runStart ??= s.elapsedMs;
      else if (runStart !== undefined) { longest = Math.max(longest, s.elapsedMs - runStart); runStart = undefined; }
    }
    if (runStart !== undefined) longest = Math.max(longest, w.samples[w.samples.length - 1]!.elapsedMs - runStart + w.intervalMs);
    const known = w.samples.filter((s) => s.kubeError === undefined);
    const minReady = known.length ? Math.min(...known.map((s) => s.readyPods)) : undefined;
    const latencies = w.samples.map((s) => s.probe.latencyMs ?? 0).sort((a, b) => a - b);
    const p95 = latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.95))] ?? 0;
    const fails: Finding[] = [];
    const maxOutageMs = parseDuration(options.maxOutage);
    if (failed.length > options.maxFailedProbes || (failed.length > 0 && longest > maxOutageMs)) {
      fails.push({
        message: `${failed.length} of ${w.samples.length} front-door probes failed; the longest outage lasted about ${formatDuration(longest)}`,
        subject, expected: `≤ ${options.maxFailedProbes} failed probes, outages ≤ ${options.maxOutage}`, actual: `${failed.length} failed, longest ${formatDuration(longest)}`,
        remediation: 'keep maxUnavailable 0 with maxSurge ≥ 1, make the readiness probe reflect real readiness, and check the Ingress/Service routes only to Ready pods; roll back if users are affected',
        evidence: failed.slice(0, 5).map((s) => `+${formatDuration(s.elapsedMs)}: ${s.probe.error ?? `HTTP ${s.probe.status}`}`),
      });
    }
    if (minReady !== undefined && minReady < options.minReadyPods) {
      const at = known.find((s) => s.readyPods === minReady)!;
      fails.push({
        message: `only ${minReady} Mattermost pod${minReady === 1 ? ' was' : 's were'} Ready at +${formatDuration(at.elapsedMs)}`,
        subject: installationRef(scope),
        expected: `≥ ${options.minReadyPods} Ready pod(s) at every sample`, actual: `${minReady}`,
        remediation: 'the rollout took down pods before new ones were Ready: use RollingUpdate with maxUnavailable 0 and at least 2 replicas',
      });
    }
    const kubeGaps = w.samples.length - known.length;
    const warns: Finding[] = kubeGaps > 0 ? [{ message: `the Kubernetes API could not be read at ${kubeGaps} of ${w.samples.length} samples: Ready pods were not counted then`, expected: 'every sample read', actual: `${kubeGaps} missed` }] : [];
    if (known.length === 0) fails.push({ message: 'the Kubernetes API could not be read at any sample, so Ready pods were never counted', expected: 'pod counts', actual: 'none', remediation: 'check the kubeconfig and RBAC (list pods) and rerun' });
    return outcomeOf({
      fails, warns,
      summary: `${w.samples.length - failed.length}/${w.samples.length} probes answered OK over ${formatDuration(w.samples[w.samples.length - 1]!.elapsedMs)}; at least ${minReady ?? '?'} pod(s) Ready throughout`,
      measured: { probes: w.samples.length, failedProbes: failed.length, longestOutageMs: longest, ...(minReady !== undefined ? { minReadyPods: minReady } : {}), probeP95Ms: p95 },
    });
  },
});

export default rolloutAvailability;

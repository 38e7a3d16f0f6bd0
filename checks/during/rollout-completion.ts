/**
 * Prevents calling an upgrade done while it is stuck: a rollout that does not reach the target
 * before the deadline (new pods crash-looping, the update job failing, a node out of room) leaves
 * old and new versions side by side. The watch ends when the Mattermost resource is stable on the
 * target with every replica updated and Ready — or says how far it got.
 */
import { installationRef } from '../../core/mattermost.js';
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { formatDuration } from '../../core/duration.js';

export const rolloutCompletion = defineCheck({
  meta: {
    id: 'rollout-completion',
    phase: 'during',
    title: 'The rollout reached the target version in time',
    failureTitle: 'The rollout did not finish',
    description: 'Follows the Mattermost resource and its pods until the resource is stable on the target version with every replica updated and Ready. A rollout still running at watch.timeout is stuck: old and new servers run side by side.',
    requires: ['rolloutWatch'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate({ rolloutWatch: w }, { scope }) {
    const last = w.samples[w.samples.length - 1];
    const subject = installationRef(scope);
    const took = last ? formatDuration(last.elapsedMs) : '0s';
    if (w.completed && last) {
      return { status: 'pass', summary: `stable on ${w.targetVersion} after ${took}`, measured: { durationMs: last.elapsedMs, samples: w.samples.length } };
    }
    const where = last
      ? `state ${last.state ?? 'unknown'}, ${last.updatedReplicas ?? '?'} of ${last.specReplicas ?? '?'} replicas updated, Ready pods by version: ${Object.entries(last.versions).map(([v, n]) => `${v}×${n}`).join(', ') || 'none'}${last.kubeError ? ` (last read failed: ${last.kubeError})` : ''}`
      : 'no sample taken';
    return {
      status: 'fail',
      measured: { durationMs: last?.elapsedMs ?? 0, samples: w.samples.length },
      findings: [{
        message: w.interrupted ? `the watch was stopped after ${took}, before the rollout finished` : `the rollout did not reach ${w.targetVersion} within ${formatDuration(w.timeoutMs)}`,
        subject, expected: `stable on ${w.targetVersion}, every replica updated and Ready`, actual: where,
        remediation: 'look at the new pods (kubectl -n <ns> get pods; describe; logs) and the mattermost-update-check job; if the new version cannot start, roll back: restore the pre-upgrade backup and set spec.version back',
      }],
    };
  },
});

export default rolloutCompletion;

/**
 * Prevents stacking an upgrade on one that has not finished or has failed: the operator must
 * have settled the current spec (state `stable`, observedGeneration caught up, no status.error),
 * and the `mattermost-update-check` job of a previous attempt must not have failed or hung.
 * Changing the image mid-reconcile restarts the update job and leaves a mixed rollout.
 */
import { installationRef } from '../../core/mattermost.js';
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { duration } from '../../core/config/schema.js';
import { formatDuration, parseDuration } from '../../core/duration.js';
import { UPDATE_JOB, crResource, isClusterInstallation } from '../../core/installation.js';
import { outcomeOf } from '../../core/outcome.js';
import { MASK, URL_CREDENTIALS } from '../../core/secrets.js';
import type { Finding } from '../../core/types.js';

export const installationState = defineCheck({
  meta: {
    id: 'installation-state',
    phase: 'pre',
    title: 'The Mattermost installation is stable',
    failureTitle: 'The Mattermost installation is not stable',
    description: 'An installation still reconciling, with a reconcile error, or with a failed or stuck update job is mid-change: upgrading now stacks a new rollout on an unfinished one.',
    requires: ['installation', 'jobs'],
    recommended: 'error',
  },
  options: z.strictObject({
    updateJobTimeout: duration.default('15m').describe('How long the mattermost-update-check job may stay active before it counts as stuck.'),
  }),
  evaluate({ installation: cr, jobs }, { options, scope, now }) {
    const subject = installationRef(scope);
    const describeCr = `kubectl -n ${scope.namespace} describe ${crResource(scope)} ${scope.installation}`;
    if (cr === null) {
      return outcomeOf({
        fails: [{
          message: 'Mattermost CR not found',
          subject, expected: `Mattermost ${scope.installation} in namespace ${scope.namespace}`, actual: 'not found',
          remediation: `Check kube.namespace and kube.installation (kubectl -n ${scope.namespace} get ${crResource(scope)}s).`,
        }],
      });
    }
    const fails: Finding[] = [];
    const warns: Finding[] = [];
    const status = cr.status ?? {};
    const state = status.state;
    if (state !== 'stable') {
      const why = state === 'reconciling' ? 'the operator is still applying a change'
        : state === 'ready' ? `not all replicas updated (${status.updatedReplicas ?? 0} of ${status.replicas ?? cr.spec?.replicas ?? '?'})`
          : 'the operator has not reported a state: has it reconciled this resource?';
      fails.push({
        message: `The installation is ${state ?? 'without a state'}: ${why}`,
        subject, expected: 'status.state stable', actual: `status.state ${state ?? 'unset'}`,
        remediation: `Wait for the current change to finish (kubectl -n ${scope.namespace} get ${crResource(scope)} ${scope.installation} -w) or find why it does not (${describeCr}, operator logs).`,
      });
    }
    const generation = cr.metadata.generation;
    // A ClusterInstallation's status has no observedGeneration (its CRD): only v1beta1 can be held to it.
    if (generation !== undefined && !isClusterInstallation(cr) && (status.observedGeneration ?? 0) < generation) {
      fails.push({
        message: 'The operator has not yet processed the latest change to the Mattermost resource',
        subject, expected: `status.observedGeneration ≥ ${generation}`, actual: `status.observedGeneration ${status.observedGeneration ?? 'unset'}`,
        remediation: 'Wait for the operator to reconcile; if it does not, check that it runs (operator-health) and read its logs.',
      });
    }
    if (status.error) {
      fails.push({
        message: 'The operator reports a reconcile error on the installation',
        subject, expected: 'no status.error', actual: 'status.error set',
        remediation: `Fix the cause the error names (${describeCr}) before upgrading.`,
        // Reconcile errors can quote a database URL: keep its credentials out of the report.
        evidence: [status.error.replace(new RegExp(URL_CREDENTIALS.source, 'g'), `://${MASK}:${MASK}@`)],
      });
    }

    const job = jobs.find((j) => j.metadata.name === UPDATE_JOB);
    const jobRef = { kind: 'Job', namespace: job?.metadata.namespace ?? scope.namespace, name: UPDATE_JOB };
    if (job && (job.status?.failed ?? 0) > 0) {
      const failedCondition = job.status?.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
      fails.push({
        message: `The update job ${UPDATE_JOB} failed: the new image did not pass its migration dry-run`,
        subject: jobRef, expected: 'no failed pods', actual: `${job.status?.failed} failed pod(s)`,
        remediation: `Read its log (kubectl -n ${jobRef.namespace} logs job/${UPDATE_JOB}) and fix the cause; the operator deletes and re-creates the job on the next attempt.`,
        evidence: failedCondition?.message ? [`${failedCondition.reason ?? 'Failed'}: ${failedCondition.message}`] : [],
      });
    } else if (job && (job.status?.active ?? 0) > 0) {
      const started = Date.parse(job.status?.startTime ?? job.metadata.creationTimestamp ?? '');
      const runningMs = Number.isNaN(started) ? undefined : now.getTime() - started;
      const limitMs = parseDuration(options.updateJobTimeout);
      if (runningMs === undefined || runningMs > limitMs) {
        fails.push({
          message: `The update job ${UPDATE_JOB} looks stuck: active for ${runningMs === undefined ? 'an unknown time' : formatDuration(runningMs)}`,
          subject: jobRef, expected: `finished within ${options.updateJobTimeout}`, actual: runningMs === undefined ? 'active, no start time' : `active for ${formatDuration(runningMs)}`,
          remediation: `kubectl -n ${jobRef.namespace} describe job ${UPDATE_JOB} and read its pod's log: a migration may be waiting on a database lock.`,
        });
      }
    }
    if (cr.spec?.updateJob?.disabled === true) {
      warns.push({
        message: 'The update job is disabled: the new image would roll out without the migration dry-run',
        subject, expected: 'spec.updateJob.disabled unset or false', actual: 'spec.updateJob.disabled: true',
        remediation: 'Remove spec.updateJob.disabled so the operator runs `mattermost db migrate` in a Job before it touches the Deployment.',
      });
    }
    return outcomeOf({
      fails, warns,
      summary: `state ${state ?? 'unset'}, generation ${generation ?? '?'} observed ${status.observedGeneration ?? '?'}${job ? `; ${UPDATE_JOB} present` : ''}`,
      measured: {
        state: state ?? 'unset',
        ...(generation !== undefined ? { generation } : {}),
        ...(status.observedGeneration !== undefined ? { observedGeneration: status.observedGeneration } : {}),
        ...(status.replicas !== undefined ? { replicas: status.replicas } : {}),
        ...(status.updatedReplicas !== undefined ? { updatedReplicas: status.updatedReplicas } : {}),
      },
    });
  },
});

export default installationState;

/**
 * Prevents an upgrade that takes Mattermost down: a rolling update is zero-downtime only when
 * another pod serves while one is replaced. With a single replica the only pod is replaced, and
 * users see an outage while the new pod starts and its database migrations run.
 */
import { installationRef } from '../../core/mattermost.js';
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { installationDeployment, crResource } from '../../core/installation.js';
import { outcomeOf } from '../../core/outcome.js';
import { present } from '../../core/types.js';

export const replicaCount = defineCheck({
  meta: {
    id: 'replica-count',
    phase: 'pre',
    title: 'Enough replicas for a zero-downtime rolling upgrade',
    failureTitle: 'Too few replicas for a zero-downtime upgrade',
    description: 'With one replica the rolling update replaces the only pod: Mattermost is down while the new pod starts and runs its migrations.',
    requires: ['installation'],
    optional: ['deployments'],
    recommended: 'error',
  },
  options: z.strictObject({
    minReplicas: z.number().int().min(1).default(2).describe('Fewest replicas that keep Mattermost serving while one pod is replaced.'),
  }),
  evaluate({ installation, deployments }, { options, scope }) {
    const subject = installationRef(scope);
    if (installation === null) {
      return outcomeOf({
        fails: [{
          message: 'Mattermost CR not found: there is no installation whose replicas could be judged',
          subject, expected: `Mattermost ${scope.installation} in namespace ${scope.namespace}`, actual: 'not found',
          remediation: `Check kube.namespace and kube.installation (kubectl -n ${scope.namespace} get ${crResource(scope)}s).`,
        }],
      });
    }
    const deployment = installationDeployment(present(deployments) ?? [], scope);
    // spec.replicas may be left to the operator's size defaults; its Deployment then says what it chose.
    const replicas = installation.spec?.replicas ?? deployment?.spec?.replicas;
    const source = installation.spec?.replicas !== undefined ? 'spec.replicas' : `Deployment ${scope.installation} spec.replicas`;
    const measured = {
      ...(replicas !== undefined ? { replicas } : {}),
      ...(deployment?.status?.readyReplicas !== undefined ? { readyReplicas: deployment.status.readyReplicas } : {}),
      minReplicas: options.minReplicas,
    };
    if (replicas === undefined && !present(deployments)) {
      // Could not look: the operator may have chosen a size, and only the unread Deployment says it.
      return outcomeOf({
        fails: [],
        errors: [{
          code: 'DEPLOYMENTS_NOT_LISTED',
          message: 'The replica count is unknown: the Mattermost resource sets no spec.replicas and its Deployment could not be read',
          subject, expected: `spec.replicas of at least ${options.minReplicas}`, actual: 'Deployments not listed',
          remediation: `Grant mmgate "list" on deployments in ${scope.namespace}, or set spec.replicas: ${options.minReplicas} on the Mattermost resource.`,
        }],
        measured,
      });
    }
    if (replicas === undefined) {
      return outcomeOf({
        fails: [{
          message: 'The replica count is unknown: the Mattermost resource sets no spec.replicas and its Deployment was not found',
          subject, expected: `spec.replicas of at least ${options.minReplicas}`, actual: 'unset',
          remediation: `Set spec.replicas: ${options.minReplicas} on the Mattermost resource.`,
        }],
        measured,
      });
    }
    if (replicas >= options.minReplicas) {
      return outcomeOf({ fails: [], summary: `${replicas} replicas (${source}): one pod is replaced at a time while the others serve`, measured });
    }
    const why = replicas === 0
      ? 'the installation is scaled to zero: nothing serves, and the upgrade cannot be verified'
      : replicas === 1
        ? 'the rolling update replaces the only pod, so Mattermost is down while the new pod starts and runs its database migrations'
        : `fewer than ${options.minReplicas} pods serve while one is replaced`;
    return outcomeOf({
      fails: [{
        message: `${replicas} replica${replicas === 1 ? '' : 's'}: ${why}`,
        subject, expected: `at least ${options.minReplicas} replicas`, actual: `${replicas} (${source})`,
        remediation: `Set spec.replicas: ${options.minReplicas} on the Mattermost resource before upgrading (Mattermost runs clustered under the operator), or plan and announce a maintenance window.`,
      }],
      measured,
    });
  },
});

export default replicaCount;

/**
 * Prevents an upgrade nobody carries out, or one carried out without its safety net: the
 * Mattermost Operator performs the upgrade (update job, then rollout), so it must run and be
 * available. Operators before v1.21.0 run the update job with `mattermost version` instead of
 * `mattermost db migrate` (operator https://github.com/mattermost/mattermost-operator/blob/v1.25.9/pkg/resources/update_job.go), so migrations are not tried before the rollout.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { outcomeOf } from '../../core/outcome.js';
import type { Finding } from '../../core/types.js';
import { compareVersions, formatVersion, parseImage, parseVersion } from '../../core/version.js';

const OPERATOR_CONTAINER = 'mattermost-operator';

export const operatorHealth = defineCheck({
  meta: {
    id: 'operator-health',
    phase: 'pre',
    title: 'The Mattermost Operator is available and recent enough',
    failureTitle: 'The Mattermost Operator is unavailable or too old',
    description: 'The operator runs the update job and the rollout; if it is down nothing happens, and before v1.21.0 its update job does not run the database migrations first.',
    requires: ['operatorDeployment'],
    recommended: 'error',
  },
  options: z.strictObject({
    minVersion: z.string().refine((s) => parseVersion(s) !== undefined, 'a version such as 1.21.0').default('1.21.0')
      .describe('Oldest operator accepted; 1.21.0 is the first whose update job runs `mattermost db migrate`.'),
  }),
  evaluate({ operatorDeployment: d }, { options }) {
    if (d === null) {
      return outcomeOf({
        fails: [{
          message: 'The Mattermost Operator Deployment was not found: nothing would carry out the upgrade',
          subject: { kind: 'Deployment', name: 'mattermost-operator' }, expected: 'the operator Deployment', actual: 'not found',
          remediation: 'Set kube.operator.namespace and kube.operator.deployment to where the operator runs (kubectl get deploy -A -l name=mattermost-operator), or install it.',
        }],
      });
    }
    const namespace = d.metadata.namespace ?? '';
    const subject = { kind: 'Deployment', namespace, name: d.metadata.name };
    const fails: Finding[] = [];
    const warns: Finding[] = [];

    const available = d.status?.conditions?.find((c) => c.type === 'Available');
    const availableReplicas = d.status?.availableReplicas ?? 0;
    if (available?.status !== 'True' || availableReplicas < 1) {
      fails.push({
        message: `The operator is not available: ${availableReplicas} of ${d.spec?.replicas ?? 1} replicas available`,
        subject, expected: 'Available=True and at least 1 available replica',
        actual: `Available=${available?.status ?? 'missing'}, ${availableReplicas} available`,
        remediation: `kubectl -n ${namespace} describe deploy ${d.metadata.name} and kubectl -n ${namespace} logs deploy/${d.metadata.name}: fix the operator before upgrading.`,
        evidence: available?.message ? [['Available:', available.reason, available.message].filter(Boolean).join(' ')] : [],
      });
    }

    const containers = d.spec?.template?.spec?.containers ?? [];
    const image = (containers.find((c) => c.name === OPERATOR_CONTAINER) ?? containers[0])?.image;
    const ref = image ? parseImage(image) : undefined;
    const version = parseVersion(ref?.tag);
    const min = parseVersion(options.minVersion);
    if (!image || !version || !min) {
      const tagText = !image ? 'no container image' : ref?.tag ? `tag "${ref.tag}"` : 'a digest only';
      warns.push({
        message: `The operator version cannot be judged from its image (${tagText})`,
        subject, expected: `an image tagged v${options.minVersion} or later`, actual: image ?? 'none',
        remediation: `Pin the operator image to a release tag (mattermost/mattermost-operator:v1.25.9), or confirm by hand that it is v${options.minVersion} or later.`,
      });
    } else if (compareVersions(version, min) < 0) {
      fails.push({
        message: `The operator is v${formatVersion(version)}, older than v${formatVersion(min)}: its update job does not run the database migrations before the rollout`,
        subject, expected: `v${formatVersion(min)} or later`, actual: `v${formatVersion(version)} (${image})`,
        remediation: 'Upgrade the Mattermost Operator first (apply its CRDs by hand if Helm installed it: Helm does not upgrade CRDs), then upgrade Mattermost.',
      });
    }
    return outcomeOf({
      fails, warns,
      summary: `operator ${version ? `v${formatVersion(version)}` : (image ?? 'of unknown image')}, ${availableReplicas} available replica(s)`,
      measured: { operatorVersion: version ? formatVersion(version) : 'unknown', ...(image ? { operatorImage: image } : {}), availableReplicas },
    });
  },
});

export default operatorHealth;

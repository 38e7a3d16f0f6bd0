/**
 * Prevents trusting the operator's word for the version: the Mattermost resource's
 * status.version is copied from its spec and proves nothing (operator https://github.com/mattermost/mattermost-operator/blob/v1.25.9/controllers/mattermost/mattermost/health_check.go). What each
 * server runs is in the `X-Version-Id` header it answers with. A pod that still serves the old
 * version (a mixed cluster after a partial rollout, an image tag that does not hold the release
 * it claims) must block promotion (`fail`), and so must a pod that cannot be asked: it may be
 * the one that lags (`error`, with the call's code).
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { describeCallError, requireTargetVersion, installationRef } from '../../core/mattermost.js';
import { outcomeOf, type NotLooked } from '../../core/outcome.js';
import type { Finding } from '../../core/types.js';

export const serverVersionCheck = defineCheck({
  meta: {
    id: 'server-version',
    phase: 'post',
    title: 'Every Mattermost server reports the target version',
    failureTitle: 'Some Mattermost servers do not report the target version',
    description: 'Asks each Mattermost pod, through the Kubernetes pod proxy, for the version it runs (the X-Version-Id header of system/ping) and compares it with the target. The custom resource\'s status.version is copied from its spec and proves nothing; a pod that lags or cannot be asked blocks promotion.',
    requires: ['serverPings'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input, ctx) {
    const want = requireTargetVersion(ctx.target, 'server-version cannot judge');
    const pods = input.serverPings.pods;
    const fails: Finding[] = [];
    const errors: NotLooked[] = [];
    if (pods.length === 0) {
      fails.push({ message: `no Mattermost pods of installation ${ctx.scope.installation} to ask`, subject: installationRef(ctx.scope), expected: `pods reporting ${want}`, actual: 'no pods', remediation: `kubectl -n ${ctx.scope.namespace} get pods -l app=mattermost` });
    }
    const byVersion = new Map<string, string[]>();
    for (const p of pods) {
      const subject = { kind: 'Pod', namespace: p.namespace, name: p.pod };
      // No version header (no answer, the proxy's own error, or an answer without it): the version
      // it runs is not known, so this pod is `error`, not lagging.
      if (!p.versionId) {
        const code = p.error?.code ?? 'NO_VERSION_HEADER';
        errors.push({
          code, message: `pod ${p.pod} could not tell its version: ${p.error ? describeCallError(p.error) : 'the answer had no X-Version-Id header'}`,
          subject, expected: want, actual: `unknown (${code})`,
          remediation: p.error?.code === 'FORBIDDEN'
            ? 'grant mmgate "get" on pods/proxy in the namespace (docs/rbac.yaml)'
            : `kubectl -n ${p.namespace} describe pod ${p.pod}; kubectl -n ${p.namespace} logs ${p.pod} -c mattermost`,
          ...(p.bodyExcerpt ? { evidence: [p.bodyExcerpt] } : {}),
        });
        continue;
      }
      const have = p.version?.version;
      byVersion.set(have ?? p.versionId, [...(byVersion.get(have ?? p.versionId) ?? []), p.pod]);
      if (!have) {
        fails.push({ message: `pod ${p.pod} sent an X-Version-Id that cannot be read: ${p.versionId}`, subject, expected: want, actual: p.versionId, remediation: 'check the image is a Mattermost server build', evidence: [`X-Version-Id: ${p.versionId}`] });
      } else if (have !== want) {
        fails.push({
          message: `pod ${p.pod} runs Mattermost ${have}, not ${want}`, subject, expected: want, actual: have,
          remediation: `the pod lags the upgrade: check its image (kubectl -n ${p.namespace} get pod ${p.pod} -o jsonpath='{.spec.containers[*].image}') and the rollout; delete the pod if it is from an old ReplicaSet`,
          evidence: [`X-Version-Id: ${p.versionId}`],
        });
      }
    }
    const versions = [...byVersion.entries()];
    const onTarget = byVersion.get(want)?.length ?? 0;
    if (versions.length > 1) {
      fails.unshift({
        message: `mixed cluster: ${versions.map(([v, ps]) => `${v} on ${ps.join(', ')}`).join('; ')}`,
        subject: installationRef(ctx.scope),
        expected: `every pod on ${want}`, actual: versions.map(([v, ps]) => `${v} (${ps.length})`).join(', '),
        remediation: `lagging pods: ${versions.filter(([v]) => v !== want).flatMap(([, ps]) => ps).join(', ')}; finish the rollout before promoting`,
      });
    }
    return outcomeOf({
      fails, errors,
      summary: `${onTarget}/${pods.length} servers report ${want}${errors.length ? `, ${errors.length} could not tell` : ''}`,
      measured: { servers: pods.length, serversOnTarget: onTarget, versions: versions.length },
    });
  },
});

export default serverVersionCheck;

/**
 * Prevents upgrading on top of a broken Helm release: a release whose last operation failed or
 * is still pending (pending-upgrade, pending-install, pending-rollback) makes the next
 * `helm upgrade` refuse ("another operation is in progress") or apply on top of half-applied
 * manifests, and leaves no clean revision to roll back to.
 */
import { defineCheck } from '../../core/check.js';
import type { HelmRelease } from '../../core/kube-types.js';
import { outcomeOf } from '../../core/outcome.js';

export const helmRelease = defineCheck({
  meta: {
    id: 'helm-release',
    phase: 'pre',
    title: 'The Helm release is deployed',
    failureTitle: 'The Helm release is not in a deployed state',
    description: 'A Helm release left failed or pending by an earlier operation blocks the next helm upgrade or applies it on top of half-applied manifests.',
    requires: ['helmReleases'],
    recommended: 'error',
  },
  evaluate({ helmReleases }, { scope }) {
    if (helmReleases === null) return { status: 'not-applicable', reason: 'no Helm release configured (kube.helm.release)' };
    if (helmReleases.length === 0) {
      return outcomeOf({
        fails: [{
          message: 'The configured Helm release was not found: no release secrets (owner=helm) carry its name',
          subject: { kind: 'HelmRelease', namespace: scope.namespace, name: '(kube.helm.release)' }, expected: 'at least one revision', actual: 'no revisions',
          remediation: 'Check kube.helm.release and kube.helm.namespace against helm list -A; remove kube.helm if Helm does not manage this installation.',
        }],
      });
    }
    const revisions = [...helmReleases].sort((a, b) => b.revision - a.revision);
    const newest = revisions[0] as HelmRelease;
    const measured = {
      release: newest.name, revision: newest.revision, status: newest.status, chart: newest.chart, chartVersion: newest.chartVersion,
      ...(newest.appVersion ? { appVersion: newest.appVersion } : {}),
    };
    const release = `${newest.chart}-${newest.chartVersion}${newest.appVersion ? ` (app ${newest.appVersion})` : ''}`;
    if (newest.status === 'deployed') {
      return outcomeOf({ fails: [], summary: `${newest.name} revision ${newest.revision} deployed: ${release}`, measured });
    }
    // The revision a rollback would return to: the newest one that was deployed once.
    const lastGood = revisions.find((r) => r.revision < newest.revision && (r.status === 'superseded' || r.status === 'deployed'));
    const helm = `-n ${newest.namespace} ${newest.name}`;
    const rollback = lastGood ? `helm rollback ${newest.name} ${lastGood.revision} -n ${newest.namespace}` : `helm rollback ${newest.name} <revision> -n ${newest.namespace}`;
    const remediation = newest.status.startsWith('pending-')
      ? `An earlier ${newest.status.slice('pending-'.length)} was interrupted or is still running: check helm history ${helm} and that no helm process or CI job is running; then ${rollback}.`
      : `Read helm history ${helm} and helm status ${helm} to see why revision ${newest.revision} is ${newest.status}; fix it, then re-run the upgrade or ${rollback}.`;
    return outcomeOf({
      fails: [{
        message: `Helm release ${newest.name} revision ${newest.revision} is ${newest.status}`,
        subject: { kind: 'HelmRelease', namespace: newest.namespace, name: newest.name },
        expected: 'newest revision deployed', actual: `revision ${newest.revision} ${newest.status}`, remediation,
        evidence: revisions.slice(0, 5).map((r) => `revision ${r.revision}: ${r.status}, ${r.chart}-${r.chartVersion}${r.modifiedAt ? `, ${r.modifiedAt}` : ''}`),
      }],
      summary: `${newest.name} revision ${newest.revision} ${newest.status}${lastGood ? `; last deployed revision ${lastGood.revision}` : ''}`,
      measured,
    });
  },
});

export default helmRelease;

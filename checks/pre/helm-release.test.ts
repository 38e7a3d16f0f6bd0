import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck, type CheckCase } from '../../core/testing.js';
import type { CheckResult } from '../../core/types.js';
import { failed, helmRelease as release, type Judged } from '../fixtures.js';
import { helmRelease } from './helm-release.js';

const history = (newest: string) => [release({ revision: 7, status: newest }), release({ revision: 6, status: 'superseded' }), release({ revision: 5, status: 'superseded' })];

const cases: { name: string; input: CheckCase<Record<string, never>>; status: CheckResult['status']; then?: (r: Judged) => void }[] = [
  {
    name: 'a deployed newest revision passes with chart and app versions',
    input: { data: { helmReleases: history('deployed') } },
    status: 'pass',
    then: (r) => assert.deepEqual(r.measured, { release: 'mattermost', revision: 7, status: 'deployed', chart: 'mattermost-operator', chartVersion: '1.25.9', appVersion: 'v1.25.9' }),
  },
  {
    name: 'a failed newest revision fails and names the rollback target',
    input: { data: { helmReleases: history('failed') } },
    status: 'fail',
    then: (r) => {
      const f = r.findings[0];
      assert.equal(f?.message, 'Helm release mattermost revision 7 is failed');
      assert.deepEqual(f?.subject, { kind: 'HelmRelease', namespace: 'mattermost', name: 'mattermost' });
      assert.equal(f?.expected, 'newest revision deployed');
      assert.equal(f?.actual, 'revision 7 failed');
      assert.match(f?.remediation ?? '', /helm rollback mattermost 6 -n mattermost/);
      assert.equal(f?.evidence?.length, 3);
    },
  },
  ...['pending-upgrade', 'pending-install', 'pending-rollback'].map((status) => ({
    name: `${status} blocks`,
    input: { data: { helmReleases: history(status) } },
    status: 'fail' as const,
    then: (r: Judged) => {
      assert.equal(r.findings[0]?.actual, `revision 7 ${status}`);
      assert.match(r.findings[0]?.remediation ?? '', /helm history -n mattermost mattermost/);
    },
  })),
  {
    name: 'the newest revision is found even when the list is out of order',
    input: { data: { helmReleases: [release({ revision: 6, status: 'deployed' }), release({ revision: 8, status: 'pending-upgrade' })] } },
    status: 'fail',
    then: (r) => assert.equal(r.measured?.['revision'], 8),
  },
  {
    name: 'no Helm release configured is not applicable',
    input: { data: { helmReleases: null } },
    status: 'not-applicable',
    then: (r) => assert.equal(r.reason, 'no Helm release configured (kube.helm.release)'),
  },
  {
    name: 'a configured release with no revisions fails',
    input: { data: { helmReleases: [] } },
    status: 'fail',
    then: (r) => { assert.match(r.findings[0]?.message ?? '', /not found/); assert.equal(r.findings[0]?.actual, 'no revisions'); },
  },
  {
    name: 'a failed helmReleases collector is an error',
    input: { data: { helmReleases: failed('helmReleases') } },
    status: 'error',
  },
];

describe('helm-release', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCheck(helmRelease, c.input);
      assert.equal(r.status, c.status, JSON.stringify(r.findings.length ? r.findings : r.error));
      c.then?.(r);
    });
  }

  const judge = (helmReleases: unknown) => runCheck(helmRelease, { data: { helmReleases } });

  it('a release with no revisions names the configured release as its subject', async () => {
    const r = await judge([]);
    assert.deepEqual(r.findings[0]?.subject, { kind: 'HelmRelease', namespace: 'mattermost', name: '(kube.helm.release)' });
  });
  it('the rollback target is the newest older revision that was deployed, skipping failed ones', async () => {
    const r = await judge([release({ revision: 9, status: 'failed' }), release({ revision: 8, status: 'failed' }), release({ revision: 7, status: 'superseded' }), release({ revision: 6, status: 'superseded' })]);
    assert.match(r.findings[0]?.remediation ?? '', /helm rollback mattermost 7 -n mattermost/);
    assert.match(r.summary ?? '', /; last deployed revision 7$/);
  });
  it('an older revision still marked deployed is a rollback target', async () => {
    const r = await judge([release({ revision: 9, status: 'pending-upgrade' }), release({ revision: 8, status: 'deployed' })]);
    assert.match(r.findings[0]?.remediation ?? '', /helm rollback mattermost 8 -n mattermost/);
  });
  it('with no deployed revision before it, the rollback names no revision', async () => {
    const r = await judge([release({ revision: 1, status: 'failed' })]);
    assert.match(r.findings[0]?.remediation ?? '', /helm rollback mattermost <revision> -n mattermost/);
  });
  it('a pending operation names what was interrupted; a failed one asks why it failed', async () => {
    assert.match((await judge(history('pending-upgrade'))).findings[0]?.remediation ?? '', /^An earlier upgrade was interrupted or is still running/);
    assert.match((await judge(history('failed'))).findings[0]?.remediation ?? '', /^Read helm history .* to see why revision 7 is failed/);
  });
  it('the evidence lists the five newest revisions, newest first', async () => {
    const many = Array.from({ length: 7 }, (_, i) => release({ revision: i + 1, status: i === 6 ? 'failed' : 'superseded' }));
    const r = await judge(many);
    assert.deepEqual(r.findings[0]?.evidence?.map((e) => e.split(':')[0]), ['revision 7', 'revision 6', 'revision 5', 'revision 4', 'revision 3']);
    assert.match(r.findings[0]?.evidence?.[0] ?? '', /^revision 7: failed, mattermost-operator-1\.25\.9, 2026-11-01T08:00:00Z$/);
  });
});

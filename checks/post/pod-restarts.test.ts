import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { collectError, pod } from '../../test/fixtures/post-upgrade.js';
import check from './pod-restarts.js';

const snapshot = (pods: unknown) => ({ path: 'preflight.snapshot.json', kind: 'snapshot', collectedAt: '2026-11-20T11:00:00Z', harnessVersion: 't', data: { pods } });

describe('pod-restarts', () => {
  it('passes when restarts did not grow since the baseline', async () => {
    const r = await runCheck(check, { data: { pods: [pod('mm-a', { restarts: 2 })], baseline: snapshot([pod('mm-a', { restarts: 2 })]) } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['restarts'], 2);
    assert.equal(r.measured?.['comparedWithBaseline'], 1);
  });

  it('fails when a container restarted since the baseline, with the last termination as evidence', async () => {
    const r = await runCheck(check, { data: { pods: [pod('mm-a', { restarts: 3, lastTerminated: { reason: 'OOMKilled', exitCode: 137 } })], baseline: snapshot([pod('mm-a', { restarts: 1 })]) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /mattermost of pod mm-a restarted 2 times since the baseline/);
    assert.equal(r.findings[0]?.expected, 'restartCount 1 (as in the baseline)');
    assert.match(r.findings[0]?.evidence?.[0] ?? '', /OOMKilled, exit code 137/);
  });

  it('holds new pods to maxRestarts', async () => {
    const data = { pods: [pod('mm-new', { restarts: 1 })], baseline: snapshot([pod('mm-old')]) };
    const r = await runCheck(check, { data });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /new pod mm-new restarted 1 time/);
    assert.equal((await runCheck(check, { data, options: { maxRestarts: 1 } })).status, 'pass');
  });

  it('without a baseline judges by maxRestarts and says so', async () => {
    const r = await runCheck(check, { data: { pods: [pod('mm-a'), pod('mm-b')], baseline: null } });
    assert.equal(r.status, 'pass');
    assert.match(r.summary ?? '', /no baseline was given.*maxRestarts only/);
    const f = await runCheck(check, { data: { pods: [pod('mm-a', { restarts: 1 })] } });
    assert.equal(f.status, 'fail');
    assert.equal(f.findings[0]?.message, 'container mattermost of pod mm-a restarted 1 time');
    assert.equal(f.findings[0]?.expected, '≤ 0 restarts');
    assert.equal(f.findings[0]?.actual, 'restartCount 1');
  });

  it('says so when the baseline has no pods', async () => {
    const r = await runCheck(check, { data: { pods: [pod('mm-a')], baseline: snapshot(collectError('pods')) } });
    assert.equal(r.status, 'pass');
    assert.match(r.summary ?? '', /preflight could not look.*maxRestarts only/);
  });

  it('covers the job server container', async () => {
    const r = await runCheck(check, { data: { pods: [pod('mm-jobserver-x', { app: 'mattermost-jobserver', restarts: 4 })], baseline: null } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /mattermost-jobserver of pod mm-jobserver-x restarted 4 times/);
  });

  it('fails with no Mattermost pods', async () => {
    const r = await runCheck(check, { data: { pods: [], baseline: null } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'no Mattermost pods of installation mm');
    assert.equal(r.findings[0]?.actual, 'none');
  });

  it('errors without pods', async () => {
    const r = await runCheck(check, { data: { pods: collectError('pods'), baseline: null } });
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /pods: boom/);
  });
});

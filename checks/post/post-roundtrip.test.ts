import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { collectError, journey } from '../../test/fixtures/post-upgrade.js';
import check from './post-roundtrip.js';

describe('post-roundtrip', () => {
  it('passes when posted, read back through both pods, deleted', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey() } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['readsThroughPods'], 2);
    assert.equal(r.measured?.['createMs'], 20);
  });

  it('passes on a single pod through the front door only', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ readyPods: ['mm-a'], postReads: [{ via: 'front-door', ok: true }] }) } });
    assert.equal(r.status, 'pass');
  });

  it('fails when another pod cannot read the post', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({
      failStep: { name: 'post.read', step: { error: { code: 'HTTP_404', status: 404, message: 'read back failed through mm-b' } } },
      postReads: [{ via: 'front-door', ok: true }, { via: 'mm-a', ok: true }, { via: 'mm-b', ok: false, attempts: 3, error: { code: 'HTTP_404', status: 404, id: 'app.post.get.app_error', message: 'Unable to get the post.' } }],
    }) } });
    assert.equal(r.status, 'fail');
    const f = r.findings.find((x) => x.subject?.name === 'mm-b');
    assert.match(f?.message ?? '', /through pod mm-b/);
    assert.match(f?.actual ?? '', /HTTP 404/);
  });

  it('is error NO_POD_READS when HA but nothing was read through a pod', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ postReads: [{ via: 'front-door', ok: true }] }) } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NO_POD_READS');
    assert.match(r.findings[0]?.message ?? '', /2 pods are ready but the post was not read back through any of them/);
  });

  it('is error PODS_NOT_LISTED (fail closed) when the pods could not be listed', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ readyPods: null, readyPodsError: 'forbidden' }) } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'PODS_NOT_LISTED');
    assert.equal(r.findings[0]?.actual, 'forbidden');
    assert.equal(r.blocking, true);
  });

  it('a read the pod proxy refused is error FORBIDDEN naming the pod and the grant, not a post the pod cannot see', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({
      failStep: { name: 'post.read', step: { error: { code: 'FORBIDDEN', status: 403, message: 'read back failed through mm-b' } } },
      postReads: [{ via: 'front-door', ok: true }, { via: 'mm-a', ok: true }, { via: 'mm-b', ok: false, attempts: 1, error: { code: 'FORBIDDEN', status: 403, message: 'the API server refused the pod proxy to mm-b (403)' } }],
    }) } });
    assert.equal(r.status, 'error');
    assert.deepEqual(r.error, { code: 'FORBIDDEN', message: 'could not look at Pod mm-b (FORBIDDEN)' });
    assert.equal(r.findings.length, 1);
    assert.deepEqual(r.findings[0]?.subject, { kind: 'Pod', namespace: 'mattermost', name: 'mm-b' });
    assert.equal(r.findings[0]?.expected, 'the post as written');
    assert.match(r.findings[0]?.actual ?? '', /HTTP 403/);
    assert.match(r.findings[0]?.remediation ?? '', /pods\/proxy/);
  });

  it('fails and names a leftover post', async () => {
    const id = 'x'.repeat(26);
    const left = { kind: 'post' as const, id, part: 'post' as const, deleted: false, error: { code: 'HTTP_403', status: 403, message: 'no permission' } };
    const r = await runCheck(check, { data: { smokeJourney: journey({ failStep: { name: 'post.delete', step: { error: left.error } }, objects: [left], leftovers: [left] }) } });
    assert.equal(r.status, 'fail');
    const f = r.findings.find((x) => x.subject?.kind === 'Post');
    assert.equal(f?.subject?.name, id);
    assert.match(f?.message ?? '', new RegExp(`smoke post ${id} was left behind`));
    assert.equal(r.measured?.['leftovers'], 1);
  });

  it('ignores leftovers of other parts', async () => {
    const left = { kind: 'post' as const, id: 'w'.repeat(26), part: 'webhook' as const, deleted: false };
    const r = await runCheck(check, { data: { smokeJourney: journey({ leftovers: [left] }) } });
    assert.equal(r.status, 'pass');
  });

  it('fails a slow create when maxLatencyMs is set', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey() }, options: { maxLatencyMs: 10 } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /took 20 ms/);
  });

  it('errors without a journey', async () => {
    assert.equal((await runCheck(check, { data: { smokeJourney: collectError('smokeJourney') } })).status, 'error');
  });
});

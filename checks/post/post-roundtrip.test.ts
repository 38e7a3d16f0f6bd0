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
    assert.equal(r.measured?.['readyPods'], 2);
    assert.equal(r.measured?.['maxPodReadMs'], 12);
    assert.equal(r.measured?.['leftovers'], 0);
    assert.equal(r.summary, 'posted in ops/upgrade-smoke, read back through the front door and 2 pods, deleted');
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
    assert.equal(r.measured?.['leftovers'], 0);
  });

  it('fails a slow create when maxLatencyMs is set', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey() }, options: { maxLatencyMs: 10 } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /took 20 ms/);
    assert.equal(r.findings[0]?.expected, '≤ 10 ms');
  });

  it('holds the create step, not another, to maxLatencyMs, and passes at the limit', async () => {
    const j = journey();
    const slowCreate = { ...j, steps: j.steps.map((s) => (s.name === 'post.create' ? { ...s, latencyMs: 50 } : s)) };
    const r = await runCheck(check, { data: { smokeJourney: slowCreate }, options: { maxLatencyMs: 40 } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.actual, '50 ms');
    assert.equal((await runCheck(check, { data: { smokeJourney: slowCreate }, options: { maxLatencyMs: 50 } })).status, 'pass');
  });

  it('a create step missing from the journey is not tried, with or without a latency limit', async () => {
    const j = journey();
    const r = await runCheck(check, { data: { smokeJourney: { ...j, steps: j.steps.filter((s) => s.name !== 'post.create') } }, options: { maxLatencyMs: 10 } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NOT_TRIED');
    assert.deepEqual(r.findings.map((f) => f.actual), ['the step was not run']);
  });

  it('errors without a journey', async () => {
    assert.equal((await runCheck(check, { data: { smokeJourney: collectError('smokeJourney') } })).status, 'error');
  });
  it('fails a post that could not be created, naming the channel, and says so in the summary', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ failStep: { name: 'post.create', step: { error: { code: 'HTTP_403', status: 403, message: 'no permission' } } } }) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'creating a post in ops/upgrade-smoke failed');
    assert.match(r.findings[0]?.remediation ?? '', /create_post/);
    assert.equal(r.summary, 'post round trip in ops/upgrade-smoke failed');
  });

  it('names an unknown team and channel "?"', async () => {
    const { team: _t, channel: _c, ...j } = journey({ failStep: { name: 'post.create', step: { error: { code: 'HTTP_500', status: 500, message: 'boom' } } } });
    const r = await runCheck(check, { data: { smokeJourney: j } });
    assert.equal(r.findings[0]?.message, 'creating a post in ?/? failed');
  });

  it('still reports a failed delete beside a failed read', async () => {
    const j = journey({
      failStep: { name: 'post.read', step: { error: { code: 'HTTP_404', status: 404, message: 'read back failed through mm-b' } } },
      postReads: [{ via: 'front-door', ok: true }, { via: 'mm-a', ok: true }, { via: 'mm-b', ok: false, error: { code: 'HTTP_404', status: 404, message: 'Unable to get the post.' } }],
    });
    const steps = j.steps.map((s) => (s.name === 'post.delete' ? { name: s.name, ok: false, error: { code: 'HTTP_403', status: 403, message: 'no permission' } } : s));
    const r = await runCheck(check, { data: { smokeJourney: { ...j, steps } } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.message), ['deleting the post failed', 'the post could not be read back through pod mm-b']);
    assert.match(r.findings[0]?.remediation ?? '', /delete_post/);
  });

  it('fails a post the front door cannot read back, even without an HTTP answer', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({
      failStep: { name: 'post.read', step: { error: { code: 'TIMEOUT', message: 'read back failed at the front door' } } },
      postReads: [{ via: 'front-door', ok: false, error: { code: 'TIMEOUT', message: 'no answer in 10s' } }, { via: 'mm-a', ok: true }, { via: 'mm-b', ok: true }],
    }) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'the post could not be read back through the front door');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm' });
  });

  it('a read through a pod that got no answer is error, pointing at the pod', async () => {
    const reads = (error?: { code: string; message: string }) => [{ via: 'front-door', ok: true }, { via: 'mm-a', ok: true }, { via: 'mm-b', ok: false, ...(error ? { error } : {}) }];
    for (const [error, code] of [[{ code: 'TIMEOUT', message: 'pod proxy timed out' }, 'TIMEOUT'], [undefined, 'NO_ANSWER']] as const) {
      const r = await runCheck(check, { data: { smokeJourney: journey({ failStep: { name: 'post.read', step: { error: { code: 'TIMEOUT', message: 'x' } } }, postReads: reads(error) }) } });
      assert.equal(r.status, 'error');
      assert.equal(r.error?.code, code);
      assert.equal(r.findings[0]?.remediation, 'kubectl -n mattermost describe pod mm-b');
    }
  });

  it('does not ask for reads through pods when the read step was skipped', async () => {
    const j = journey({ failStep: { name: 'post.create', step: { error: { code: 'HTTP_500', status: 500, message: 'boom' } } }, postReads: [] });
    const steps = j.steps.map((s) => (s.name === 'post.read' ? { name: s.name, ok: false, skipped: 'post.create failed' } : s));
    const r = await runCheck(check, { data: { smokeJourney: { ...j, steps } } });
    assert.equal(r.status, 'fail');
    assert.ok(!r.findings.some((f) => /pods are ready/.test(f.message)), r.findings.map((f) => f.message).join('\n'));
  });

  it('measures the slowest read through a pod (0 when a read has no latency)', async () => {
    const r = await runCheck(check, { data: { smokeJourney: journey({ postReads: [{ via: 'front-door', ok: true, latencyMs: 99 }, { via: 'mm-a', ok: true, latencyMs: 30 }, { via: 'mm-b', ok: true }] }) } });
    assert.equal(r.measured?.['maxPodReadMs'], 30);
    const one = await runCheck(check, { data: { smokeJourney: journey({ readyPods: ['mm-a'], postReads: [{ via: 'front-door', ok: true }] }) } });
    assert.equal(one.measured?.['maxPodReadMs'], undefined);
    assert.equal(one.summary, 'posted in ops/upgrade-smoke, read back through the front door, deleted');
  });
});

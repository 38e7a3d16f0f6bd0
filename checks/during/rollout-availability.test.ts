import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { done, sample, watch } from '../../test/fixtures/rollout.js';
import check from './rollout-availability.js';

describe('rollout-availability', () => {
  it('passes when every probe answered and pods stayed Ready', async () => {
    const r = await runCheck(check, { data: { rolloutWatch: watch([sample(0), sample(2000, { readyPods: 4, pods: 4 }), done(4000)]) } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['failedProbes'], 0);
    assert.equal(r.measured?.['minReadyPods'], 3);
  });

  it('fails on failed probes and measures the longest outage', async () => {
    const down = { ok: false, status: 503, error: 'HTTP 503' } as const;
    const r = await runCheck(check, { data: { rolloutWatch: watch([sample(0), sample(2000, { probe: down, readyPods: 0 }), sample(4000, { probe: down, readyPods: 0 }), sample(6000), done(8000)]) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /2 of 5 front-door probes failed; the longest outage lasted about 4\.0s/);
    assert.match(r.findings[1]!.message, /only 0 Mattermost pods were Ready/);
    assert.deepEqual(r.findings[0]!.evidence, ['+2.0s: HTTP 503', '+4.0s: HTTP 503']);
  });

  it('tolerates what the options allow', async () => {
    const down = { ok: false, status: 502, error: 'HTTP 502' } as const;
    const data = { rolloutWatch: watch([sample(0), sample(2000, { probe: down }), done(4000)]) };
    const r = await runCheck(check, { data, options: { maxFailedProbes: 1, maxOutage: '5s' } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['failedProbes'], 1, 'tolerated, still measured');
    const strict = await runCheck(check, { data });
    assert.equal(strict.status, 'fail', 'the same probe fails without the tolerance');
    assert.match(strict.findings[0]?.message ?? '', /1 of 3 front-door probes failed/);
  });

  it('does not count pods at samples where the Kubernetes API could not be read, and says so', async () => {
    const r = await runCheck(check, { data: { rolloutWatch: watch([sample(0), sample(2000, { readyPods: 0, pods: 0, versions: {}, kubeError: 'timeout' }), done(4000)]) } });
    assert.equal(r.status, 'warn');
    assert.match(r.findings[0]!.message, /could not be read at 1 of 3 samples/);
  });

  it('fails closed with no sample, or no pod count at all', async () => {
    const none = await runCheck(check, { data: { rolloutWatch: watch([]) } });
    assert.equal(none.status, 'fail');
    assert.match(none.findings[0]?.message ?? '', /took no sample/);
    const r = await runCheck(check, { data: { rolloutWatch: watch([sample(0, { kubeError: 'forbidden', readyPods: 0 })]) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /Ready pods were never counted/);
  });

  it('is an error when the watch could not run', async () => {
    const r = await runCheck(check, { data: { rolloutWatch: { $collectError: true, key: 'rolloutWatch', code: 'NOT_CONFIGURED', message: 'set target.version' } } });
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /rolloutWatch: set target\.version/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { done, sample, watch } from '../../test/fixtures/rollout.js';
import check from './rollout-completion.js';

describe('rollout-completion', () => {
  it('passes when the resource became stable on the target, with the time it took', async () => {
    const r = await runCheck(check, { data: { rolloutWatch: watch([sample(0), done(94_000)]) } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['durationMs'], 94_000);
    assert.match(r.summary ?? '', /stable on 11\.7\.1 after 1m34s/);
  });

  it('fails at the timeout and shows how far the rollout got', async () => {
    const stuck = sample(60_000, { state: 'ready', updatedReplicas: 1, versions: { '10.11.4': 3 } });
    const r = await runCheck(check, { data: { rolloutWatch: watch([sample(0), stuck]) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /did not reach 11\.7\.1 within 1m00s/);
    assert.match(r.findings[0]!.actual ?? '', /state ready, 1 of 3 replicas updated, Ready pods by version: 10\.11\.4×3/);
    assert.deepEqual(r.measured, { durationMs: 60_000, samples: 2 });
  });

  it('fails when the watch took no sample at all, and says so', async () => {
    const r = await runCheck(check, { data: { rolloutWatch: watch([]) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]!.actual, 'no sample taken');
    assert.deepEqual(r.measured, { durationMs: 0, samples: 0 });
  });

  it('fails when the watch was interrupted before the end', async () => {
    const r = await runCheck(check, { data: { rolloutWatch: watch([sample(0)], { interrupted: true }) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /stopped after 0ms/);
  });

  it('is an error when the watch could not run', async () => {
    const r = await runCheck(check, { data: { rolloutWatch: { $collectError: true, key: 'rolloutWatch', code: 'KUBE_UNREACHABLE', message: 'cannot reach' } } });
    assert.equal(r.status, 'error');
  });
});

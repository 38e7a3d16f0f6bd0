import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { done, sample, watch } from '../../test/fixtures/rollout.js';
import type { RolloutMetrics } from '../../core/metrics-types.js';
import check from './rollout-availability.js';

/** What the servers answered during the rollout (their own mattermost_api_time). */
const servers = (errors = 0, requests = 600): RolloutMetrics =>
  ({ source: 'scrape', pods: { 'mm-new-0': { requests, errors } }, requests, errors, unreadable: [] });

describe('rollout-availability', () => {
  it('passes when every probe answered and pods stayed Ready', async () => {
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch([sample(0), sample(2000, { readyPods: 4, pods: 4 }), done(4000)]) } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['failedProbes'], 0);
    assert.equal(r.measured?.['minReadyPods'], 3);
  });

  it('fails on failed probes and measures the longest outage', async () => {
    const down = { ok: false, status: 503, error: 'HTTP 503' } as const;
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch([sample(0), sample(2000, { probe: down, readyPods: 0 }), sample(4000, { probe: down, readyPods: 0 }), sample(6000), done(8000)]) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /2 of 5 front-door probes failed; the longest outage lasted about 4\.0s/);
    assert.match(r.findings[1]!.message, /only 0 Mattermost pods were Ready/);
    assert.deepEqual(r.findings[0]!.evidence, ['+2.0s: HTTP 503', '+4.0s: HTTP 503']);
  });

  it('tolerates what the options allow', async () => {
    const down = { ok: false, status: 502, error: 'HTTP 502' } as const;
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch([sample(0), sample(2000, { probe: down }), done(4000)]) }, options: { maxFailedProbes: 1, maxOutage: '5s' } });
    assert.equal(r.status, 'pass');
  });

  it('does not count pods at samples where the Kubernetes API could not be read, and says so', async () => {
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch([sample(0), sample(2000, { readyPods: 0, pods: 0, versions: {}, kubeError: 'timeout' }), done(4000)]) } });
    assert.equal(r.status, 'warn');
    assert.match(r.findings[0]!.message, /could not be read at 1 of 3 samples/);
  });

  it('fails closed with no sample, or no pod count at all', async () => {
    assert.equal((await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch([]) } })).status, 'fail');
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch([sample(0, { kubeError: 'forbidden', readyPods: 0 })]) } });
    assert.equal(r.status, 'fail');
  });

  it('is an error when the watch could not run', async () => {
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: { $collectError: true, key: 'rolloutWatch', code: 'NOT_CONFIGURED', message: 'set target.version' } } });
    assert.equal(r.status, 'error');
  });

  it('fails when the servers answered more 5xx than serverErrors.maxRatio, though every probe passed', async () => {
    const r = await runCheck(check, { data: { rolloutMetrics: servers(30), rolloutWatch: watch([sample(0), done(2000)]) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /the servers answered 5\.00% of 600 API requests with 5xx during the rollout/);
    assert.deepEqual(r.findings[0]!.evidence, ['mm-new-0: 30 of 600 5xx']);
    assert.equal(r.measured?.['serverErrorRatio'], 0.05);
  });

  it('no server metrics is inconclusive: blocks by default, warns with serverErrors.noData: warn', async () => {
    const data = { rolloutMetrics: servers(0, 10), rolloutWatch: watch([sample(0), done(2000)]) };
    const r = await runCheck(check, { data });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /inconclusive: the servers' own 5xx/);
    const w = await runCheck(check, { data, options: { serverErrors: { maxRatio: 0.01, minRequests: 50, noData: 'warn' } } });
    assert.equal(w.status, 'warn');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { done, probes, sample, watch } from '../../test/fixtures/rollout.js';
import type { RolloutMetrics } from '../../core/metrics-types.js';
import check from './rollout-availability.js';

/** What the servers answered during the rollout (their own mattermost_api_time). */
const servers = (errors = 0, requests = 600): RolloutMetrics =>
  ({ source: 'scrape', pods: { 'mm-new-0': { requests, errors } }, requests, errors, unreadable: [] });

const rollout = [sample(0), sample(2000, { readyPods: 4, pods: 4 }), done(4000)];

describe('rollout-availability', () => {
  it('passes when every probe answered and pods stayed Ready, and reports the rate achieved', async () => {
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch(rollout) } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['failedProbes'], 0);
    assert.equal(r.measured?.['probes'], 41);
    assert.equal(r.measured?.['achievedProbeRate'], 10);
    assert.equal(r.measured?.['minReadyPods'], 3);
    assert.deepEqual(r.timeline?.outages, []);
    assert.equal(r.timeline?.samples.length, 41);
  });

  it('sees a 600 ms outage between two rollout reads, with its answers and the versions around it', async () => {
    const w = watch(rollout, { probes: probes(4100, { down: [{ from: 2400, to: 3000, status: 503 }], switchAt: 3000 }) });
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: w } });
    assert.equal(r.status, 'fail');
    const f = r.findings[0]!;
    assert.equal(f.message, '6 of 41 front-door probes failed in 1 outage; the longest lasted 600ms at +2.4s (503×6, 10.11.4 → 11.7.1)');
    assert.equal(f.actual, '6 failed, longest outage 600ms');
    assert.deepEqual(f.evidence, ['+2.4s → +3.0s  600ms  503×6  10.11.4 → 11.7.1']);
    assert.deepEqual(r.timeline?.outages, [{ startMs: 2400, endMs: 3000, durationMs: 600, failedProbes: 6, answers: ['503×6'], versionBefore: '10.11.4', versionAfter: '11.7.1', ongoing: false }]);
    assert.equal(r.measured?.['longestOutageMs'], 600);
  });

  it('counts every outage and judges the longest; refused connections and timeouts are named', async () => {
    const w = watch(rollout, { probes: probes(4100, { down: [{ from: 500, to: 700, error: 'ECONNREFUSED' }, { from: 1500, to: 1600, error: 'no answer within 80 ms' }, { from: 3000, to: 3300, status: 502 }] }) });
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: w }, options: { maxFailedProbes: 10, maxOutage: '250ms' } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /^6 of 41 front-door probes failed in 3 outages; the longest lasted 300ms at \+3\.0s \(502×3/);
    assert.deepEqual(r.timeline?.outages.map((o) => o.answers), [['ECONNREFUSED×2'], ['timeout×1'], ['502×3']]);
  });

  it('tolerates what the options allow', async () => {
    const w = watch(rollout, { probes: probes(4100, { down: [{ from: 2000, to: 2200, status: 502 }] }) });
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: w }, options: { maxFailedProbes: 2, maxOutage: '200ms' } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['failedProbes'], 2);
  });

  it('an outage still running at the end lasts until a period after the last probe', async () => {
    const w = watch(rollout, { probes: probes(1000, { down: [{ from: 800, to: 2000, status: 503 }] }) });
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: w } });
    assert.deepEqual(r.timeline?.outages[0], { startMs: 800, endMs: 1000, durationMs: 200, failedProbes: 2, answers: ['503×2'], versionBefore: '10.11.4', ongoing: true });
  });

  it('warns when the probe rate achieved is under half the configured one; stalled probes are neither good nor failed', async () => {
    const w = watch(rollout, { probes: probes(4100, { stalled: [{ from: 0, to: 3000 }] }) });
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: w } });
    assert.equal(r.status, 'warn');
    assert.equal(r.measured?.['failedProbes'], 0);
    assert.equal(r.measured?.['stalledProbes'], 30);
    assert.match(r.findings[0]!.message, /probed the front door [0-9.]+ times a second, under half the 10 asked for/);
    assert.equal(r.findings[0]!.actual, `${r.measured?.['achievedProbeRate']} probes/s, 30 probes lost to mmgate stalling`);
  });

  it('a slow but steady watch at the rate asked passes without a rate warning', async () => {
    const w = watch(rollout, { probeRate: 2, probePeriodMs: 500, probes: probes(4100, { periodMs: 500 }) });
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: w } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['achievedProbeRate'], 2);
  });

  it('fails when pods were not Ready', async () => {
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch([sample(0), sample(2000, { readyPods: 0 }), done(4000)]) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]!.message, 'only 0 Mattermost pods were Ready at +2.0s');
  });

  it('does not count pods at samples where the Kubernetes API could not be read, and says so', async () => {
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch([sample(0), sample(2000, { readyPods: 0, pods: 0, versions: {}, kubeError: 'timeout' }), done(4000)]) } });
    assert.equal(r.status, 'warn');
    assert.match(r.findings[0]!.message, /could not be read at 1 of 3 samples/);
  });

  it('fails closed with no probe, or no pod count at all', async () => {
    const none = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch([], { probes: [] }) } });
    assert.equal(none.status, 'fail');
    assert.match(none.findings[0]!.message, /judged no front-door probe/);
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch([sample(0, { kubeError: 'forbidden', readyPods: 0 })]) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /could not be read at any sample/);
  });

  it('is an error when the watch could not run', async () => {
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: { $collectError: true, key: 'rolloutWatch', code: 'NOT_CONFIGURED', message: 'set target.version' } } });
    assert.equal(r.status, 'error');
  });

  it('fails when the servers answered more 5xx than serverErrors.maxRatio, though every probe passed', async () => {
    const r = await runCheck(check, { data: { rolloutMetrics: servers(30), rolloutWatch: watch(rollout) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /the servers answered 5\.00% of 600 API requests with 5xx during the rollout/);
    assert.deepEqual(r.findings[0]!.evidence, ['mm-new-0: 30 of 600 5xx']);
    assert.equal(r.measured?.['serverErrorRatio'], 0.05);
  });

  it('no server metrics is inconclusive: blocks by default, warns with serverErrors.noData: warn', async () => {
    const data = { rolloutMetrics: servers(0, 10), rolloutWatch: watch(rollout) };
    const r = await runCheck(check, { data });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /inconclusive: the servers' own 5xx/);
    const w = await runCheck(check, { data, options: { serverErrors: { maxRatio: 0.01, minRequests: 50, noData: 'warn' } } });
    assert.equal(w.status, 'warn');
  });
});

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
    assert.equal(r.summary, '41/41 probes answered OK over 4.1s at 10/s; 0 outages; at least 3 pod(s) Ready throughout');
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
    assert.equal(r.summary, '35/41 probes answered OK over 4.1s at 10/s; 1 outage; at least 3 pod(s) Ready throughout');
    assert.deepEqual(f.subject, { kind: 'Service', namespace: 'mattermost', name: 'https://chat.example.com' });
    assert.equal(f.expected, '≤ 0 failed probes, outages ≤ 0s');
  });

  it('counts every outage and judges the longest; refused connections and timeouts are named', async () => {
    const w = watch(rollout, { probes: probes(4100, { down: [{ from: 500, to: 700, error: 'ECONNREFUSED' }, { from: 1500, to: 1600, error: 'no answer within 80 ms' }, { from: 3000, to: 3300, status: 502 }] }) });
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: w }, options: { maxFailedProbes: 10, maxOutage: '250ms' } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /^6 of 41 front-door probes failed in 3 outages; the longest lasted 300ms at \+3\.0s \(502×3/);
    assert.deepEqual(r.timeline?.outages.map((o) => o.answers), [['ECONNREFUSED×2'], ['timeout×1'], ['502×3']]);
    assert.match(r.summary ?? '', /^35\/41 probes answered OK .*; 3 outages;/);
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
    assert.equal(r.findings[0]!.message, '2 of 10 front-door probes failed in 1 outage; the longest lasted 200ms at +800ms (503×2, 10.11.4 → ?)');
  });

  it('names the versions around the longest outage only as far as probes answered them', async () => {
    const first = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch(rollout, { probes: probes(1000, { down: [{ from: 0, to: 300, error: 'ECONNREFUSED' }] }) }) } });
    assert.equal(first.findings[0]!.message, '3 of 10 front-door probes failed in 1 outage; the longest lasted 300ms at +0ms (ECONNREFUSED×3, ? → 10.11.4)');
    const never = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch(rollout, { probes: probes(1000, { down: [{ from: 0, to: 1000, status: 503 }] }) }) } });
    assert.equal(never.findings[0]!.message, '10 of 10 front-door probes failed in 1 outage; the longest lasted 1.0s at +0ms (503×10)');
  });

  it('judges the first of the longest outages, and lists at most five outages as evidence', async () => {
    const down = [{ from: 300, to: 600, status: 502 }, ...[1000, 1500, 2000, 2500].map((from) => ({ from, to: from + 100, status: 503 })), { from: 3000, to: 3300, error: 'ECONNRESET' }];
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch(rollout, { probes: probes(4100, { down }) }) }, options: { maxFailedProbes: 100, maxOutage: '200ms' } });
    assert.equal(r.status, 'fail');
    const f = r.findings[0]!;
    assert.equal(f.message, '10 of 41 front-door probes failed in 6 outages; the longest lasted 300ms at +300ms (502×3, 10.11.4 → 10.11.4)');
    assert.equal(f.expected, '≤ 100 failed probes, outages ≤ 200ms');
    assert.equal(f.evidence?.length, 5);
    assert.equal(f.evidence?.[0], '+300ms → +600ms  300ms  502×3  10.11.4 → 10.11.4');
  });

  it('fails on the number of failed probes though every outage is short enough; at maxFailedProbes it passes', async () => {
    const w = watch(rollout, { probes: probes(4100, { down: [500, 1500, 2500].map((from) => ({ from, to: from + 100, status: 503 })) }) });
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: w }, options: { maxFailedProbes: 2, maxOutage: '1s' } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]!.actual, '3 failed, longest outage 100ms');
    assert.equal((await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: w }, options: { maxFailedProbes: 3, maxOutage: '1s' } })).status, 'pass');
  });

  it('reports the 95th percentile of the judged probes\' latency', async () => {
    const slow = [900, 300, 250, 40];
    const w = watch(rollout, { probes: probes(4100).map((p, i) => ({ ...p, latencyMs: slow[i] ?? 4 })) });
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: w } });
    assert.equal(r.measured?.['probeP95Ms'], 250, 'the 39th of 41 latencies, in ascending order');
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

  it('a probe rate of exactly half the one asked for passes; just under it warns, naming the outage it could miss', async () => {
    const at = (stalledUntil: number) => runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch(rollout, { probes: probes(4000, { stalled: [{ from: 0, to: stalledUntil }] }) }) } });
    const half = await at(2000);
    assert.equal(half.status, 'pass', JSON.stringify(half.findings));
    assert.equal(half.measured?.['achievedProbeRate'], 5);
    assert.equal(half.measured?.['stalledProbes'], 20);
    const under = await at(2100);
    assert.equal(under.status, 'warn');
    const f = under.findings[0]!;
    assert.equal(f.message, 'the watch probed the front door 4.8 times a second, under half the 10 asked for: an outage shorter than 211ms could have gone unseen');
    assert.equal(f.expected, '≥ 5 probes/s (half of watch.probeRate)');
    assert.equal(f.actual, '4.8 probes/s, 21 probes lost to mmgate stalling');
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

  it('minReadyPods is the fewest allowed: at it passes, under it fails at the first sample of the dip', async () => {
    const dip = watch([sample(0), sample(1000, { readyPods: 1 }), sample(2000, { readyPods: 1 }), done(4000)]);
    const at = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: dip } });
    assert.equal(at.status, 'pass', JSON.stringify(at.findings));
    assert.equal(at.measured?.['minReadyPods'], 1);
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: dip }, options: { minReadyPods: 2 } });
    assert.equal(r.status, 'fail');
    const f = r.findings[0]!;
    assert.equal(f.message, 'only 1 Mattermost pod was Ready at +1.0s');
    assert.deepEqual(f.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm' });
    assert.equal(f.expected, '≥ 2 Ready pod(s) at every sample');
    assert.equal(f.actual, '1');
  });

  it('does not count pods at samples where the Kubernetes API could not be read, and says so', async () => {
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch([sample(0), sample(2000, { readyPods: 0, pods: 0, versions: {}, kubeError: 'timeout' }), done(4000)]) } });
    assert.equal(r.status, 'warn');
    assert.match(r.findings[0]!.message, /could not be read at 1 of 3 samples/);
    assert.equal(r.findings[0]!.actual, '1 missed');
    assert.equal(r.measured?.['minReadyPods'], 3, 'the unread sample\'s 0 is not a count');
  });

  it('blocks as could-not-look (error, not fail) with no probe, or no pod count at all', async () => {
    const none = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch([], { probes: [] }) } });
    assert.equal(none.status, 'error');
    assert.equal(none.error?.code, 'NO_PROBES');
    assert.match(none.findings[0]!.message, /judged no front-door probe/);
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch([sample(0, { kubeError: 'forbidden', readyPods: 0 })]) } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'PODS_NOT_LISTED');
    assert.deepEqual(r.findings[0]!.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm' });
    assert.match(r.findings[0]!.message, /could not be read at any sample/);
    assert.equal(r.findings.length, 1, 'no warning about gaps besides');
    assert.equal(r.measured?.['minReadyPods'], undefined);
    assert.match(r.summary ?? '', /at least \? pod\(s\) Ready throughout$/);
  });

  it('an outage it saw still fails beside pods it could not count, and says what it could not look at', async () => {
    const w = watch([sample(0, { kubeError: 'forbidden', readyPods: 0 })], { probes: probes(4100, { down: [{ from: 2400, to: 3000, status: 503 }] }) });
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: w } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /^6 of 41 front-door probes failed/);
    assert.match(r.findings[1]!.message, /could not be read at any sample/);
    assert.equal(r.error?.code, 'PODS_NOT_LISTED');
  });

  it('blocks as could-not-look when every probe stalled: none was judged', async () => {
    const r = await runCheck(check, { data: { rolloutMetrics: servers(), rolloutWatch: watch(rollout, { probes: probes(4100, { stalled: [{ from: 0, to: 5000 }] }) }) } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NO_PROBES');
    const f = r.findings[0]!;
    assert.match(f.message, /judged no front-door probe/);
    assert.equal(f.actual, '41 probes, none judged');
    assert.deepEqual(f.subject, { kind: 'Service', namespace: 'mattermost', name: 'https://chat.example.com' });
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

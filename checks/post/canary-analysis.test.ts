import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodLogs, SmokeStep } from '../../core/mattermost-types.js';
import type { GroupStats, ServerMetrics } from '../../core/metrics-types.js';
import { runCheck } from '../../core/testing.js';
import type { CollectError, Finding } from '../../core/types.js';
import { clusterInstallation, deployment, probe } from '../../test/fixtures/bluegreen.js';
import { metrics, pod, stats } from '../metrics-fixtures.js';
import check from './canary-analysis.js';

const scope = { kind: 'ClusterInstallation', strategy: 'canary', side: 'canary', workload: 'mm-canary', cookie: 'canary=always' } as const;
const logs = (...errors: number[]): PodLogs => ({
  sinceSeconds: 900, since: '2026-11-20T11:45:00Z',
  pods: errors.map((e, i) => ({ pod: `p${i}`, namespace: 'mattermost', container: 'mattermost', role: 'app', sinceSeconds: 900, lines: 10, jsonLines: 10, nonJsonLines: 0, levels: { info: 5, error: e }, groups: [], ungrouped: {} })) as unknown as PodLogs['pods'],
});
/** The canary's one pod with `groups`; the stable side's two pods, together `stable` (as the collector sums them). */
const canaryMetrics = (groups: Record<string, GroupStats>): ServerMetrics => metrics([pod('mm-canary-5491fcd5b6-36bb2', groups)], groups);
const stableMetrics = (groups: Record<string, GroupStats>): ServerMetrics => metrics([pod('mm-48b0e193f9-0110d', groups), pod('mm-48b0e193f9-a6adc', groups)], groups);
const same = { '*': stats(600, 3, 200), createPost: stats(200, 1, 300) };
type StableInput = ServerMetrics | CollectError | null;
const data = (o: { canary?: number[]; stable?: number[]; versions?: string[]; serverMetrics?: ServerMetrics; stableServerMetrics?: StableInput } = {}) => ({
  installation: clusterInstallation({ canary: '11.7.1' }),
  deployments: [deployment('mm', '10.11.4'), deployment('mm-canary', '11.7.1', 1)],
  routingProbe: { ...probe('https://chat.example.com', ...(o.versions ?? ['11.7.1', '11.7.1'])), cookie: 'canary=always' },
  podLogs: logs(...(o.canary ?? [0])),
  stablePodLogs: logs(...(o.stable ?? [0, 1])),
  serverMetrics: o.serverMetrics ?? canaryMetrics(same),
  stableServerMetrics: 'stableServerMetrics' in o ? o.stableServerMetrics : stableMetrics(same),
});
/** Every finding carries what a reader needs to act. */
const complete = (f: Finding) => assert.ok(f.subject && f.expected && f.actual && f.remediation, `incomplete finding: ${JSON.stringify(f)}`);

describe('canary-analysis', () => {
  it('says promote canary when the cookie reached the canary and it is no worse than stable', async () => {
    const r = await runCheck(check, { scope, data: data() });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['verdict'], 'promote canary');
    assert.equal(r.measured?.['canaryP99Ms'], 200);
    assert.equal(r.measured?.['stableP99Ms'], 200);
    assert.equal(r.measured?.['judged'], 2);
    assert.match(r.summary ?? '', /5xx canary 0\.50% vs stable 0\.50%, p99 canary 200 ms vs stable 200 ms/);
  });

  it('aborts the canary when its pod answers more 5xx than the stable pods, naming the pod, the group and both shares', async () => {
    const r = await runCheck(check, { scope, data: data({ serverMetrics: canaryMetrics({ '*': stats(300, 15, 200) }) }) });
    assert.equal(r.status, 'fail');
    assert.equal(r.measured?.['verdict'], 'abort canary');
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    complete(f);
    assert.deepEqual(f.subject, { kind: 'Pod', namespace: 'mattermost', name: 'mm-canary-5491fcd5b6-36bb2' });
    assert.equal(f.message, 'canary pod mm-canary-5491fcd5b6-36bb2, all handlers: 5.00% of 300 requests answered 5xx, the stable pods 0.50% of 600');
    assert.equal(f.expected, '≤ 1.50% (stable 0.50%: max(2×, +1.00%))');
    assert.equal(f.actual, '15 of 300 (5.00%)');
    assert.match(f.remediation ?? '', /abort the canary/);
  });

  it('aborts the canary when one handler group is slower than on stable beyond max(p99Factor ×, + minIncreaseMs)', async () => {
    const r = await runCheck(check, { scope, data: data({ serverMetrics: canaryMetrics({ '*': stats(300, 1, 250), createPost: stats(100, 0, 900) }) }) });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings.length, 1, JSON.stringify(r.findings));
    const f = r.findings[0]!;
    complete(f);
    assert.equal(f.subject?.name, 'mm-canary-5491fcd5b6-36bb2');
    assert.equal(f.message, 'canary pod mm-canary-5491fcd5b6-36bb2, handler createPost: p99 900 ms, the stable pods 300 ms (×3.0)');
    assert.equal(f.expected, 'p99 ≤ 500 ms (max(1.5 × 300, 300 + 200))');
    assert.equal(f.actual, 'p99 900 ms, p50 225 ms over 100 requests');
  });

  it('the limits are options: a looser p99Factor lets the same canary promote', async () => {
    const r = await runCheck(check, { scope, data: data({ serverMetrics: canaryMetrics({ '*': stats(300, 1, 250), createPost: stats(100, 0, 900) }) }), options: { p99Factor: 3 } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });

  it('is inconclusive, never a pass, when the stable pods give no metrics (blocks by default, warns with noData: warn)', async () => {
    const none = metrics([pod('mm-48b0e193f9-0110d', {}, 'unlicensed', 'GET /metrics answered 404')]);
    const r = await runCheck(check, { scope, data: data({ stableServerMetrics: none }) });
    assert.equal(r.status, 'error', 'could not compare: error NO_DATA, which blocks');
    assert.equal(r.error?.code, 'NO_DATA');
    assert.equal(r.measured?.['verdict'], 'inconclusive');
    assert.equal(r.measured?.['inconclusive'], true);
    const f = r.findings[0]!;
    complete(f);
    assert.equal(f.message, 'inconclusive: the stable pods gave no metrics to compare');
    assert.deepEqual(f.subject, { kind: 'Deployment', namespace: 'mattermost', name: 'mm' });
    assert.equal(f.actual, '0 requests (minRequests 50) from mm-48b0e193f9-0110d unlicensed');
    const w = await runCheck(check, { scope, data: data({ stableServerMetrics: none }), options: { noData: 'warn' } });
    assert.equal(w.status, 'warn');
    assert.equal(w.measured?.['verdict'], 'promote canary');
    assert.match(w.summary ?? '', /noData is warn, so it only warns/);
  });

  it('is inconclusive when the stable metrics could not be collected', async () => {
    const r = await runCheck(check, { scope, data: data({ stableServerMetrics: { $collectError: true, key: 'stableServerMetrics', code: 'UNREACHABLE', message: 'Prometheus did not answer' } }) });
    assert.equal(r.status, 'error');
    assert.equal(r.findings[0]?.actual, 'Prometheus did not answer');
  });

  it('does not judge a group under minRequests on either side, and a canary pod under it over all handlers is no data', async () => {
    const quietGroup = await runCheck(check, { scope, data: data({ serverMetrics: canaryMetrics({ '*': stats(300, 1, 200), getFile: stats(20, 10, 4000) }), stableServerMetrics: stableMetrics({ ...same, getFile: stats(10, 0, 100) }) }) });
    assert.equal(quietGroup.status, 'pass', JSON.stringify(quietGroup.findings));
    assert.equal(quietGroup.measured?.['judged'], 1);
    const onlyStableQuiet = await runCheck(check, { scope, data: data({ serverMetrics: canaryMetrics({ '*': stats(300, 1, 200), getFile: stats(100, 40, 4000) }), stableServerMetrics: stableMetrics({ ...same, getFile: stats(10, 0, 100) }) }) });
    assert.equal(onlyStableQuiet.status, 'pass', 'a group the stable side barely served has nothing to compare with (error-rate and api-latency hold it to their ceilings)');
    const quietPod = await runCheck(check, { scope, data: data({ serverMetrics: canaryMetrics({ '*': stats(12, 0, 200) }) }) });
    assert.equal(quietPod.status, 'error');
    assert.equal(quietPod.findings[0]?.subject?.name, 'mm-canary-5491fcd5b6-36bb2');
    assert.match(quietPod.findings[0]?.message ?? '', /served 12 API requests .* fewer than minRequests 50/);
  });

  it('is error NO_LOGS (inconclusive) when one side has no pod logs to compare: it could not look, it did not find the canary worse', async () => {
    const r = await runCheck(check, { scope, data: data({ stable: [] }) });
    assert.equal(r.status, 'error');
    assert.deepEqual(r.error, { code: 'NO_LOGS', message: 'could not look at Deployment mm-canary (NO_LOGS)' });
    assert.equal(r.measured?.['verdict'], 'inconclusive');
    assert.equal(r.findings[0]?.message, 'no stable pod logs to compare');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'Deployment', namespace: 'mattermost', name: 'mm-canary' });
    assert.equal(r.findings[0]?.actual, 'none');
    assert.match(r.findings[0]?.remediation ?? '', /pods\/log/);
  });

  it('says abort canary when the canary logs more errors per pod than stable plus the allowance', async () => {
    const r = await runCheck(check, { scope, data: data({ canary: [4], stable: [0, 1] }) });
    assert.equal(r.status, 'fail');
    assert.equal(r.measured?.['verdict'], 'abort canary');
    assert.equal(r.findings[0]?.actual, '4.0');
    assert.equal(r.findings[0]?.expected, '≤ 2.5 (stable + 2)');
  });

  it('fails when requests with the cookie reached stable pods', async () => {
    const r = await runCheck(check, { scope, data: data({ versions: ['10.11.4', '11.7.1'] }) });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /answered 10\.11\.4 ×1, 11\.7\.1 ×1/);
  });

  it('is not applicable on the stable side', async () => {
    const r = await runCheck(check, { scope: { ...scope, side: 'production' }, data: data() });
    assert.equal(r.status, 'not-applicable');
  });

  it('reports both sides\' figures: the canary version, errors per pod, 5xx shares and p99s', async () => {
    const r = await runCheck(check, { scope, data: data({ canary: [1], stable: [0, 1] }) });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.summary, 'promote canary: 11.7.1 ×2 through the cookie; errors per pod canary 1.0 vs stable 0.5; 5xx canary 0.50% vs stable 0.50%, p99 canary 200 ms vs stable 200 ms');
    assert.deepEqual(
      { ...r.measured },
      { verdict: 'promote canary', canaryVersion: '11.7.1', canaryErrorsPerPod: 1, stableErrorsPerPod: 0.5, canaryErrorRatio: 0.005, stableErrorRatio: 0.005, canaryP99Ms: 200, stableP99Ms: 200, judged: 2, inconclusive: false, noData: 'error' },
    );
  });

  it('a 5xx share exactly at the limit promotes; one more error aborts', async () => {
    const at = (errors: number) => runCheck(check, { scope, data: data({ serverMetrics: canaryMetrics({ '*': stats(400, errors, 200) }) }) });
    const edge = await at(6);
    assert.equal(edge.status, 'pass', `1.50 % against max(2 × 0.50 %, 0.50 % + 1 %): ${JSON.stringify(edge.findings)}`);
    const over = await at(7);
    assert.equal(over.status, 'fail');
    assert.equal(over.findings[0]!.actual, '7 of 400 (1.75%)');
  });

  it('errors per pod exactly at stable plus the allowance promote', async () => {
    const r = await runCheck(check, { scope, data: data({ canary: [3], stable: [0, 2] }) });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['canaryErrorsPerPod'], 3);
  });

  it('counts error, fatal, critical and panic lines of the app pods only, not the job server\'s', async () => {
    const withJobServer: PodLogs = { ...logs(0), pods: [...logs(0).pods, { ...logs(40).pods[0]!, pod: 'mm-jobserver-0', role: 'jobserver' }] };
    const quiet = await runCheck(check, { scope, data: { ...data(), podLogs: withJobServer } });
    assert.equal(quiet.status, 'pass', JSON.stringify(quiet.findings));
    assert.equal(quiet.measured?.['canaryErrorsPerPod'], 0);
    const severe: PodLogs = { ...logs(0), pods: [{ ...logs(0).pods[0]!, levels: { info: 5, error: 1, fatal: 1, critical: 1, panic: 1 } }] };
    const loud = await runCheck(check, { scope, data: { ...data(), podLogs: severe } });
    assert.equal(loud.status, 'fail');
    assert.equal(loud.findings[0]!.actual, '4.0');
  });

  it('a latency is not judged where the stable pods give no p99 (no latency buckets)', async () => {
    const noP99 = { '*': { ...stats(600, 3, 0), p99Ms: null } };
    const r = await runCheck(check, { scope, data: data({ serverMetrics: canaryMetrics({ '*': stats(300, 1, 900) }), stableServerMetrics: stableMetrics(noP99) }) });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['stableP99Ms'], -1, 'no figure');
  });

  it('is inconclusive when the canary\'s metrics could not be collected, or neither side\'s', async () => {
    const noCanary = { ...data(), serverMetrics: { $collectError: true, key: 'serverMetrics', code: 'UNREACHABLE', message: 'Prometheus did not answer' } };
    const r = await runCheck(check, { scope, data: noCanary });
    assert.equal(r.status, 'error');
    assert.equal(r.measured?.['verdict'], 'inconclusive');
    assert.equal(r.findings.length, 1, JSON.stringify(r.findings));
    assert.equal(r.findings[0]!.message, 'inconclusive: the canary pods gave no metrics to compare');
    assert.deepEqual(r.findings[0]!.subject, { kind: 'Deployment', namespace: 'mattermost', name: 'mm-canary' });
    assert.equal(r.findings[0]!.actual, 'Prometheus did not answer');
    assert.equal(r.measured?.['canaryP99Ms'], -1);
    assert.equal(r.measured?.['canaryErrorRatio'], -1);
    assert.match(r.summary ?? '', /5xx canary \? vs stable 0\.50%, p99 canary \? ms vs stable 200 ms/);
    const neither = await runCheck(check, { scope, data: { ...noCanary, stableServerMetrics: null } });
    assert.deepEqual(neither.findings.map((f) => [f.subject?.name, f.actual]), [['mm-canary', 'Prometheus did not answer'], ['mm', 'not collected']]);
    assert.equal(neither.measured?.['stableP99Ms'], -1);
    assert.equal(neither.measured?.['stableErrorRatio'], -1);
  });

  it('is error NO_LOGS when the canary pods left no logs, or the stable pods\' logs were not read', async () => {
    const noCanary = await runCheck(check, { scope, data: data({ canary: [] }) });
    assert.equal(noCanary.status, 'error');
    assert.equal(noCanary.findings[0]?.message, 'no canary pod logs to compare');
    assert.equal(noCanary.measured?.['canaryErrorsPerPod'], -1);
    assert.match(noCanary.summary ?? '', /errors per pod canary \? vs stable 0\.5;/);
    const unread = await runCheck(check, { scope, data: { ...data(), stablePodLogs: null } });
    assert.equal(unread.status, 'error');
    assert.equal(unread.findings[0]?.message, 'no stable pod logs to compare');
    assert.equal(unread.measured?.['stableErrorsPerPod'], -1);
    assert.match(unread.summary ?? '', /errors per pod canary 0\.0 vs stable \?;/);
  });

  it('says abort canary when a journey step failed on the canary; skipped steps are not counted as failed', async () => {
    const journey = (steps: SmokeStep[]) => ({ url: 'https://chat.example.com', steps });
    const r = await runCheck(check, { scope, data: { ...data(), smokeJourney: journey([{ name: 'login', ok: true }, { name: 'post.create', ok: false }, { name: 'post.read', ok: false, skipped: 'post.create failed' }]) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.measured?.['verdict'], 'abort canary');
    assert.equal(r.findings.length, 1, JSON.stringify(r.findings));
    const f = r.findings[0]!;
    complete(f);
    assert.equal(f.message, '1 journey step(s) failed on the canary: post.create');
    assert.deepEqual(f.subject, { kind: 'ClusterInstallation', namespace: 'mattermost', name: 'mm' });
    assert.equal(f.actual, '1 failed');
    const passed = await runCheck(check, { scope, data: { ...data(), smokeJourney: journey([{ name: 'login', ok: true }, { name: 'post.create', ok: true }]) } });
    assert.equal(passed.status, 'pass', JSON.stringify(passed.findings));
  });

  it('fails when answers with the cookie failed, when there were none, and when the canary\'s version is unknown', async () => {
    const failing = await runCheck(check, { scope, data: { ...data(), routingProbe: { url: 'https://chat.example.com', cookie: 'canary=always', answers: [{ status: 200, version: '11.7.1' }, { status: 502 }] } } });
    assert.equal(failing.status, 'fail');
    const f = failing.findings[0]!;
    complete(f);
    assert.equal(f.message, 'requests with the cookie canary=always through the production host answered 11.7.1 ×1 (1 failed), not only the canary\'s 11.7.1');
    assert.deepEqual(f.subject, { kind: 'Ingress', namespace: 'mattermost', name: 'mm-canary' });
    assert.equal(f.expected, 'X-Version-Id 11.7.1 on every answer');
    const none = await runCheck(check, { scope, data: { ...data(), routingProbe: { url: 'https://chat.example.com', answers: [] } } });
    assert.equal(none.status, 'fail');
    assert.match(none.findings[0]!.message, /answered none, not only/);
    const unprobed = await runCheck(check, { scope, data: { ...data(), routingProbe: null } });
    assert.equal(unprobed.status, 'fail');
    assert.match(unprobed.findings[0]!.message, /answered none \(1 failed\)/);
    const unknown = await runCheck(check, { scope, data: { ...data(), deployments: [deployment('mm', '10.11.4')] } });
    assert.equal(unknown.status, 'fail');
    assert.equal(unknown.findings[0]!.message, 'requests with the cookie canary=always through the production host answered 11.7.1 ×2, not only the canary\'s ?');
    assert.equal(unknown.findings[0]!.expected, 'X-Version-Id the canary version on every answer');
    assert.equal(unknown.measured?.['canaryVersion'], 'unknown');
  });

  it('refuses limits that would let a canary worse than stable through by construction', () => {
    for (const bad of [{ errorsPerPodAllowance: -1 }, { errorRatioFactor: 0.5 }, { maxErrorRatioIncrease: -0.01 }, { maxErrorRatioIncrease: 1.5 }, { p99Factor: 0.9 }, { minIncreaseMs: -1 }]) {
      assert.throws(() => check.options.parse(bad), JSON.stringify(bad));
    }
    const o = check.options.parse({ errorsPerPodAllowance: 0.5, errorRatioFactor: 1.5, maxErrorRatioIncrease: 0.5, p99Factor: 1.2, minIncreaseMs: 0 });
    assert.deepEqual([o.errorsPerPodAllowance, o.errorRatioFactor, o.maxErrorRatioIncrease, o.p99Factor, o.minIncreaseMs], [0.5, 1.5, 0.5, 1.2, 0]);
    assert.equal(check.options.parse({ errorRatioFactor: 1, p99Factor: 1, maxErrorRatioIncrease: 1 }).p99Factor, 1);
  });

  it('is not applicable outside a canary run\'s canary side, saying why', async () => {
    const stable = await runCheck(check, { scope: { ...scope, side: 'production' }, data: data() });
    assert.equal(stable.reason, 'this run judges the stable side');
    const rolling = await runCheck(check, { scope: { kind: 'ClusterInstallation' }, data: data() });
    assert.equal(rolling.status, 'not-applicable');
    assert.equal(rolling.reason, 'no canary is enabled');
    const v1beta1 = await runCheck(check, { scope, data: { ...data(), installation: { ...clusterInstallation({ canary: '11.7.1' }), kind: 'Mattermost' } } });
    assert.equal(v1beta1.status, 'not-applicable');
  });
});

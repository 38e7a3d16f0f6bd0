import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodLogs } from '../../core/mattermost-types.js';
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
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { metrics, pod, stats } from '../metrics-fixtures.js';
import check from './metrics-health.js';

describe('metrics-health', () => {
  it('passes healthy pods and records the numbers the baseline is made of', async () => {
    const r = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-a', { '*': stats(200, 1, 180) }), pod('mm-b', { '*': stats(210, 0, 160) })], { '*': stats(410, 1, 175) }) } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['requests'], 410);
    assert.equal(r.measured?.['worstP99Ms'], 180);
  });
  it('fails a pod whose handler group already answers 5xx, naming pod and group', async () => {
    const r = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-a', { '*': stats(200, 12, 180), createPost: stats(100, 12, 200) })]) } });
    assert.equal(r.status, 'fail');
    const f = r.findings.find((x) => x.message.includes('handler createPost'));
    assert.ok(f, JSON.stringify(r.findings));
    assert.equal(f.subject?.name, 'mm-a');
    assert.match(f.actual ?? '', /12 of 100 \(12\.00%\)/);
    assert.match(f.expected ?? '', /≤ 5\.00%/);
  });
  it('fails a slow pod (p99 over maxP99Ms)', async () => {
    const r = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-a', { '*': stats(200, 0, 2600) })]) }, options: { maxP99Ms: 2000 } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /p99 latency 2600 ms/);
  });
  it('no data is inconclusive and blocks by default; noData: warn warns; the report says which', async () => {
    const data = { serverMetrics: metrics([pod('mm-a', {}, 'unlicensed', 'GET pods/mm-a:8067/proxy/metrics answered 404: licence')]) };
    const r = await runCheck(check, { data });
    assert.equal(r.status, 'error', 'no data is could-not-look: error, not fail');
    assert.deepEqual(r.error, { code: 'NO_DATA', message: 'could not look at Pod mm-a (NO_DATA)' });
    assert.equal(r.blocking, true);
    assert.deepEqual(r.findings[0]!.subject, { kind: 'Pod', namespace: 'mattermost', name: 'mm-a' });
    assert.match(r.findings[0]!.message, /inconclusive: no metrics for pod mm-a \(unlicensed\)/);
    assert.match(r.findings[0]!.actual ?? '', /404/);
    assert.match(r.summary ?? '', /noData is error, so it blocks/);
    assert.equal(r.measured?.['noData'], 'error');
    const w = await runCheck(check, { data, options: { noData: 'warn' } });
    assert.equal(w.status, 'warn');
    assert.match(w.summary ?? '', /noData is warn, so it only warns/);
  });
  it('too few requests on a pod is no data, not a pass; no Ready pod is no data', async () => {
    const r = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-a', { '*': stats(12, 0, 100) })]) } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NO_DATA');
    assert.match(r.findings[0]!.message, /served 12 API requests .* fewer than minRequests 50/);
    const none = await runCheck(check, { data: { serverMetrics: metrics([]) } });
    assert.equal(none.status, 'error');
    assert.match(none.findings[0]!.message, /no Ready Mattermost pod/);
  });

  const judge = (serverMetrics: unknown, options: Record<string, unknown> = {}) => runCheck(check, { data: { serverMetrics }, options });

  it('a 5xx share exactly at maxErrorRatio passes; a p99 exactly at maxP99Ms passes', async () => {
    const r = await judge(metrics([pod('mm-a', { '*': stats(200, 10, 2000) })]));
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });
  it('the worst 5xx share and p99 are the highest over pods and groups, not the last', async () => {
    const r = await judge(metrics([pod('mm-a', { '*': stats(200, 4, 900) }), pod('mm-b', { '*': stats(200, 2, 300) })]));
    assert.equal(r.measured?.['worstErrorRatio'], 0.02);
    assert.equal(r.measured?.['worstP99Ms'], 900);
  });
  it('the overall p99 is measured only when there is one', async () => {
    const withP99 = await judge(metrics([pod('mm-a', { '*': stats(200, 0, 180) })], { '*': stats(200, 0, 180) }));
    assert.equal(withP99.measured?.['p99Ms'], 180);
    assert.equal(withP99.measured?.['errors'], 0);
    const without = await judge(metrics([pod('mm-a', { '*': stats(200, 0, 180) })], { '*': { ...stats(200, 0, 180), p99Ms: null } }));
    assert.equal('p99Ms' in (without.measured ?? {}), false);
    assert.equal(without.measured?.['requests'], 200);
  });
  it('maxErrorRatio is a share between 0 and 1', () => {
    assert.equal(check.options.parse({ maxErrorRatio: 0.5 }).maxErrorRatio, 0.5);
    assert.equal(check.options.parse({ maxErrorRatio: 1 }).maxErrorRatio, 1);
    assert.throws(() => check.options.parse({ maxErrorRatio: 1.5 }));
    assert.throws(() => check.options.parse({ maxErrorRatio: -0.1 }));
  });
  it('a pod over the limits beside a pod without data: fail for the one found, the other in error', async () => {
    const r = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-a', { '*': stats(1000, 200, 100) }), pod('mm-b', {}, 'unlicensed', 'answered 404')]) } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.subject?.name), ['mm-a', 'mm-b']);
    assert.deepEqual(r.error, { code: 'NO_DATA', message: 'also could not look at Pod mm-b (NO_DATA)' });
  });
});

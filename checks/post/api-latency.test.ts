import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GroupStats } from '../../core/metrics-types.js';
import { runCheck } from '../../core/testing.js';
import { baseline, metrics, pod, stats } from '../metrics-fixtures.js';
import check from './api-latency.js';

const before = { '*': stats(900, 0, 400), getPosts: stats(300, 0, 100) };

describe('api-latency', () => {
  it('fails a pod whose p99 tripled, with the limit max(1.5×, +200 ms)', async () => {
    const r = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 0, 1200) })]), baseline: baseline(before) } });
    assert.equal(r.status, 'fail');
    const f = r.findings[0]!;
    assert.equal(f.subject?.name, 'mm-new-1');
    assert.match(f.message, /all handlers: p99 1200 ms, 400 ms at preflight \(×3\.0\)/);
    assert.match(f.expected ?? '', /p99 ≤ 600 ms/);
  });
  it('a small baseline gets +200 ms, not ×1.5', async () => {
    const pass = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 0, 500), getPosts: stats(100, 0, 290) })]), baseline: baseline(before) } });
    assert.equal(pass.status, 'pass', JSON.stringify(pass.findings));
    const fail = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 0, 500), getPosts: stats(100, 0, 310) })]), baseline: baseline(before) } });
    assert.equal(fail.status, 'fail');
    assert.match(fail.findings[0]!.message, /handler getPosts/);
  });
  it('groups under minRequests are not judged', async () => {
    const r = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 0, 450), getPosts: stats(10, 0, 3000) })]), baseline: baseline(before) } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });
  it('a stale scrape is no data; noData: warn demotes it', async () => {
    const data = { serverMetrics: metrics([pod('mm-new-1', {}, 'stale', 'the last sample is 300s old')]), baseline: baseline(before) };
    assert.equal((await runCheck(check, { data })).status, 'error'); // no data: could not look
    const w = await runCheck(check, { data, options: { noData: 'warn' } });
    assert.equal(w.status, 'warn');
    assert.equal(w.measured?.['inconclusive'], true);
  });
  it('a p99 exactly at the limit passes; a millisecond over fails', async () => {
    const at = (p99: number) => runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 0, p99) })]), baseline: baseline(before) } });
    assert.equal((await at(600)).status, 'pass');
    const over = await at(601);
    assert.equal(over.status, 'fail');
    assert.equal(over.findings[0]!.expected, 'p99 ≤ 600 ms (max(1.5 × 400, 400 + 200), ceiling 5000)');
    assert.equal(over.findings[0]!.actual, 'p99 601 ms, p50 150.25 ms over 300 requests');
  });
  it('reports the worst p99 over every pod and the preflight p99; without a baseline, no preflight figure', async () => {
    const m = metrics([pod('mm-new-1', { '*': stats(300, 0, 500) }), pod('mm-new-2', { '*': stats(300, 0, 300) })]);
    const r = await runCheck(check, { data: { serverMetrics: m, baseline: baseline(before) } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['worstP99Ms'], 500);
    assert.equal(r.measured?.['baselineP99Ms'], 400);
    assert.match(r.summary ?? '', /worst p99 500 ms, baseline p99 400 ms/);
    const none = await runCheck(check, { data: { serverMetrics: m, baseline: baseline(null) } });
    assert.equal(none.error?.code, 'NO_DATA', 'judged against the ceiling, the missing baseline inconclusive');
    assert.equal(none.measured?.['worstP99Ms'], 500);
    assert.equal('baselineP99Ms' in (none.measured ?? {}), false);
    assert.doesNotMatch(none.summary ?? '', /baseline p99/);
  });
  it('a group without a p99 (no latency buckets) is not held to a limit, nor counted as the worst', async () => {
    const r = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 0, 300), getFile: { ...stats(100, 0, 0), p99Ms: null } })]), baseline: baseline(before) } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['worstP99Ms'], 300);
  });
  it('a group the baseline did not see is held to the ceiling only', async () => {
    const at = (p99: number) => runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 0, 300), getFile: stats(100, 0, p99) })]), baseline: baseline(before) } });
    assert.equal((await at(5000)).status, 'pass');
    const over = await at(5001);
    assert.equal(over.status, 'fail');
    assert.equal(over.findings[0]!.expected, 'p99 ≤ 5000 ms (no baseline for this group)');
    assert.match(over.findings[0]!.message, /handler getFile: p99 5001 ms$/);
  });
  it('a baseline without an all-handlers p99 gives no preflight figure, and its other groups still count', async () => {
    const m = metrics([pod('mm-new-1', { '*': stats(300, 0, 500), getPosts: stats(100, 0, 400) })]);
    const noStar: Record<string, GroupStats>[] = [{ getPosts: stats(300, 0, 100) }, { '*': { ...stats(900, 0, 0), p99Ms: null }, getPosts: stats(300, 0, 100) }];
    for (const groups of noStar) {
      const r = await runCheck(check, { data: { serverMetrics: m, baseline: baseline(groups) } });
      assert.equal(r.status, 'fail', JSON.stringify(groups));
      assert.deepEqual(r.findings.map((f) => f.expected), ['p99 ≤ 300 ms (max(1.5 × 100, 100 + 200), ceiling 5000)']);
      assert.equal('baselineP99Ms' in (r.measured ?? {}), false);
      assert.equal(r.summary, '1 pod(s) from pod proxy :8067/metrics over 30s; 2 pod × handler group(s) judged; worst p99 500 ms');
    }
  });
  it('refuses a factor under 1 and a negative allowance', () => {
    assert.throws(() => check.options.parse({ factor: 0.9 }));
    assert.throws(() => check.options.parse({ minIncreaseMs: -1 }));
    assert.equal(check.options.parse({ factor: 1, minIncreaseMs: 0 }).factor, 1);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { baseline, metrics, pod, stats } from '../metrics-fixtures.js';
import check from './error-rate.js';

const before = { '*': stats(900, 2, 200), createPost: stats(300, 1, 250) };

describe('error-rate', () => {
  it('fails the one pod that answers 5 % 5xx, naming the pod, the group and the baseline', async () => {
    const r = await runCheck(check, { data: {
      serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 1, 200) }), pod('mm-new-2', { '*': stats(300, 15, 200), createPost: stats(100, 5, 200) })]),
      baseline: baseline(before),
    } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.subject?.name), ['mm-new-2', 'mm-new-2']);
    const f = r.findings.find((x) => x.message.includes('handler createPost'))!;
    assert.match(f.message, /5\.00% of 100 requests answered 5xx, 0\.33% at preflight/);
    assert.match(f.expected ?? '', /≤ 1\.33%/);
  });
  it('passes when the share stays within baseline + maxIncrease', async () => {
    const r = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 2, 200) })]), baseline: baseline(before) } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['judged'], 1);
  });
  it('holds a group without baseline to maxRatio; the absolute ceiling applies whatever the baseline', async () => {
    const r = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 3, 200), getFile: stats(60, 4, 100) })]), baseline: baseline(before) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.expected ?? '', /≤ 5\.00% \(no baseline for this group\)/);
    const high = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 24, 200) })]), baseline: baseline({ '*': stats(900, 60, 200) }) } });
    assert.equal(high.status, 'fail');
  });
  it('no baseline is inconclusive (blocks by default)', async () => {
    const r = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 0, 200) })]), baseline: null } });
    assert.equal(r.status, 'error'); // no data: could not look
    assert.match(r.findings[0]!.message, /no preflight baseline of the metrics/);
    const w = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 0, 200) })]), baseline: baseline(null) }, options: { noData: 'warn' } });
    assert.equal(w.status, 'warn');
    assert.match(w.findings[0]!.actual ?? '', /holds no "serverMetrics": it was written by a preflight that did not collect it/);
  });
  it('a pod Prometheus has no series for is no data, named', async () => {
    const r = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', {}, 'no-series', 'Prometheus has no mattermost_api_time series for pod="mm-new-1"')]), baseline: baseline(before) } });
    assert.equal(r.status, 'error'); // no data: could not look
    assert.equal(r.findings[0]!.subject?.name, 'mm-new-1');
    assert.match(r.findings[0]!.message, /no-series/);
  });
  it('a 5xx share exactly at the limit passes; one more error fails', async () => {
    const clean = { '*': stats(1000, 0, 200) };
    const at = (errors: number) => runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, errors, 200) })]), baseline: baseline(clean) } });
    assert.equal((await at(3)).status, 'pass', '1.00 % against a limit of max(2 × 0 %, 0 % + 1 %)');
    const over = await at(4);
    assert.equal(over.status, 'fail');
    assert.equal(over.findings[0]!.expected, '≤ 1.00% (baseline 0.00%: max(2×, +1.00%), ceiling 5.00%)');
    assert.equal(over.findings[0]!.actual, '4 of 300 (1.33%)');
  });
  it('reports the worst share over every pod and the preflight share; without a baseline, no preflight figure', async () => {
    const m = metrics([pod('mm-new-1', { '*': stats(300, 3, 200) }), pod('mm-new-2', { '*': stats(300, 1, 200) })]);
    const r = await runCheck(check, { data: { serverMetrics: m, baseline: baseline(before) } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['worstErrorRatio'], 0.01);
    assert.equal(r.measured?.['baselineErrorRatio'], 2 / 900);
    const none = await runCheck(check, { data: { serverMetrics: m, baseline: baseline(null) } });
    assert.equal('baselineErrorRatio' in (none.measured ?? {}), false);
  });
  it('the fix names the failing handler, or all requests', async () => {
    const r = await runCheck(check, { data: { serverMetrics: metrics([pod('mm-new-1', { '*': stats(300, 30, 200), createPost: stats(100, 30, 200) })]), baseline: baseline(before) } });
    assert.deepEqual(r.findings.map((f) => /for the failing (.+?) \(/.exec(f.remediation ?? '')?.[1]), ['requests', 'createPost requests']);
  });
  it('the summary gives the worst share and the preflight one; a baseline without all handlers gives none', async () => {
    const m = metrics([pod('mm-new-1', { '*': stats(300, 3, 200) })]);
    const r = await runCheck(check, { data: { serverMetrics: m, baseline: baseline(before) } });
    assert.equal(r.summary, '1 pod(s) from pod proxy :8067/metrics over 30s; 1 pod × handler group(s) judged; worst 5xx 1.00%, baseline 0.22%');
    const partial = await runCheck(check, { data: { serverMetrics: m, baseline: baseline({ createPost: stats(300, 1, 250) }) } });
    assert.equal(partial.status, 'pass', JSON.stringify(partial.findings));
    assert.equal(partial.summary, '1 pod(s) from pod proxy :8067/metrics over 30s; 1 pod × handler group(s) judged; worst 5xx 1.00%, baseline 0.00%');
    assert.equal('baselineErrorRatio' in (partial.measured ?? {}), false);
  });
  it('refuses shares outside 0..1 and a factor under 1', () => {
    for (const bad of [{ maxIncrease: 1.5 }, { maxIncrease: -0.1 }, { maxRatio: 2 }, { maxRatio: -0.1 }, { factor: 0.5 }]) assert.throws(() => check.options.parse(bad), JSON.stringify(bad));
    assert.equal(check.options.parse({ maxIncrease: 1, maxRatio: 0 }).maxRatio, 0);
  });
});

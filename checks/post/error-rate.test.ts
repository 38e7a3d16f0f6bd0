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
});

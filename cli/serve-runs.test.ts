/**
 * The verdict Argo Rollouts reads (answerOf) and the run board's memory: gates remembered by
 * checksum, watch samples never.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckResult, RunReport } from '../core/types.js';
import { answerOf, RunBoard, within, type Finished } from './serve-runs.js';

const result = (id: string, status: CheckResult['status'], measured?: CheckResult['measured']): CheckResult => ({
  id, phase: 'post', title: id, description: '', status, level: 'error', blocking: status === 'fail' || status === 'error',
  durationMs: 1, findings: [], ...(measured ? { measured } : {}),
});
const finished = (results: CheckResult[]): Finished => ({
  id: 1, phase: 'post', installation: 'mattermost/mm', code: results.some((r) => r.blocking) ? 1 : 0, finishedAt: '2026-12-01T00:00:00Z',
  report: { partial: false, results, verdict: { promote: !results.some((r) => r.blocking) } } as unknown as RunReport,
});

describe('answerOf: the Argo Rollouts verdict', () => {
  it('a metrics check without data (status fail, measured.inconclusive) is inconclusive, not fail', () => {
    assert.equal(answerOf(finished([result('error-rate', 'fail', { inconclusive: true, noData: 'error' })])), 'inconclusive');
  });

  it('the same no-data reported as status error is inconclusive too', () => {
    assert.equal(answerOf(finished([result('error-rate', 'error', { inconclusive: true })])), 'inconclusive');
  });

  it('a metrics check that judged and failed (measured.inconclusive false) is fail', () => {
    assert.equal(answerOf(finished([result('error-rate', 'fail', { inconclusive: false })])), 'fail');
  });

  it('a check that saw a failure outweighs one that could not look: fail', () => {
    assert.equal(answerOf(finished([result('error-rate', 'fail', { inconclusive: true }), result('node-readiness', 'fail')])), 'fail');
    assert.equal(answerOf(finished([result('node-readiness', 'error'), result('log-errors', 'fail')])), 'fail');
  });

  it('promote is pass; a run without a report is inconclusive', () => {
    assert.equal(answerOf(finished([result('node-readiness', 'pass')])), 'pass');
    assert.equal(answerOf({ id: 2, phase: 'post', installation: 'x', code: 3, finishedAt: '' }), 'inconclusive');
  });
});

describe('RunBoard: runs of now, gates by checksum', () => {
  const board = (gate: () => Promise<void> = async () => undefined, owedForMs?: number) => {
    let runs = 0;
    const passed = finished([result('node-readiness', 'pass')]).report!;
    const b = new RunBoard(async () => { runs++; await gate(); return { code: 0, report: passed }; }, undefined, owedForMs);
    return { b, runs: () => runs };
  };

  it('two samples one after the other are two runs; two gates with one checksum are one', async () => {
    const { b, runs } = board();
    const first = await b.request('during', 'mm');
    const second = await b.request('during', 'mm');
    assert.notEqual(first.id, second.id);
    assert.equal(runs(), 2);
    const pre = await b.forChecksum('85d557f47b', 'pre', 'mm');
    assert.equal((await b.forChecksum('85d557f47b', 'pre', 'mm')).id, pre.id);
    assert.equal(runs(), 3);
  });

  it('a sample whose caller was answered 503 goes to the next call, then samples are fresh again', async () => {
    let release!: () => void;
    const { b, runs } = board(() => new Promise((r) => { release = r; }));
    const slow = b.request('during', 'mm');
    assert.equal(await within(slow, 10), undefined);
    b.owe('during', 'mm', slow);
    release();
    const late = await slow;
    assert.equal((await b.request('during', 'mm')).id, late.id, 'the owed sample, not a new one');
    const next = b.request('during', 'mm');
    release();
    assert.notEqual((await next).id, late.id);
    assert.equal(runs(), 2);
  });

  it('an owed run not asked for within owedForMs is dropped: the next call runs anew', async () => {
    const { b, runs } = board(undefined, 0);
    const late = b.request('post', 'mm');
    b.owe('post', 'mm', late);
    const done = await late;
    await new Promise((r) => setTimeout(r, 5));
    assert.notEqual((await b.request('post', 'mm')).id, done.id);
    assert.equal(runs(), 2);
  });
});

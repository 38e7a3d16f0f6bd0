import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineCheck } from './check.js';
import { CollectFailure, type Collector } from './collector.js';
import { configSchema } from './config/schema.js';
import { markInterrupted, runGate, type RunOptions } from './runner.js';
import type { Check, Outcome } from './types.js';

// The edges of a run a user sees in the report: what --only/--skip leave out, a source that
// answered nothing, the wording of errors, the time each step took, and a run that ends cleanly.

type Key = 'test.a' | 'test.b';
const source = (key: Key, collect: Collector['collect'], extra: Partial<Collector> = {}): Collector => ({ key, source: `source ${key}`, collect, ...extra } as Collector);
const check = (id: string, requires: Key[], evaluate: () => Outcome = () => ({ status: 'pass' })): Check => defineCheck({
  meta: { id, phase: 'pre', title: `${id} ok`, failureTitle: `${id} bad`, description: 'test', requires, recommended: 'error' },
  evaluate,
}) as unknown as Check;

function run(checks: Check[], collectors: Collector[], over: Partial<RunOptions> = {}) {
  return runGate({
    phase: 'pre', checks, collectors: new Map(collectors.map((c) => [c.key, c])), config: configSchema.parse({}), configDir: '.',
    scope: { namespace: 'mattermost', installation: 'mm' }, target: { version: '11.7.1' },
    policy: { preset: 'recommended', checks: {}, waivers: [], ignore: [], today: '2026-11-20' },
    checkOptions: new Map(), timeouts: { collectorMs: 2_000, checkMs: 2_000, overallMs: 10_000 },
    ...over,
  });
}

const one = source('test.a', async () => 1);

describe('runner: edges of a run', () => {
  it('--only judges only the checks named (not one the policy turns off), an empty --only none less, and says why the others were left out', async () => {
    const checks = [check('kept', ['test.a']), check('dropped', ['test.a']), check('off', ['test.a'])];
    const policy = { preset: 'recommended' as const, checks: { off: 'off' as const }, waivers: [], ignore: [], today: '2026-11-20' };
    const { report } = await run(checks, [one], { only: ['kept', 'off'], policy });
    assert.deepEqual(report.results.map((r) => [r.id, r.status, r.reason, r.blocking]), [
      ['dropped', 'skipped', 'left out by --only/--skip', false], ['kept', 'pass', undefined, false], ['off', 'skipped', 'off in the policy', false],
    ]);
    const all = await run(checks, [one], { only: [], policy });
    assert.deepEqual(all.report.results.map((r) => r.status), ['pass', 'pass', 'skipped']);
  });

  it('a collector that throws before returning a promise fails its key, not the run', async () => {
    const sync = source('test.a', (() => { throw new Error('bad kubeconfig'); }) as Collector['collect']);
    const { report } = await run([check('x', ['test.a']), check('y', ['test.b'])], [sync, source('test.b', async () => 2)]);
    assert.deepEqual(report.collectors.find((c) => c.key === 'test.a')?.error, { code: 'FAILED', message: 'bad kubeconfig' });
    assert.deepEqual(report.results.map((r) => [r.id, r.status]), [['x', 'error'], ['y', 'pass']]);
  });

  it('a collector that sets no retries is asked once, even for a transient failure', async () => {
    let asked = 0;
    const c = source('test.a', async () => { asked++; throw new CollectFailure('SERVER_ERROR', '503', true); });
    const { report } = await run([check('x', ['test.a'])], [c]);
    assert.equal(asked, 1);
    assert.equal(report.collectors[0]!.attempts, 1);
  });

  it('a collector whose dependency failed says which one and why', async () => {
    const a = source('test.a', async () => { throw new CollectFailure('UNREACHABLE', 'a is down'); });
    const b = source('test.b', async (env) => (await env.need('test.a')) + 1);
    const { report } = await run([check('needs-b', ['test.b'])], [a, b]);
    assert.deepEqual(report.collectors.map((c) => c.error), [{ code: 'UNREACHABLE', message: 'a is down' }, { code: 'DEPENDENCY_FAILED', message: 'needs test.a, which failed: a is down' }]);
  });

  it('a source that answered nothing is not data: every required key is named with why it is missing', async () => {
    const a = source('test.a', async () => { throw new CollectFailure('UNREACHABLE', 'a is down'); });
    const b = source('test.b', async () => undefined as never);
    const { report } = await run([check('both', ['test.a', 'test.b'])], [a, b]);
    assert.deepEqual(report.results[0]!.error, { code: 'COLLECTOR_FAILED', message: 'could not look, so cannot pass: test.a: a is down; test.b: not collected' });
    assert.equal(report.results[0]!.blocking, true);
  });

  it('a check that throws keeps the thrown message; a check not reached after an interrupt says so', async () => {
    const thrown = await run([check('boom', ['test.a'], () => { throw new Error('undefined is not a function'); })], [one]);
    assert.deepEqual(thrown.report.results[0]!.error, { code: 'CHECK_THREW', message: 'undefined is not a function' });
    const ac = new AbortController();
    const { report } = await run([check('x', ['test.a'])], [source('test.a', async () => { ac.abort(new Error('SIGINT')); return 1; })], { signal: ac.signal });
    assert.deepEqual(report.results[0]!.error, { code: 'INTERRUPTED', message: 'the run stopped before this check was evaluated' });
  });

  it('records how long each collector and check took, within the run\'s own time', async () => {
    const slow = source('test.a', () => new Promise((r) => setTimeout(() => r(1), 50)));
    const t0 = performance.now();
    const { report, snapshot } = await run([check('boom', ['test.a'], () => { throw new Error('x'); })], [slow]);
    const wall = performance.now() - t0;
    const took = report.collectors[0]!.durationMs;
    assert.ok(took >= 45 && took <= wall + 1, `collector took ${took} ms of a ${wall} ms run`);
    assert.deepEqual(snapshot.meta.collectors, { 'test.a': { durationMs: took, attempts: 1 } });
    assert.ok(report.results[0]!.durationMs <= wall + 1, `check took ${report.results[0]!.durationMs} ms of a ${wall} ms run`);
  });

  it('leaves no timer behind once the run is done, so the process can exit at once', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const { report } = await run([check('x', ['test.a'])], [one]);
    assert.equal(report.verdict.exitCode, 0);
    assert.equal(timers(), before);
  });

  it('an outcome that is no object, or an error without a code and a message, is an error naming what is wrong', async () => {
    const cases: [unknown, string][] = [
      [null, 'the check returned no outcome'], ['pass', 'the check returned no outcome'],
      [{ status: 'not-applicable', reason: 42 }, 'not-applicable needs a reason'],
      [{ status: 'error', findings: [], error: { code: 'FORBIDDEN' } }, 'error needs error.code and error.message'],
      [{ status: 'error', findings: [], error: { code: 403, message: 'forbidden' } }, 'error needs error.code and error.message'],
    ];
    for (const [outcome, why] of cases) {
      const { report } = await run([check('odd', ['test.a'], () => outcome as Outcome)], [one]);
      assert.deepEqual(report.results[0]!.error, { code: 'BAD_OUTCOME', message: why }, JSON.stringify(outcome));
    }
  });

  it('only a fail or an error says where it could not look: an error field on a pass or a warn is not reported, and extra fields are dropped', async () => {
    const lookError = { code: 'TIMEOUT', message: 'could not look at Pod mm-1 (TIMEOUT)', stack: 'at …' };
    const { report } = await run([
      check('passes', ['test.a'], () => ({ status: 'pass', error: lookError }) as Outcome),
      check('warns', ['test.a'], () => ({ status: 'warn', findings: [{ message: 'w' }], error: lookError }) as Outcome),
      check('errs', ['test.a'], () => ({ status: 'error', findings: [], error: lookError }) as Outcome),
    ], [one]);
    assert.deepEqual(report.results.map((r) => [r.id, r.status, r.error]), [
      ['errs', 'error', { code: 'TIMEOUT', message: 'could not look at Pod mm-1 (TIMEOUT)' }], ['passes', 'pass', undefined], ['warns', 'warn', undefined],
    ]);
  });

  it('a report cut for a reason that is no Error still says it was interrupted', async () => {
    const { report } = await run([check('x', ['test.a'])], [one]);
    const cut = markInterrupted(report, 'SIGTERM');
    assert.equal(cut.notes.at(-1), 'the run was interrupted (interrupted) after its checks were judged, while the reports were written');
    assert.equal(cut.verdict.exitCode, 3);
  });

  it('a pass is flaky when any one of its required collectors needed a retry, not only when all did', async () => {
    let n = 0;
    const retried = source('test.a', async () => { if (++n < 2) throw new CollectFailure('SERVER_ERROR', '503', true); return 1; }, { retries: 1 });
    const { report } = await run([check('both', ['test.a', 'test.b'])], [retried, source('test.b', async () => 2)]);
    assert.deepEqual([report.results[0]!.status, report.results[0]!.flaky], ['pass', true]);
  });

  it('a result with nothing found lists no findings: skipped, off and could-not-look alike', async () => {
    const down = source('test.b', async () => { throw new CollectFailure('UNREACHABLE', 'b is down'); });
    const { report } = await run([check('kept', ['test.b']), check('dropped', ['test.a'])], [one, down], { skip: ['dropped'] });
    assert.deepEqual(report.results.map((r) => [r.id, r.status, r.findings]), [['dropped', 'skipped', []], ['kept', 'error', []]]);
  });

  it('evaluate mode tells a check reading an optional key the snapshot lacks that it is MISSING', async () => {
    const seen: unknown[] = [];
    const reads = defineCheck({
      meta: { id: 'reads-b', phase: 'pre', title: 't', failureTitle: 'f', description: 'd', requires: ['test.a'], optional: ['test.b'], recommended: 'error' },
      evaluate: (input) => { seen.push(input['test.b']); return { status: 'pass' }; },
    }) as unknown as Check;
    const snapshot = { meta: { schemaVersion: 2 as const, phase: 'pre' as const, collectedAt: '2026-11-20T00:00:00Z', harnessVersion: 't', target: {}, scope: { namespace: 'mattermost', installation: 'mm' }, collectors: {} }, data: { 'test.a': 1 } };
    await run([reads], [], { snapshot });
    assert.deepEqual(seen, [{ $collectError: true, key: 'test.b', code: 'MISSING', message: 'the snapshot has no "test.b": it was saved by a run that did not need it' }]);
  });

  it('the baseline collector is told only the keys checks declare, not one for a check that declares none', async () => {
    const told: unknown[] = [];
    const baseline = { key: 'baseline', source: 'the --baseline file', collect: async (env: { baselineKeys?: unknown }) => { told.push(env.baselineKeys); return null; } } as unknown as Collector;
    const post = (id: string, baselineKeys?: Key[]) => defineCheck({
      meta: { id, phase: 'post', title: 't', failureTitle: 'f', description: 'd', requires: ['test.a'], ...(baselineKeys ? { baseline: baselineKeys } : {}), recommended: 'error' },
      evaluate: () => ({ status: 'pass' }),
    }) as unknown as Check;
    await run([post('compares', ['test.b']), post('plain')], [one, baseline], { phase: 'post' });
    assert.deepEqual(told, [['test.b']]);
  });
});

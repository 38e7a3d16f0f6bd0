import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { defineCheck } from './check.js';
import { CollectFailure, type CollectEnv, type Collector } from './collector.js';
import { configSchema } from './config/schema.js';
import { baselineKeysFor, markInterrupted, runGate, type RunOptions } from './runner.js';
import { Redactor } from './secrets.js';
import type { Check, Outcome } from './types.js';

// Test-only snapshot keys, declared like a plugin would.
declare module './types.js' {
  interface SnapshotData { 'test.a': number; 'test.b': number }
}

const mkCheck = (id: string, evaluate: (n: number) => Outcome, opts: { requires?: ('test.a' | 'test.b')[]; recommended?: 'off' | 'warn' | 'error'; phase?: 'pre' | 'post' } = {}) =>
  defineCheck({
    meta: { id, phase: opts.phase ?? 'pre', title: `${id} ok`, failureTitle: `${id} bad`, description: 'test', requires: opts.requires ?? ['test.a'], recommended: opts.recommended ?? 'error' },
    options: z.strictObject({ limit: z.number().default(10) }),
    evaluate: (input) => evaluate((input as unknown as Record<string, number>)['test.a'] ?? (input as unknown as Record<string, number>)['test.b'] ?? 0),
  }) as unknown as Check;

const collector = (key: 'test.a' | 'test.b', collect: Collector['collect'], retries = 0): Collector => ({ key, source: `source ${key}`, retries, collect } as Collector);

const fail: Outcome = { status: 'fail', findings: [{ message: 'bad', expected: '≤ 10', actual: '11' }] };

function options(checks: Check[], collectors: Collector[], over: Partial<RunOptions> = {}): RunOptions {
  return {
    phase: 'pre', checks, collectors: new Map(collectors.map((c) => [c.key, c])), config: configSchema.parse({}), configDir: '.',
    scope: { namespace: 'mattermost', installation: 'mm' }, target: { version: '11.7.1' },
    policy: { preset: 'recommended', checks: {}, waivers: [], ignore: [], today: '2026-11-20' },
    checkOptions: new Map(), timeouts: { collectorMs: 2_000, checkMs: 2_000, overallMs: 10_000 },
    ...over,
  };
}

describe('runner', () => {
  it('promotes when every check passes, and collects each key once for many checks', async () => {
    let calls = 0;
    const c = collector('test.a', async () => { calls++; return 5; });
    const { report, snapshot } = await runGate(options([mkCheck('one', () => ({ status: 'pass' })), mkCheck('two', () => ({ status: 'pass' }))], [c]));
    assert.equal(report.verdict.exitCode, 0);
    assert.equal(report.verdict.promote, true);
    assert.equal(calls, 1);
    assert.equal(snapshot.data['test.a'], 5);
    assert.equal(report.schemaVersion, 1);
  });

  it('a failed collector makes every check that needs it an error that blocks, and says why', async () => {
    const c = collector('test.a', async () => { throw new CollectFailure('UNREACHABLE', 'cannot reach https://api.example:6443'); });
    const { report } = await runGate(options([mkCheck('needs-a', () => ({ status: 'pass' }))], [c]));
    const r = report.results[0]!;
    assert.equal(r.status, 'error');
    assert.equal(r.blocking, true);
    assert.match(r.error!.message, /cannot reach https:\/\/api\.example:6443/);
    assert.equal(report.verdict.exitCode, 1);
    assert.deepEqual(report.verdict.blocking, ['needs-a']);
    assert.equal(report.collectors[0]!.ok, false);
  });

  it('a check that throws is an error, not a failure and never a pass', async () => {
    const c = collector('test.a', async () => 1);
    const { report } = await runGate(options([mkCheck('boom', () => { throw new Error('undefined is not a function'); })], [c]));
    assert.equal(report.results[0]!.status, 'error');
    assert.equal(report.results[0]!.error!.code, 'CHECK_THREW');
    assert.equal(report.verdict.promote, false);
  });

  it('a malformed outcome is an error (not-applicable needs a reason)', async () => {
    const c = collector('test.a', async () => 1);
    const { report } = await runGate(options([mkCheck('na', () => ({ status: 'not-applicable', reason: '' }))], [c]));
    assert.equal(report.results[0]!.status, 'error');
    assert.equal(report.results[0]!.error!.code, 'BAD_OUTCOME');
  });

  it('zero evaluated checks block', async () => {
    const { report } = await runGate(options([mkCheck('off-one', () => ({ status: 'pass' }), { recommended: 'off' })], []));
    assert.equal(report.results[0]!.status, 'skipped');
    assert.equal(report.verdict.exitCode, 1);
    assert.match(report.verdict.headline, /no check was evaluated/);
  });

  it('a run whose checks all errored at level warn does not promote: nothing was looked at', async () => {
    const c = collector('test.a', async () => { throw new CollectFailure('UNREACHABLE', 'down'); });
    const { report } = await runGate(options([mkCheck('soft', () => ({ status: 'pass' }), { recommended: 'warn' })], [c]));
    assert.equal(report.results[0]!.status, 'error');
    assert.equal(report.results[0]!.blocking, false);
    assert.equal(report.verdict.exitCode, 1);
  });

  it('only not-applicable results also block: nothing was shown to be safe', async () => {
    const c = collector('test.a', async () => 1);
    const { report } = await runGate(options([mkCheck('na', () => ({ status: 'not-applicable', reason: 'no blue/green configured' }))], [c]));
    assert.equal(report.verdict.exitCode, 1);
  });

  it('a check over its budget is an error, even a synchronous one that could not be interrupted', async () => {
    const c = collector('test.a', async () => 1);
    const slow = mkCheck('slow-check', () => { const end = Date.now() + 80; while (Date.now() < end) { /* busy */ } return { status: 'pass' }; });
    const { report } = await runGate(options([slow], [c], { timeouts: { collectorMs: 1_000, checkMs: 20, overallMs: 5_000 } }));
    assert.equal(report.results[0]!.status, 'error');
    assert.equal(report.results[0]!.error!.code, 'TIMEOUT');
  });

  it('a collector past its timeout becomes TIMEOUT and blocks', async () => {
    const c = collector('test.a', () => new Promise(() => undefined));
    const { report } = await runGate(options([mkCheck('slow', () => ({ status: 'pass' }))], [c], { timeouts: { collectorMs: 50, checkMs: 1_000, overallMs: 5_000 } }));
    assert.equal(report.results[0]!.status, 'error');
    assert.match(report.results[0]!.error!.message, /TIMEOUT|did not finish/);
    assert.equal(report.collectors[0]!.error!.code, 'TIMEOUT');
  });

  it('the overall deadline stops the run: partial, exit 3', async () => {
    const c = collector('test.a', () => new Promise(() => undefined));
    const { report } = await runGate(options([mkCheck('slow', () => ({ status: 'pass' }))], [c], { timeouts: { collectorMs: 5_000, checkMs: 1_000, overallMs: 60 } }));
    assert.equal(report.partial, true);
    assert.equal(report.verdict.exitCode, 3);
    assert.ok(report.notes.some((n) => /overall deadline/.test(n)));
  });

  it('an interrupt stops the run: partial, exit 3', async () => {
    const ac = new AbortController();
    const c = collector('test.a', () => new Promise(() => undefined));
    setTimeout(() => ac.abort(new Error('interrupted by SIGINT')), 30);
    const { report } = await runGate(options([mkCheck('slow', () => ({ status: 'pass' }))], [c], { signal: ac.signal }));
    assert.equal(report.verdict.exitCode, 3);
    assert.ok(report.notes.some((n) => /interrupted/.test(n)));
  });

  it('a signal before the run began: no source is asked, partial, exit 3, and the report says it was cut before collecting', async () => {
    const ac = new AbortController();
    ac.abort(new Error('interrupted by SIGTERM'));
    let called = 0;
    const c = collector('test.a', async () => { called++; return 1; });
    const { report, snapshot } = await runGate(options([mkCheck('slow', () => ({ status: 'pass' }))], [c], { signal: ac.signal }));
    assert.equal(called, 0, 'no collector ran');
    assert.equal(report.partial, true);
    assert.equal(report.verdict.exitCode, 3);
    assert.deepEqual(report.collectors.map((r) => r.error?.code), ['INTERRUPTED']);
    assert.ok(report.notes.some((n) => /cut before anything was collected \(interrupted by SIGTERM\)/.test(n)), report.notes.join('; '));
    assert.equal((snapshot.data as Record<string, { code?: string }>)['test.a']?.code, 'INTERRUPTED');
  });

  it('markInterrupted keeps the results but makes the report partial, exit 3', async () => {
    const { report } = await runGate(options([mkCheck('ok', () => ({ status: 'pass' }))], [collector('test.a', async () => 1)]));
    assert.equal(report.verdict.exitCode, 0);
    const cut = markInterrupted(report, new Error('interrupted by SIGINT'));
    assert.equal(cut.partial, true);
    assert.equal(cut.verdict.exitCode, 3);
    assert.deepEqual(cut.results, report.results);
    assert.match(cut.notes.at(-1) ?? '', /interrupted by SIGINT.*while the reports were written/);
  });

  it('retries transient collector failures and marks the pass flaky', async () => {
    let n = 0;
    const c = collector('test.a', async () => { if (++n < 2) throw new CollectFailure('SERVER_ERROR', '503', true); return 1; }, 2);
    const { report } = await runGate(options([mkCheck('retry', () => ({ status: 'pass' }))], [c]));
    assert.equal(report.results[0]!.status, 'pass');
    assert.equal(report.results[0]!.flaky, true);
    assert.equal(report.collectors[0]!.attempts, 2);
  });

  it('does not retry a permanent failure', async () => {
    let n = 0;
    const c = collector('test.a', async () => { n++; throw new CollectFailure('FORBIDDEN', 'forbidden', false); }, 3);
    await runGate(options([mkCheck('x', () => ({ status: 'pass' }))], [c]));
    assert.equal(n, 1);
  });

  it('a collector can use another one through need(), and a failed dependency fails it', async () => {
    const a = collector('test.a', async () => { throw new CollectFailure('UNREACHABLE', 'a is down'); });
    const b = collector('test.b', async (env) => (await env.need('test.a')) + 1);
    const { report } = await runGate(options([mkCheck('needs-b', () => ({ status: 'pass' }), { requires: ['test.b'] })], [a, b]));
    assert.equal(report.results[0]!.status, 'error');
    assert.match(report.results[0]!.error!.message, /a is down/);
  });

  it('a missing collector for a required key is an error naming the key', async () => {
    const { report } = await runGate(options([mkCheck('orphan', () => ({ status: 'pass' }), { requires: ['test.b'] })], []));
    assert.equal(report.results[0]!.status, 'error');
    assert.match(report.results[0]!.error!.message, /test\.b/);
  });

  it('secrets in collector errors are masked in the report', async () => {
    const redactor = new Redactor();
    redactor.add('s3cr3t-token-value');
    const c = collector('test.a', async () => { throw new CollectFailure('UNAUTHORIZED', 'token s3cr3t-token-value refused'); });
    const { report } = await runGate(options([mkCheck('x', () => ({ status: 'pass' }))], [c], { redactor }));
    assert.doesNotMatch(JSON.stringify(report), /s3cr3t-token-value/);
  });
});

describe('policy', () => {
  const c = collector('test.a', async () => 11);
  const failing = () => mkCheck('limit', () => fail);

  it('warn level reports the failure without blocking', async () => {
    const { report } = await runGate(options([failing()], [c], { policy: { preset: 'recommended', checks: { limit: 'warn' }, waivers: [], ignore: [], today: '2026-11-20' } }));
    assert.equal(report.results[0]!.status, 'fail');
    assert.equal(report.results[0]!.blocking, false);
    assert.equal(report.verdict.exitCode, 0);
    assert.deepEqual(report.verdict.warnings, ['limit']);
  });

  it('an active waiver demotes to warn and is shown; an expired one no longer applies and says so', async () => {
    const active = await runGate(options([failing()], [c], { policy: { preset: 'recommended', checks: {}, waivers: [{ check: 'limit', reason: 'CHG-1', expires: '2026-11-20' }], ignore: [], today: '2026-11-20' } }));
    assert.equal(active.report.verdict.exitCode, 0);
    assert.equal(active.report.results[0]!.waiver?.reason, 'CHG-1');
    const expired = await runGate(options([failing()], [c], { policy: { preset: 'recommended', checks: {}, waivers: [{ check: 'limit', reason: 'CHG-1', expires: '2026-11-19' }], ignore: [], today: '2026-11-20' } }));
    assert.equal(expired.report.verdict.exitCode, 1);
    assert.ok(expired.report.notes.some((n) => /expired on 2026-11-19/.test(n)));
  });

  it('--ignore demotes and records it', async () => {
    const { report } = await runGate(options([failing()], [c], { policy: { preset: 'recommended', checks: {}, waivers: [], ignore: ['limit'], today: '2026-11-20' } }));
    assert.equal(report.verdict.exitCode, 0);
    assert.ok(report.notes.some((n) => /--ignore/.test(n)));
  });

  it('strict raises warn-recommended checks to error; off stays off only when explicit', async () => {
    const soft = () => mkCheck('soft', () => fail, { recommended: 'warn' });
    const rec = await runGate(options([soft()], [c]));
    assert.equal(rec.report.verdict.exitCode, 0);
    const strict = await runGate(options([soft()], [c], { policy: { preset: 'strict', checks: {}, waivers: [], ignore: [], today: '2026-11-20' } }));
    assert.equal(strict.report.verdict.exitCode, 1);
    const off = await runGate(options([soft(), mkCheck('other', () => ({ status: 'pass' }))], [c], { policy: { preset: 'strict', checks: { soft: 'off' }, waivers: [], ignore: [], today: '2026-11-20' } }));
    assert.equal(off.report.results.find((r) => r.id === 'soft')!.status, 'skipped');
    assert.equal(off.report.verdict.exitCode, 0);
  });

  it('a warn outcome never blocks, even at level error', async () => {
    const { report } = await runGate(options([mkCheck('w', () => ({ status: 'warn', findings: [{ message: 'update job disabled' }] }))], [c]));
    assert.equal(report.verdict.exitCode, 0);
    assert.equal(report.results[0]!.status, 'warn');
  });

  it('evaluate mode judges a saved snapshot without collecting; a key it lacks is an error', async () => {
    const snapshot = { meta: { schemaVersion: 2 as const, phase: 'pre' as const, collectedAt: '2026-11-20T00:00:00Z', harnessVersion: 't', target: {}, scope: { namespace: 'mattermost', installation: 'mm' }, collectors: {} }, data: { 'test.a': 11 } };
    const { report } = await runGate(options([failing(), mkCheck('b', () => ({ status: 'pass' }), { requires: ['test.b'] })], [], { snapshot }));
    assert.equal(report.results.find((r) => r.id === 'limit')!.status, 'fail');
    assert.equal(report.results.find((r) => r.id === 'b')!.status, 'error');
  });
});

describe('runner: what a run records', () => {
  const data = (key: 'test.a' | 'test.b', value: number) => collector(key, async () => value);

  it('a check sees its optional keys when collected, and still runs when one failed', async () => {
    const seen: unknown[] = [];
    const check = defineCheck({
      meta: { id: 'opt', phase: 'pre', title: 'opt ok', failureTitle: 'opt bad', description: 'test', requires: ['test.a'], optional: ['test.b'], recommended: 'error' },
      evaluate: (input) => { seen.push(input); return { status: 'pass' }; },
    }) as unknown as Check;
    const ok = await runGate(options([check], [data('test.a', 1), data('test.b', 2)]));
    assert.deepEqual(seen[0], { 'test.a': 1, 'test.b': 2 });
    assert.equal(ok.report.results[0]!.status, 'pass');
    const down = collector('test.b', async () => { throw new CollectFailure('UNREACHABLE', 'b is down'); });
    const failedOptional = await runGate(options([check], [data('test.a', 1), down]));
    assert.equal(failedOptional.report.results[0]!.status, 'pass', 'an optional key that failed does not make the check an error');
    assert.equal((seen[1] as Record<string, { $collectError?: boolean }>)['test.b']?.$collectError, true, 'the check is told it failed');
  });

  it('keeps in the snapshot a key collected only through need(), so the run can be replayed', async () => {
    const b = collector('test.b', async (env) => (await env.need('test.a')) * 10);
    const { snapshot, report } = await runGate(options([mkCheck('needs-b', () => ({ status: 'pass' }), { requires: ['test.b'] })], [data('test.a', 4), b]));
    assert.deepEqual(snapshot.data, { 'test.a': 4, 'test.b': 40 });
    assert.deepEqual(report.collectors.map((c) => c.key), ['test.a', 'test.b']);
  });

  it('calls the live hooks once per collector and per check, skipped checks included', async () => {
    const collectors: string[] = [];
    const checks: string[] = [];
    await runGate(options([mkCheck('one', () => ({ status: 'pass' })), mkCheck('two', () => ({ status: 'pass' }), { recommended: 'off' })], [data('test.a', 1)], {
      onCollectorEnd: (r) => collectors.push(`${r.key}:${r.ok}`), onCheckEnd: (r) => checks.push(`${r.id}:${r.status}`),
    }));
    assert.deepEqual(collectors, ['test.a:true']);
    assert.deepEqual(checks, ['one:pass', 'two:skipped']);
  });

  it('lists results and collectors sorted by id, and judges only the checks of its phase', async () => {
    const slowA = collector('test.a', () => new Promise((r) => setTimeout(() => r(1), 40)));
    const { report } = await runGate(options([mkCheck('zulu', () => ({ status: 'pass' })), mkCheck('alpha', () => ({ status: 'pass' }), { requires: ['test.b'] }), mkCheck('later', () => ({ status: 'pass' }), { phase: 'post' })], [slowA, data('test.b', 2)]));
    assert.deepEqual(report.results.map((r) => r.id), ['alpha', 'zulu']);
    assert.deepEqual(report.collectors.map((c) => c.key), ['test.a', 'test.b'], 'sorted, though test.b finished first');
    assert.deepEqual(report.results[0]!.findings, [], 'a pass has an empty findings list');
    assert.equal(report.phase, 'pre');
    assert.equal(report.command, 'preflight');
    assert.equal(report.results[0]!.title, 'alpha ok', 'a pass carries the title');
  });

  it('a failing result carries the failure title, its level and its findings', async () => {
    const { report } = await runGate(options([mkCheck('limit', () => fail)], [data('test.a', 11)]));
    const r = report.results[0]!;
    assert.equal(r.title, 'limit bad');
    assert.equal(r.level, 'error');
    assert.deepEqual(r.findings, fail.findings);
    assert.equal(r.description, 'test');
  });

  it('keeps a check\'s summary and measurements, and a not-applicable reason', async () => {
    const { report } = await runGate(options([
      mkCheck('measured', () => ({ status: 'pass', summary: '3 of 3 fine', measured: { fine: 3 } })),
      mkCheck('na', () => ({ status: 'not-applicable', reason: 'no job server', measured: { jobServers: 0 } })),
    ], [data('test.a', 1)]));
    const [measured, na] = [report.results.find((r) => r.id === 'measured')!, report.results.find((r) => r.id === 'na')!];
    assert.equal(measured.summary, '3 of 3 fine');
    assert.deepEqual(measured.measured, { fine: 3 });
    assert.equal(na.reason, 'no job server');
    assert.equal(na.title, 'na ok', 'not-applicable is not a failure');
    assert.equal(na.blocking, false);
    assert.deepEqual(na.measured, { jobServers: 0 });
  });

  it('an outcome that is not an outcome is an error that says why', async () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /returned no outcome/], [{ status: 'fail' }, /fail needs findings/], [{ status: 'warn', findings: 'x' }, /warn needs findings/],
      [{ status: 'maybe' }, /unknown status "maybe"/], [{ status: 'not-applicable' }, /not-applicable needs a reason/],
      [{ status: 'error', findings: [] }, /error needs error.code and error.message/], [{ status: 'error', findings: [], error: { code: '', message: 'x' } }, /error needs error.code/],
      [{ status: 'fail', findings: [], error: { message: 'x' } }, /fail needs error.code/],
    ];
    for (const [outcome, why] of cases) {
      const { report } = await runGate(options([mkCheck('odd', () => outcome as Outcome)], [data('test.a', 1)]));
      assert.equal(report.results[0]!.status, 'error', JSON.stringify(outcome));
      assert.equal(report.results[0]!.error?.code, 'BAD_OUTCOME');
      assert.match(report.results[0]!.error?.message ?? '', why);
      assert.equal(report.results[0]!.blocking, true);
    }
  });

  it('a check that could not look says error with its own code and findings, and it blocks', async () => {
    const pod = { message: 'pod mm-1 could not be asked', subject: { kind: 'Pod', name: 'mm-1' }, expected: 'an answer', actual: 'FORBIDDEN', remediation: 'grant pods/proxy' };
    const { report } = await runGate(options([mkCheck('looks', () => ({ status: 'error', error: { code: 'FORBIDDEN', message: 'could not look at Pod mm-1 (FORBIDDEN)' }, findings: [pod], summary: '0/1 asked' }))], [data('test.a', 1)]));
    const r = report.results[0]!;
    assert.deepEqual([r.status, r.error, r.findings, r.summary, r.blocking, r.title], ['error', { code: 'FORBIDDEN', message: 'could not look at Pod mm-1 (FORBIDDEN)' }, [pod], '0/1 asked', true, 'looks bad']);
    assert.equal(report.verdict.counts.error, 1);
    assert.equal(report.verdict.promote, false);
  });

  it('a fail that could not look everywhere keeps its error beside the findings', async () => {
    const found = { message: 'pod mm-2 is unhealthy', expected: 'OK', actual: 'UNHEALTHY' };
    const { report } = await runGate(options([mkCheck('mixed', () => ({ status: 'fail', findings: [found], error: { code: 'TIMEOUT', message: 'also could not look at Pod mm-1 (TIMEOUT)' } }))], [data('test.a', 1)]));
    const r = report.results[0]!;
    assert.deepEqual([r.status, r.error?.code, r.findings], ['fail', 'TIMEOUT', [found]]);
  });

  it('a pass is flaky only when a collector it requires needed retries', async () => {
    let n = 0;
    const flaky = collector('test.a', async () => { if (++n < 2) throw new CollectFailure('SERVER_ERROR', '503', true); return 1; }, 2);
    const { report } = await runGate(options([mkCheck('a-check', () => ({ status: 'pass' })), mkCheck('b-check', () => ({ status: 'pass' }), { requires: ['test.b'] })], [flaky, data('test.b', 2)]));
    assert.equal(report.results.find((r) => r.id === 'a-check')!.flaky, true);
    assert.equal(report.results.find((r) => r.id === 'b-check')!.flaky, undefined);
    n = 0;
    const failing = await runGate(options([mkCheck('a-check', () => fail)], [flaky]));
    assert.equal(failing.report.results[0]!.flaky, undefined, 'only a pass is marked flaky');
  });

  it('a collector needed by a check and through need() by another is collected once', async () => {
    let calls = 0;
    const a = collector('test.a', async () => { calls++; return 3; });
    const b = collector('test.b', async (env) => (await env.need('test.a')) + 1);
    const { report } = await runGate(options([mkCheck('needs-a', () => ({ status: 'pass' })), mkCheck('needs-b', () => ({ status: 'pass' }), { requires: ['test.b'] })], [a, b]));
    assert.equal(calls, 1);
    assert.equal(report.verdict.promote, true);
  });

  it('an interrupt stops a check that is still running: its error says it was stopped and why', async () => {
    const ac = new AbortController();
    const hanging = mkCheck('hanging', () => new Promise<Outcome>(() => undefined) as unknown as Outcome);
    setTimeout(() => ac.abort(new Error('interrupted by SIGTERM')), 30);
    const { report } = await runGate(options([hanging], [data('test.a', 1)], { signal: ac.signal }));
    assert.equal(report.results[0]!.error?.code, 'TIMEOUT');
    assert.equal(report.results[0]!.error?.message, 'check hanging was stopped: interrupted by SIGTERM');
  });

  it('gives up after the allowed retries and reports every attempt', async () => {
    let n = 0;
    const c = collector('test.a', async () => { n++; throw new CollectFailure('SERVER_ERROR', '503 again', true); }, 1);
    const { report } = await runGate(options([mkCheck('x', () => ({ status: 'pass' }))], [c]));
    assert.equal(n, 2);
    assert.deepEqual(report.collectors[0], { key: 'test.a', ok: false, durationMs: report.collectors[0]!.durationMs, attempts: 2, error: { code: 'SERVER_ERROR', message: '503 again' } });
    assert.match(report.results[0]!.error!.message, /^could not look, so cannot pass: test\.a: 503 again$/);
    assert.equal(report.results[0]!.error!.code, 'COLLECTOR_FAILED');
  });

  it('a collector\'s own budget replaces timeouts.collector', async () => {
    const slow = { ...collector('test.a', () => new Promise((r) => setTimeout(() => r(1), 300))), budgetMs: () => 30 } as Collector;
    const { report } = await runGate(options([mkCheck('x', () => ({ status: 'pass' }))], [slow]));
    assert.equal(report.collectors[0]!.error?.code, 'TIMEOUT');
    assert.match(report.collectors[0]!.error?.message ?? '', /source test\.a did not finish within 0s/);
  });

  it('a thrown error that is not a CollectFailure is FAILED, with its message', async () => {
    const c = collector('test.a', async () => { throw new TypeError('cannot read properties of undefined'); });
    const { report } = await runGate(options([mkCheck('x', () => ({ status: 'pass' }))], [c]));
    assert.deepEqual(report.collectors[0]!.error, { code: 'FAILED', message: 'cannot read properties of undefined' });
  });

  it('an interrupted run marks checks not yet evaluated INTERRUPTED and says it was interrupted, not the deadline', async () => {
    const ac = new AbortController();
    const c = collector('test.a', async () => { ac.abort(new Error('SIGINT')); return 1; });
    const { report } = await runGate(options([mkCheck('x', () => ({ status: 'pass' }))], [c], { signal: ac.signal }));
    assert.equal(report.results[0]!.error?.code, 'INTERRUPTED');
    assert.deepEqual(report.notes, ['the run was interrupted (SIGINT)']);
    assert.equal(report.partial, true);
  });

  it('records when it ran, with which harness, and its duration from the clock it is given', async () => {
    let t = Date.parse('2026-11-20T10:00:00Z');
    const { report, snapshot } = await runGate(options([mkCheck('x', () => ({ status: 'pass' }))], [data('test.a', 1)], { now: () => new Date((t += 1000)) }));
    assert.equal(report.startedAt, '2026-11-20T10:00:01.000Z');
    assert.equal(report.durationMs, Date.parse(report.finishedAt) - Date.parse(report.startedAt));
    assert.ok(report.durationMs > 0);
    assert.equal(report.tool.name, 'mmgate');
    assert.equal(snapshot.meta.collectedAt, report.startedAt);
    assert.equal(snapshot.meta.phase, 'pre');
    assert.deepEqual(snapshot.meta.scope, { namespace: 'mattermost', installation: 'mm' });
  });
});

describe('runner: snapshots and shared clients', () => {
  it('evaluate mode hands a check null data as data, and names a key the snapshot lacks', async () => {
    const seen: unknown[] = [];
    const snapshot = { meta: { schemaVersion: 1 as const, phase: 'pre' as const, collectedAt: '2026-11-20T00:00:00Z', harnessVersion: 't', target: {}, scope: { namespace: 'mattermost', installation: 'mm' }, collectors: {} }, data: { 'test.a': null } };
    const { report } = await runGate(options([mkCheck('nullable', (n) => { seen.push(n); return { status: 'pass' }; }), mkCheck('lacking', () => ({ status: 'pass' }), { requires: ['test.b'] })], [], { snapshot: snapshot as never }));
    assert.equal(report.results.find((r) => r.id === 'nullable')!.status, 'pass', 'null is data (a resource that does not exist)');
    assert.match(report.results.find((r) => r.id === 'lacking')!.error?.message ?? '', /the snapshot has no "test\.b": it was saved by a run that did not need it/);
  });

  it('a key no collector provides says which plugin may be missing', async () => {
    const { report } = await runGate(options([mkCheck('orphan', () => ({ status: 'pass' }), { requires: ['test.b'] })], []));
    assert.match(report.results[0]!.error?.message ?? '', /no collector provides "test\.b": is the plugin that defines it listed under plugins:\?/);
    assert.deepEqual(report.collectors[0]?.error?.code, 'NO_COLLECTOR');
  });

  it('collectors share one client per name for the whole run', async () => {
    let created = 0;
    const client = () => { created++; return Promise.resolve({ id: created }); };
    const a = collector('test.a', async (env) => (await env.shared('api', client)).id);
    const b = collector('test.b', async (env) => (await env.shared('api', client)).id);
    const { snapshot } = await runGate(options([mkCheck('needs-a', () => ({ status: 'pass' })), mkCheck('needs-b', () => ({ status: 'pass' }), { requires: ['test.b'] })], [a, b]));
    assert.equal(created, 1);
    assert.deepEqual(snapshot.data, { 'test.a': 1, 'test.b': 1 });
  });

  it('a check left out carries its ordinary title, not the failure one', async () => {
    const { report } = await runGate(options([mkCheck('x', () => ({ status: 'pass' })), mkCheck('left-out', () => fail)], [collector('test.a', async () => 1)], { skip: ['left-out'] }));
    assert.equal(report.results.find((r) => r.id === 'left-out')!.title, 'left-out ok');
  });
});

describe('runner: the preflight baseline and what each check is told', () => {
  const data = (key: 'test.a' | 'test.b', value: number) => collector(key, async () => value);
  const policy = (checks: Record<string, 'off' | 'warn' | 'error'> = {}): RunOptions['policy'] => ({ preset: 'recommended', checks, waivers: [], ignore: [], today: '2026-11-20' });
  /** A verify check that compares with what preflight saved under `baseline`. */
  const comparing = (id: string, baseline: ('test.a' | 'test.b')[], seen: unknown[] = []) => defineCheck({
    meta: { id, phase: 'post', title: `${id} ok`, failureTitle: `${id} bad`, description: 'test', requires: ['test.a'], baseline, recommended: 'error' },
    evaluate: (input) => { seen.push(input); return { status: 'pass' }; },
  }) as unknown as Check;

  it('preflight collects what the enabled verify checks compare with, without making it required', async () => {
    const b = collector('test.b', async () => { throw new CollectFailure('UNREACHABLE', 'b is down'); });
    const out = await runGate(options([mkCheck('pre-a', () => ({ status: 'pass' })), comparing('compares-b', ['test.b'])], [data('test.a', 1), b]));
    assert.ok('test.b' in out.snapshot.data, 'the snapshot holds test.b for verify to compare with');
    assert.deepEqual(out.report.collectors.map((c) => `${c.key}:${c.ok}`), ['test.a:true', 'test.b:false']);
    assert.deepEqual(out.required, ['test.a'], 'a baseline-only key that fails is recorded, not a setup error');
    assert.equal(out.report.verdict.exitCode, 0, 'preflight is judged on its own checks');
  });

  it('preflight leaves out the baseline of a verify check the policy turns off, and --only does not narrow it', async () => {
    let asked = 0;
    const b = collector('test.b', async () => { asked++; return 2; });
    const checks = [mkCheck('pre-a', () => ({ status: 'pass' })), mkCheck('pre-other', () => ({ status: 'pass' })), comparing('compares-b', ['test.b'])];
    const off = await runGate(options(checks, [data('test.a', 1), b], { policy: policy({ 'compares-b': 'off' }) }));
    assert.equal(asked, 0);
    assert.deepEqual(Object.keys(off.snapshot.data), ['test.a']);
    const only = await runGate(options(checks, [data('test.a', 1), b], { only: ['pre-other'] }));
    assert.equal(asked, 1, '--only picks preflight checks, not what verify will need');
    assert.equal(only.snapshot.data['test.b'], 2);
  });

  it('verify and evaluate do not collect baseline keys themselves: verify reads them from the baseline', async () => {
    let asked = 0;
    const b = collector('test.b', async () => { asked++; return 2; });
    const baseline = { key: 'baseline', source: 'the --baseline file', collect: async () => ({ kept: true }) } as unknown as Collector;
    const verify = await runGate(options([comparing('compares-b', ['test.b'])], [data('test.a', 1), b, baseline], { phase: 'post' }));
    assert.equal(asked, 0);
    assert.deepEqual(Object.keys(verify.snapshot.data).sort(), ['baseline', 'test.a']);
    const snapshot = { meta: { schemaVersion: 2 as const, phase: 'pre' as const, collectedAt: '2026-11-20T00:00:00Z', harnessVersion: 't', target: {}, scope: { namespace: 'mattermost', installation: 'mm' }, collectors: {} }, data: { 'test.a': 1 } };
    const evaluate = await runGate(options([mkCheck('pre-a', () => ({ status: 'pass' })), comparing('compares-b', ['test.b'])], [b], { snapshot }));
    assert.equal(asked, 0, 'evaluate judges the saved snapshot');
    assert.equal(evaluate.report.verdict.exitCode, 0);
  });

  it('baselineKeysFor: the sorted union over enabled verify checks, preflight checks ignored', () => {
    const preWithBaseline = defineCheck({
      meta: { id: 'pre-b', phase: 'pre', title: 't', failureTitle: 'f', description: 'd', requires: ['test.a'], baseline: ['test.a'], recommended: 'error' },
      evaluate: () => ({ status: 'pass' }),
    }) as unknown as Check;
    const checks = [comparing('one', ['test.b']), comparing('two', ['test.b', 'test.a']), comparing('none', []), preWithBaseline];
    assert.deepEqual(baselineKeysFor(checks, policy()), ['test.a', 'test.b']);
    assert.deepEqual(baselineKeysFor(checks, policy({ two: 'off' })), ['test.b']);
    assert.deepEqual(baselineKeysFor([preWithBaseline, comparing('none', [])], policy()), []);
  });

  it('verify hands the baseline collector the keys its planned checks compare with, and each such check its baseline', async () => {
    const envs: CollectEnv[] = [];
    const baseline = { key: 'baseline', source: 'the --baseline file', collect: async (env: CollectEnv) => { envs.push(env); return { from: env.baselinePath }; } } as unknown as Collector;
    const seen: unknown[] = [];
    const checks = [comparing('one', ['test.b'], seen), comparing('two', ['test.b', 'test.a'], seen), comparing('skipped', ['test.a']), comparing('plain', [], seen)];
    const { report } = await runGate(options(checks, [data('test.a', 1), baseline], { phase: 'post', skip: ['skipped'], baselinePath: 'reports/preflight.snapshot.json' }));
    assert.equal(report.verdict.exitCode, 0);
    assert.deepEqual(envs.map((e) => e.baselineKeys), [['test.b', 'test.a']], 'collected once, with each key once');
    assert.deepEqual(seen, [
      { 'test.a': 1, baseline: { from: 'reports/preflight.snapshot.json' } },
      { 'test.a': 1, baseline: { from: 'reports/preflight.snapshot.json' } },
      { 'test.a': 1 },
    ], 'a check without a baseline does not see it');
    const none = await runGate(options([comparing('one', ['test.b'])], [data('test.a', 1), baseline], { phase: 'post' }));
    assert.equal(none.snapshot.data.baseline !== undefined, true);
    assert.equal('baselinePath' in envs[1]!, false, 'no --baseline: no path');
  });

  it('tells each check which checks are on in any phase, as the policy leaves them, or as given', async () => {
    const seen: (readonly string[])[] = [];
    const spy = (id: string, phase: 'pre' | 'post' = 'pre', recommended: 'off' | 'warn' | 'error' = 'error') => defineCheck({
      meta: { id, phase, title: 't', failureTitle: 'f', description: 'd', requires: ['test.a'], recommended },
      evaluate: (_input, ctx) => { seen.push([...(ctx.checksOn ?? [])].sort()); return { status: 'pass' }; },
    }) as unknown as Check;
    const checks = [spy('here'), spy('soft', 'pre', 'warn'), spy('later', 'post'), spy('never', 'post', 'off'), spy('left-out')];
    await runGate(options(checks, [data('test.a', 1)], { skip: ['left-out'] }));
    assert.deepEqual(seen, [['here', 'later', 'left-out', 'soft'], ['here', 'later', 'left-out', 'soft']], '--skip leaves a check on for the others; off does not');
    seen.length = 0;
    await runGate(options([spy('here')], [data('test.a', 1)], { checksOn: ['here', 'error-rate'] }));
    assert.deepEqual(seen, [['error-rate', 'here']]);
  });

  it('hands a check its resolved options, or its defaults when none were resolved', async () => {
    const limits: unknown[] = [];
    const check = defineCheck({
      meta: { id: 'opts', phase: 'pre', title: 't', failureTitle: 'f', description: 'd', requires: ['test.a'], recommended: 'error' },
      options: z.strictObject({ limit: z.number().default(10) }),
      evaluate: (_input, ctx) => { limits.push(ctx.options.limit); return { status: 'pass' }; },
    }) as unknown as Check;
    await runGate(options([check], [data('test.a', 1)]));
    await runGate(options([check], [data('test.a', 1)], { checkOptions: new Map([['opts', { limit: 3 }]]) }));
    assert.deepEqual(limits, [10, 3]);
  });

  it('judges a saved snapshot at the time it was collected, and at the clock when that time is unreadable', async () => {
    const times: string[] = [];
    const check = defineCheck({
      meta: { id: 'clock', phase: 'pre', title: 't', failureTitle: 'f', description: 'd', requires: ['test.a'], recommended: 'error' },
      evaluate: (_input, ctx) => { times.push(ctx.now.toISOString()); return { status: 'pass' }; },
    }) as unknown as Check;
    const saved = (collectedAt: string) => ({ meta: { schemaVersion: 2 as const, phase: 'pre' as const, collectedAt, harnessVersion: 't', target: {}, scope: { namespace: 'mattermost', installation: 'mm' }, collectors: {} }, data: { 'test.a': 1 } });
    const now = () => new Date('2026-11-25T08:00:00Z');
    await runGate(options([check], [], { snapshot: saved('2026-11-20T06:30:00Z'), now }));
    await runGate(options([check], [], { snapshot: saved('not a date'), now }));
    await runGate(options([check], [data('test.a', 1)], { now }));
    assert.deepEqual(times, ['2026-11-20T06:30:00.000Z', '2026-11-25T08:00:00.000Z', '2026-11-25T08:00:00.000Z']);
  });

  it('gathers what changed since preflight from every check, in the order of the results (by id), and only when some check compared', async () => {
    const change = (item: string) => ({ area: 'config', item, before: 'a', after: 'b', judged: 'info' as const });
    const { report } = await runGate(options([
      mkCheck('zz-config', () => ({ status: 'pass', changes: [change('ServiceSettings.SiteURL')] })),
      mkCheck('aa-plugins', () => ({ status: 'warn', findings: [{ message: 'plugin changed' }], changes: [change('com.example.a'), change('com.example.b')] })),
      mkCheck('quiet', () => ({ status: 'pass' })),
    ], [data('test.a', 1)]));
    assert.deepEqual(report.changes, [
      { check: 'aa-plugins', ...change('com.example.a') }, { check: 'aa-plugins', ...change('com.example.b') }, { check: 'zz-config', ...change('ServiceSettings.SiteURL') },
    ]);
    assert.deepEqual(report.results.find((r) => r.id === 'zz-config')!.changes, [change('ServiceSettings.SiteURL')]);
    const none = await runGate(options([mkCheck('quiet', () => ({ status: 'pass' }))], [data('test.a', 1)]));
    assert.equal('changes' in none.report, false);
  });

  it('keeps a check\'s availability timeline in its result', async () => {
    const timeline = { startedAt: '2026-11-20T10:00:00Z', durationMs: 1000, outages: [], samples: [{ t: 0, ok: true, status: 200, ms: 12, fresh: true }] };
    const { report } = await runGate(options([mkCheck('watch', () => ({ status: 'pass', timeline }))], [data('test.a', 1)]));
    assert.deepEqual(report.results[0]!.timeline, timeline);
  });
});

describe('runner: deadlines, retries and interrupts', () => {
  const data = (key: 'test.a' | 'test.b', value: number) => collector(key, async () => value);

  it('a collector stopped at its deadline gets a moment to undo what it made before the run goes on', async () => {
    let undone = false;
    const c = { ...collector('test.a', (env) => new Promise((_, reject) => env.signal.addEventListener('abort', () => setTimeout(() => { undone = true; reject(new Error('stopped')); }, 60)))), budgetMs: () => 30 } as Collector;
    const { report } = await runGate(options([mkCheck('x', () => ({ status: 'pass' }))], [c]));
    assert.equal(undone, true, 'its cleanup ran before the run ended');
    assert.equal(report.collectors[0]!.error?.code, 'TIMEOUT');
  });

  it('waits longer before each retry of a transient failure', async () => {
    const at: number[] = [];
    const c = collector('test.a', async () => { at.push(performance.now()); if (at.length < 3) throw new CollectFailure('SERVER_ERROR', '503', true); return 1; }, 2);
    const { report } = await runGate(options([mkCheck('x', () => ({ status: 'pass' }))], [c]));
    assert.equal(report.results[0]!.flaky, true);
    const [first, second] = [at[1]! - at[0]!, at[2]! - at[1]!];
    assert.ok(first >= 180, `first retry after ${first} ms, not before 200 ms`);
    assert.ok(second >= 380, `second retry after ${second} ms, not before 400 ms`);
    assert.ok(second < 1900, `second retry after ${second} ms: the wait doubles from 200 ms, it does not start at the 2 s cap`);
  });

  it('does not retry a transient failure once the run was interrupted', async () => {
    const ac = new AbortController();
    let n = 0;
    const c = collector('test.a', async () => { n++; ac.abort(new Error('SIGINT')); throw new CollectFailure('SERVER_ERROR', '503', true); }, 3);
    const { report } = await runGate(options([mkCheck('x', () => ({ status: 'pass' }))], [c], { signal: ac.signal }));
    assert.equal(n, 1);
    assert.deepEqual(report.collectors[0]!.error, { code: 'SERVER_ERROR', message: '503' });
  });

  it('a dependency fetched through need() is required only when the collector asking is', async () => {
    const b = collector('test.b', async (env) => (await env.need('test.a')) + 1);
    const viaRequired = await runGate(options([mkCheck('needs-b', () => ({ status: 'pass' }), { requires: ['test.b'] })], [data('test.a', 1), b]));
    assert.deepEqual(viaRequired.required, ['test.a', 'test.b']);
    const optional = defineCheck({
      meta: { id: 'maybe-b', phase: 'pre', title: 't', failureTitle: 'f', description: 'd', requires: [], optional: ['test.b'], recommended: 'error' },
      evaluate: () => ({ status: 'pass' }),
    }) as unknown as Check;
    const viaOptional = await runGate(options([optional], [data('test.a', 1), b]));
    assert.deepEqual(viaOptional.snapshot.data, { 'test.a': 1, 'test.b': 2 });
    assert.deepEqual(viaOptional.required, []);
  });

  it('names the overall deadline in seconds, in the note and in what it stopped', async () => {
    const c = collector('test.a', () => new Promise(() => undefined));
    const { report } = await runGate(options([mkCheck('slow', () => ({ status: 'pass' }))], [c], { timeouts: { collectorMs: 5_000, checkMs: 1_000, overallMs: 60 } }));
    assert.deepEqual(report.notes, ['the overall deadline (0s) was reached: raise timeouts.overall or find the slow source in "collectors"']);
    assert.equal(report.collectors[0]!.error?.message, 'source test.a was stopped: overall deadline of 0s reached');
    assert.equal(report.results[0]!.error?.code, 'COLLECTOR_FAILED');
  });

  it('an interrupt without a reason still says what stopped, and a source not yet asked says it was not collected', async () => {
    const ac = new AbortController();
    const hanging = mkCheck('hanging', () => new Promise<Outcome>(() => undefined) as unknown as Outcome);
    setTimeout(() => ac.abort('no reason given'), 30);
    const { report } = await runGate(options([hanging], [data('test.a', 1)], { signal: ac.signal }));
    assert.equal(report.results[0]!.error?.message, 'check hanging was stopped: run interrupted');
    assert.deepEqual(report.notes, ['the run was interrupted (SIGINT/SIGTERM)']);
    const before = new AbortController();
    before.abort(new Error('interrupted by SIGTERM'));
    const cut = await runGate(options([mkCheck('x', () => ({ status: 'pass' }))], [data('test.a', 1)], { signal: before.signal }));
    assert.equal(cut.report.collectors[0]!.error?.message, 'not collected: interrupted by SIGTERM');
    assert.equal(cut.report.results[0]!.error?.code, 'COLLECTOR_FAILED', 'a source not asked is not data');
  });

  it('many sources and listeners on one run raise no listener-leak warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const keys = Array.from({ length: 12 }, (_, i) => `test.k${i}`);
      const listens = (key: string) => ({ key, source: key, collect: async (env: CollectEnv) => { for (let i = 0; i < 12; i++) env.signal.addEventListener('abort', () => undefined); await new Promise((r) => setTimeout(r, 10)); return 1; } }) as unknown as Collector;
      const check = defineCheck({
        meta: { id: 'wide', phase: 'pre', title: 't', failureTitle: 'f', description: 'd', requires: keys as never[], recommended: 'error' },
        evaluate: () => ({ status: 'pass' }),
      }) as unknown as Check;
      const { report } = await runGate(options([check], keys.map(listens)));
      assert.equal(report.verdict.exitCode, 0);
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(warnings.filter((w) => w === 'MaxListenersExceededWarning'), []);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

/**
 * Policy scope: every knob (level, preset, waiver, --ignore, --only/--skip, strict) changes exactly
 * the check it names and no other. Four checks that all find a problem run together through the
 * real runner, and each case states what becomes of every one of them: a knob that leaks to a
 * neighbour (a waiver for one check waiving all of them) would promote an upgrade that must block.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineCheck } from './check.js';
import type { Collector } from './collector.js';
import { configSchema } from './config/schema.js';
import { checkPolicy, decide, isBlocking, type PolicyInput } from './policy.js';
import { runGate, type RunOptions } from './runner.js';
import type { Check, CheckResult, Level, ResultStatus } from './types.js';

declare module './types.js' {
  interface SnapshotData { 'policy.data': number }
}

const TODAY = '2026-11-20';

/** A check that always finds one problem, recommended at `recommended`. */
const finding = (id: string, recommended: Level): Check => defineCheck({
  meta: { id, phase: 'pre', title: `${id} ok`, failureTitle: `${id} found a problem`, description: 'test', requires: ['policy.data'], recommended },
  evaluate: () => ({ status: 'fail', findings: [{ message: `${id} is broken`, expected: 'fine', actual: 'broken' }] }),
}) as unknown as Check;

// alpha, beta: blocking by default · gamma: warn by default · delta: off by default.
const CHECKS = [finding('alpha', 'error'), finding('beta', 'error'), finding('gamma', 'warn'), finding('delta', 'off')];
const data: Collector = { key: 'policy.data', source: 'test data', collect: async () => 1 } as Collector;

/** What became of one check: it blocks, it is reported without blocking (at its level), or it did not run. */
type Fate = 'blocks' | 'reports' | 'skipped';
const fateOf = (r: CheckResult): Fate => (r.status === 'skipped' ? 'skipped' : r.blocking ? 'blocks' : 'reports');

const DEFAULT: Record<string, Fate> = { alpha: 'blocks', beta: 'blocks', gamma: 'reports', delta: 'skipped' };

interface Case {
  name: string;
  policy?: Partial<PolicyInput>;
  only?: string[];
  skip?: string[];
  /** What differs from DEFAULT; every other check must stay as it is there. */
  changes: Record<string, Fate>;
  /** Notes the run must carry, each naming the check it is about. */
  notes?: RegExp[];
  then?: (results: Map<string, CheckResult>) => void;
}

const waiver = (check: string, expires: string) => ({ check, reason: `CHG-${check}`, expires });

const cases: Case[] = [
  { name: 'the recommended preset: each check at its recommended level', changes: {} },
  { name: 'a level in config moves that check only (error → warn)', policy: { checks: { alpha: 'warn' } }, changes: { alpha: 'reports' } },
  { name: 'a level in config moves that check only (warn → error)', policy: { checks: { gamma: 'error' } }, changes: { gamma: 'blocks' } },
  { name: 'a level with options in config moves that check only (off → error)', policy: { checks: { delta: ['error', {}] } }, changes: { delta: 'blocks' } },
  { name: 'off in config turns that check off only', policy: { checks: { beta: 'off' } }, changes: { beta: 'skipped' } },
  { name: 'strict raises every check to error, off-by-default ones too', policy: { preset: 'strict' }, changes: { gamma: 'blocks', delta: 'blocks' } },
  { name: 'under strict an explicit level still wins, for that check only', policy: { preset: 'strict', checks: { beta: 'warn', delta: 'off' } }, changes: { gamma: 'blocks', beta: 'reports' } },
  {
    name: 'an active waiver demotes the check it names and no other',
    policy: { waivers: [waiver('alpha', '2026-12-31')] }, changes: { alpha: 'reports' },
    then: (r) => {
      assert.deepEqual(r.get('alpha')?.waiver, { reason: 'CHG-alpha', expires: '2026-12-31' });
      assert.equal(r.get('alpha')?.level, 'warn', 'a waived check runs at warn');
      for (const id of ['beta', 'gamma', 'delta']) assert.equal(r.get(id)?.waiver, undefined, `${id} carries alpha's waiver`);
    },
  },
  { name: 'a waiver is active on the day it expires', policy: { waivers: [waiver('beta', TODAY)] }, changes: { beta: 'reports' } },
  {
    name: 'an expired waiver no longer applies, and the report says so for that check',
    policy: { waivers: [waiver('alpha', '2026-11-19')] }, changes: {}, notes: [/^alpha: waiver "CHG-alpha" expired on 2026-11-19/],
    then: (r) => assert.equal(r.get('alpha')?.waiver, undefined),
  },
  { name: 'a waiver for a check not in the run changes nothing', policy: { waivers: [waiver('zeta', '2026-12-31')] }, changes: {} },
  { name: 'a waiver on a strict-raised check demotes that one only', policy: { preset: 'strict', waivers: [waiver('gamma', '2026-12-31')] }, changes: { gamma: 'reports', delta: 'blocks' } },
  {
    name: 'an expired and an active waiver for two checks: only the active one applies',
    policy: { waivers: [waiver('alpha', '2026-11-01'), waiver('beta', '2026-12-01')] }, changes: { beta: 'reports' }, notes: [/^alpha: waiver .* expired/],
  },
  { name: '--ignore demotes the check it names and no other', policy: { ignore: ['beta'] }, changes: { beta: 'reports' }, notes: [/^beta: ignored with --ignore/] },
  { name: '--ignore of a check that is off leaves it off', policy: { ignore: ['delta'] }, changes: {} },
  { name: '--ignore under strict demotes only the named check', policy: { preset: 'strict', ignore: ['delta'] }, changes: { gamma: 'blocks', delta: 'reports' } },
  { name: '--only runs the named checks and leaves the others out', only: ['alpha', 'gamma'], changes: { beta: 'skipped' } },
  { name: '--skip leaves out the named check only', skip: ['alpha'], changes: { alpha: 'skipped' } },
  { name: '--only does not turn on a check the policy turned off', only: ['delta', 'beta'], changes: { alpha: 'skipped', gamma: 'skipped' } },
];

function options(c: Case): RunOptions {
  return {
    phase: 'pre', checks: CHECKS, collectors: new Map([[data.key, data]]), config: configSchema.parse({}), configDir: '.',
    scope: { namespace: 'mattermost', installation: 'mm' }, target: { version: '11.7.1' },
    policy: { preset: 'recommended', checks: {}, waivers: [], ignore: [], today: TODAY, ...c.policy },
    checkOptions: new Map(), timeouts: { collectorMs: 2_000, checkMs: 2_000, overallMs: 10_000 },
    ...(c.only ? { only: c.only } : {}), ...(c.skip ? { skip: c.skip } : {}),
  };
}

describe('policy applies to exactly the check it names', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const { report } = await runGate(options(c));
      const results = new Map(report.results.map((r) => [r.id, r]));
      const expected = { ...DEFAULT, ...c.changes };
      assert.deepEqual(Object.fromEntries([...results].map(([id, r]) => [id, fateOf(r)])), expected);
      const blocking = Object.keys(expected).filter((id) => expected[id] === 'blocks').sort();
      assert.deepEqual([...report.verdict.blocking].sort(), blocking);
      assert.equal(report.verdict.promote, blocking.length === 0);
      // Every check that ran found its problem: what policy changes is whether it blocks, never the finding.
      for (const r of results.values()) if (r.status !== 'skipped') assert.equal(r.findings[0]?.message, `${r.id} is broken`);
      for (const n of c.notes ?? []) assert.ok(report.notes.some((x) => n.test(x)), `no note ${n} in ${JSON.stringify(report.notes)}`);
      // A note about a check names that check: none about the checks the case leaves alone.
      const named = new Set([...(c.policy?.ignore ?? []), ...(c.policy?.waivers ?? []).map((w) => w.check)]);
      for (const n of report.notes) assert.ok([...named].some((id) => n.startsWith(`${id}: `)), `unexpected note: ${n}`);
      c.then?.(results);
    });
  }

  it('a skipped check says whether --only/--skip or the policy left it out', async () => {
    const { report } = await runGate(options({ name: '', skip: ['alpha'], changes: {} }));
    const reasons = Object.fromEntries(report.results.filter((r) => r.status === 'skipped').map((r) => [r.id, r.reason]));
    assert.deepEqual(reasons, { alpha: 'left out by --only/--skip', delta: 'off in the policy' });
  });
});

describe('checkPolicy', () => {
  const input: PolicyInput = { preset: 'recommended', checks: {}, waivers: [], ignore: [], today: TODAY };
  const alpha = CHECKS[0]!;

  it('a waiver for a check at level warn is recorded but changes no level', () => {
    const p = checkPolicy(alpha, { ...input, checks: { alpha: 'warn' }, waivers: [waiver('alpha', '2026-12-31')] });
    assert.equal(p.level, 'warn');
    assert.equal(p.waiver?.reason, 'CHG-alpha');
  });

  it('an ignored and waived check is demoted once, with the --ignore note', () => {
    const p = checkPolicy(alpha, { ...input, ignore: ['alpha'], waivers: [waiver('alpha', '2026-12-31')] });
    assert.equal(p.level, 'warn');
    assert.deepEqual(p.notes, ['alpha: ignored with --ignore, so it cannot block this run']);
  });

  it('a waiver never raises a check that is off', () => {
    const p = checkPolicy(CHECKS[3]!, { ...input, waivers: [waiver('delta', '2026-12-31')] });
    assert.equal(p.level, 'off');
  });
});

describe('isBlocking and decide', () => {
  it('only fail and error block, and only at level error', () => {
    const statuses: ResultStatus[] = ['pass', 'warn', 'fail', 'error', 'not-applicable', 'skipped'];
    const table = Object.fromEntries((['error', 'warn', 'off'] as Level[]).map((level) => [level, statuses.filter((s) => isBlocking(s, level))]));
    assert.deepEqual(table, { error: ['fail', 'error'], warn: [], off: [] });
  });

  const result = (id: string, status: ResultStatus, blocking: boolean): CheckResult =>
    ({ id, phase: 'pre', title: id, description: '', status, level: blocking ? 'error' : 'warn', blocking, durationMs: 0, findings: [] });

  it('counts every status, lists blockers and non-blocking problems, and names the blockers', () => {
    const v = decide([result('a', 'fail', true), result('b', 'error', true), result('c', 'fail', false), result('d', 'warn', false), result('e', 'pass', false), result('f', 'error', false), result('g', 'skipped', false)], { partial: false });
    assert.equal(v.exitCode, 1);
    assert.equal(v.promote, false);
    assert.deepEqual(v.blocking, ['a', 'b']);
    assert.deepEqual(v.warnings, ['c', 'd', 'f']);
    assert.deepEqual(v.counts, { pass: 1, warn: 1, fail: 2, error: 2, 'not-applicable': 0, skipped: 1 });
    assert.equal(v.headline, 'BLOCKED by 2 checks: a, b');
  });

  it('promotes when nothing blocks and says how many checks were evaluated and warned', () => {
    assert.equal(decide([result('a', 'pass', false)], { partial: false }).headline, 'PROMOTE: 1 check evaluated');
    const v = decide([result('a', 'pass', false), result('b', 'warn', false), result('c', 'fail', false)], { partial: false });
    assert.equal(v.exitCode, 0);
    assert.equal(v.headline, 'PROMOTE: 3 checks evaluated with 2 warnings');
    assert.equal(decide([result('a', 'pass', false), result('b', 'warn', false)], { partial: false }).headline, 'PROMOTE: 2 checks evaluated with 1 warning');
    assert.equal(decide([result('a', 'fail', true)], { partial: false }).headline, 'BLOCKED by 1 check: a');
  });

  it('a partial run is a harness failure even when everything passed', () => {
    const v = decide([result('a', 'pass', false)], { partial: true });
    assert.equal(v.exitCode, 3);
    assert.equal(v.promote, false);
    assert.match(v.headline, /^INCOMPLETE/);
  });

  it('errors alone are not an evaluation: nothing was looked at', () => {
    const v = decide([result('a', 'error', false), result('b', 'not-applicable', false)], { partial: false });
    assert.equal(v.exitCode, 1);
    assert.match(v.headline, /no check was evaluated/);
  });
});

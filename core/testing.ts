/**
 * Test helper for check authors (built-in and plugin): runs one check through the real runner on
 * a literal snapshot, so required-data and outcome rules apply exactly as in a live run.
 */
import { configSchema } from './config/schema.js';
import { runGate } from './runner.js';
import { SNAPSHOT_SCHEMA_VERSION, type Check, type CheckResult, type Scope, type SnapshotData, type Target } from './types.js';

export interface CheckCase<O> {
  /** Snapshot keys and their data; a `{ $collectError: true, … }` value simulates a failed collector. */
  readonly data: Partial<{ [K in keyof SnapshotData]: unknown }>;
  readonly options?: Partial<O>;
  readonly target?: Target;
  readonly scope?: Partial<Scope>;
  readonly now?: Date;
  /** The other checks on in the run (ctx.checksOn); default none but this one. */
  readonly checksOn?: readonly string[];
}

export const TEST_NOW = new Date('2026-11-20T12:00:00Z');
export const TEST_SCOPE: Scope = { namespace: 'mattermost', installation: 'mm' };

export async function runCheck<O>(check: Check<never, O> | Check, c: CheckCase<O>): Promise<CheckResult> {
  const now = c.now ?? TEST_NOW;
  const scope = { ...TEST_SCOPE, ...c.scope };
  const target = c.target ?? { version: '11.7.1' };
  const options = (check as Check).options.parse(c.options ?? {});
  const { report } = await runGate({
    phase: check.meta.phase,
    checks: [check as Check],
    collectors: new Map(),
    config: configSchema.parse({}),
    configDir: process.cwd(),
    scope,
    target,
    policy: { preset: 'strict', checks: {}, waivers: [], ignore: [], today: now.toISOString().slice(0, 10) },
    checkOptions: new Map([[check.meta.id, options]]),
    snapshot: { meta: { schemaVersion: SNAPSHOT_SCHEMA_VERSION, phase: check.meta.phase, collectedAt: now.toISOString(), harnessVersion: 'test', target, scope, collectors: {} }, data: c.data as never },
    now: () => now,
    ...(c.checksOn ? { checksOn: [check.meta.id, ...c.checksOn] } : {}),
    timeouts: { collectorMs: 5_000, checkMs: 5_000, overallMs: 10_000 },
  });
  const r = report.results[0];
  if (!r) throw new Error('runner returned no result');
  return r;
}

/**
 * Policy alone decides severity and the exit code (ESLint/Lighthouse-CI style). Checks report
 * what they saw; this file says whether it blocks.
 */
import type { MmgateConfig } from './config/schema.js';
import type { Check, CheckResult, Level, ResultStatus, Verdict } from './types.js';

export interface Waiver { readonly check: string; readonly reason: string; readonly expires: string }

export interface PolicyInput {
  readonly preset: 'recommended' | 'strict';
  readonly checks: MmgateConfig['checks'];
  readonly waivers: readonly Waiver[];
  /** --ignore ID: demoted to warn, and the report says so. */
  readonly ignore: readonly string[];
  readonly today: string; // YYYY-MM-DD in UTC
}

export interface CheckPolicy {
  readonly level: Level;
  readonly waiver?: Waiver;
  readonly notes: readonly string[];
}

/** The level a check runs at, with the waiver that applies and notes for the report. */
export function checkPolicy(check: Check, input: PolicyInput): CheckPolicy {
  const id = check.meta.id;
  const configured = input.checks[id];
  const explicit: Level | undefined = configured === undefined ? undefined : Array.isArray(configured) ? configured[0] : configured;
  // strict raises every check to error; an explicit level in config still wins over the preset.
  let level: Level = explicit ?? (input.preset === 'strict' ? 'error' : check.meta.recommended);
  const notes: string[] = [];
  if (level !== 'off' && input.ignore.includes(id)) {
    level = 'warn';
    notes.push(`${id}: ignored with --ignore, so it cannot block this run`);
  }
  let waiver: Waiver | undefined;
  for (const w of input.waivers.filter((x) => x.check === id)) {
    if (w.expires >= input.today) waiver = w;
    else notes.push(`${id}: waiver "${w.reason}" expired on ${w.expires} and no longer applies`);
  }
  if (waiver && level === 'error') level = 'warn';
  return { level, ...(waiver ? { waiver } : {}), notes };
}

const BLOCKING_STATUSES: ReadonlySet<ResultStatus> = new Set(['fail', 'error']);
export const isBlocking = (status: ResultStatus, level: Level): boolean => level === 'error' && BLOCKING_STATUSES.has(status);

/**
 * The verdict (fail closed): a blocking fail or error blocks; a run that evaluated no check blocks;
 * an interrupted or deadline-hit run is a harness failure (3), never a promotion.
 */
export function decide(results: readonly CheckResult[], opts: { partial: boolean }): Verdict {
  const counts = { pass: 0, warn: 0, fail: 0, error: 0, 'not-applicable': 0, skipped: 0 } as Record<ResultStatus, number>;
  for (const r of results) counts[r.status]++;
  const blocking = results.filter((r) => r.blocking).map((r) => r.id);
  const warnings = results.filter((r) => !r.blocking && (r.status === 'warn' || r.status === 'fail' || r.status === 'error')).map((r) => r.id);
  // An error is not an evaluation: a run whose checks all errored (at level warn, waived or
  // ignored) looked at nothing, and must not promote.
  const evaluated = counts.pass + counts.warn + counts.fail;
  if (opts.partial) {
    return { promote: false, exitCode: 3, blocking, warnings, counts, headline: 'INCOMPLETE: the run was interrupted or hit its deadline; results are partial' };
  }
  if (evaluated === 0) {
    return { promote: false, exitCode: 1, blocking, warnings, counts, headline: 'BLOCKED: no check was evaluated, so nothing shows the upgrade is safe' };
  }
  if (blocking.length > 0) {
    return { promote: false, exitCode: 1, blocking, warnings, counts, headline: `BLOCKED by ${blocking.length} check${blocking.length === 1 ? '' : 's'}: ${blocking.join(', ')}` };
  }
  const warn = warnings.length ? ` with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : '';
  return { promote: true, exitCode: 0, blocking, warnings, counts, headline: `PROMOTE: ${evaluated} check${evaluated === 1 ? '' : 's'} evaluated${warn}` };
}

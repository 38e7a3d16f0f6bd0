/**
 * Builds a check's Outcome from the findings it collected, split by what they say: any blocking
 * finding makes it `fail` (it found the problem), otherwise any place it could not look makes it
 * `error` (fail closed: blocks like a failure, but tells the operator to fix access, not the
 * server), otherwise any warning makes it `warn`, otherwise `pass`. Keeps the status and the
 * findings list from disagreeing.
 */
import type { Change, Finding, LookError, Measurements, Outcome, Timeline } from './types.js';

/** A place the check could not look at (a pod it could not ask, a log it could not read), with its reason code. */
export type NotLooked = Finding & { readonly code: string };

export interface GradedFindings {
  readonly fails: readonly Finding[];
  /** Could not look: `error` alone; beside fails, still listed and summed up in the result's `error`. */
  readonly errors?: readonly NotLooked[];
  readonly warns?: readonly Finding[];
  readonly summary?: string;
  readonly measured?: Measurements;
  readonly timeline?: Timeline;
  readonly changes?: readonly Change[];
}

export function outcomeOf({ fails, errors = [], warns = [], summary, measured, timeline, changes }: GradedFindings): Outcome {
  const extras = { ...(summary ? { summary } : {}), ...(measured ? { measured } : {}), ...(timeline ? { timeline } : {}), ...(changes ? { changes } : {}) };
  const notLooked = errors.map(({ code: _, ...f }) => f);
  // A problem found stays a `fail` even where other places could not be looked at: the found
  // problem blocks whatever the rest shows, and `error` beside it says what was not seen.
  if (fails.length > 0) return { status: 'fail', findings: [...fails, ...notLooked, ...warns], ...extras, ...(errors.length ? { error: lookError(errors, 'also could not look at') } : {}) };
  if (errors.length > 0) return { status: 'error', error: lookError(errors, 'could not look at'), findings: [...notLooked, ...warns], ...extras };
  if (warns.length > 0) return { status: 'warn', findings: warns, ...extras };
  return { status: 'pass', ...extras };
}

/**
 * One reason for the result: the first place's code (each finding keeps its own in `actual`),
 * and every place named with its code.
 */
function lookError(errors: readonly NotLooked[], lead: string): LookError {
  const first = errors[0]!;
  // Steps not tried all name the installation: each place is named once.
  const where = new Set(errors.map((e) => `${e.subject ? `${e.subject.kind} ${e.subject.name}` : e.message} (${e.code})`));
  return { code: first.code, message: `${lead} ${[...where].join(', ')}` };
}

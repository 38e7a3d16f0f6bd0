/**
 * Builds a check's Outcome from the findings it collected, split by how bad they are: any
 * blocking finding makes it `fail`, otherwise any warning makes it `warn`, otherwise `pass`.
 * Keeps the status and the findings list from disagreeing.
 */
import type { Change, Finding, Measurements, Outcome, Timeline } from './types.js';

export interface GradedFindings {
  readonly fails: readonly Finding[];
  readonly warns?: readonly Finding[];
  readonly summary?: string;
  readonly measured?: Measurements;
  readonly timeline?: Timeline;
  readonly changes?: readonly Change[];
}

export function outcomeOf({ fails, warns = [], summary, measured, timeline, changes }: GradedFindings): Outcome {
  const extras = { ...(summary ? { summary } : {}), ...(measured ? { measured } : {}), ...(timeline ? { timeline } : {}), ...(changes ? { changes } : {}) };
  if (fails.length > 0) return { status: 'fail', findings: [...fails, ...warns], ...extras };
  if (warns.length > 0) return { status: 'warn', findings: warns, ...extras };
  return { status: 'pass', ...extras };
}

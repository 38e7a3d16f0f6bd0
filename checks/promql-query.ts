/**
 * Your own PromQL checks (metrics.queries in mmgate.yaml): each query becomes the check
 * promql-<name> of its phase. Every sample of the answer is held to `comparison threshold`; an
 * empty answer is no data — inconclusive, never a pass — at the query's noData level.
 */
import { z } from 'zod';
import { defineCheck } from '../core/check.js';
import type { Comparison, PromqlQuery } from '../core/config/metrics-section.js';
import { metricsOutcome } from '../core/metrics-judge.js';
import type { Check, Finding } from '../core/types.js';

export interface PromqlAnswer { readonly expr: string; readonly samples: readonly { readonly metric: Readonly<Record<string, string>>; readonly value: number }[] }

declare module '../core/types.js' {
  interface SnapshotData {
    /** The answers to this phase's metrics.queries, by query name. */
    promqlResults: Readonly<Record<string, PromqlAnswer>>;
  }
}

const COMPARE: Record<Comparison, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b, '<=': (a, b) => a <= b, '>': (a, b) => a > b, '>=': (a, b) => a >= b, '==': (a, b) => a === b, '!=': (a, b) => a !== b,
};

const labels = (m: Readonly<Record<string, string>>): string => `{${Object.entries(m).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;

export const promqlCheckId = (q: Pick<PromqlQuery, 'name'>): string => `promql-${q.name}`;

export function promqlCheck(q: PromqlQuery): Check {
  const id = promqlCheckId(q);
  return defineCheck({
    meta: {
      id, phase: q.phase, recommended: q.level, requires: ['promqlResults'],
      title: `PromQL ${q.name}: every value ${q.comparison} ${q.threshold}`,
      failureTitle: `PromQL ${q.name}: a value is not ${q.comparison} ${q.threshold} (or there is no data)`,
      description: `${q.description ?? 'A check from metrics.queries in mmgate.yaml.'} Runs \`${q.expr}\` on Prometheus; each sample must be ${q.comparison} ${q.threshold}. No sample is inconclusive (noData: ${q.noData}).`,
    },
    options: z.strictObject({}),
    evaluate({ promqlResults }, { scope }) {
      const answer = promqlResults[q.name];
      const subject = { kind: 'PromQL', name: q.name };
      const fails: Finding[] = [];
      const noData: Finding[] = [];
      if (!answer || answer.samples.length === 0) {
        noData.push({ message: `inconclusive: \`${q.expr}\` answered no sample`, subject, expected: `samples ${q.comparison} ${q.threshold}`, actual: 'no data', remediation: `Check the expression in Prometheus's UI (namespace ${scope.namespace}): no series is never a pass. Set noData: warn on the query only if an empty answer is acceptable.` });
      }
      for (const s of answer?.samples ?? []) {
        if (Number.isFinite(s.value) && COMPARE[q.comparison](s.value, q.threshold)) continue;
        fails.push({ message: `${labels(s.metric)} = ${s.value}, not ${q.comparison} ${q.threshold}`, subject, expected: `${q.comparison} ${q.threshold}`, actual: String(s.value), remediation: q.description ?? `Look into what \`${q.expr}\` measures for ${labels(s.metric)}.` });
      }
      const values = (answer?.samples ?? []).map((s) => s.value).filter(Number.isFinite);
      return metricsOutcome({ fails, noData, judged: answer?.samples.length ?? 0 }, q.noData, `${answer?.samples.length ?? 0} sample(s) of \`${q.expr}\` held to ${q.comparison} ${q.threshold}`, {
        samples: answer?.samples.length ?? 0, ...(values.length ? { min: Math.min(...values), max: Math.max(...values) } : {}),
      });
    },
  }) as unknown as Check;
}

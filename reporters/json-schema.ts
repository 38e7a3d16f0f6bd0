/**
 * zod schema of the JSON report (RunReport, schemaVersion 1), for consumers of `<phase>.json`
 * (`mmgate evaluate`, CI scripts) and for the reporter tests. Objects are strict: a field the schema
 * does not know means the report and this file drifted apart, and that must fail loudly rather than
 * be stripped. The compile-time check at the bottom keeps it in step with core/types.ts.
 */
import { z } from 'zod';
import { PHASES } from '../core/types.js';
import type { CheckResult, CollectorRun, Finding, RunReport, Verdict } from '../core/types.js';
import { REPORT_SCHEMA_VERSION } from '../core/types.js';

const phase = z.enum(PHASES);
const level = z.enum(['off', 'warn', 'error']);
const status = z.enum(['pass', 'warn', 'fail', 'error', 'not-applicable', 'skipped']);
const isoTime = z.iso.datetime({ offset: true });
const nonNegative = z.number().finite().nonnegative();
const codeMessage = z.strictObject({ code: z.string(), message: z.string() });

export const findingSchema = z.strictObject({
  message: z.string(),
  subject: z.strictObject({ kind: z.string(), namespace: z.string().optional(), name: z.string() }).optional(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  remediation: z.string().optional(),
  evidence: z.array(z.string()).readonly().optional(),
});

const outageSchema = z.strictObject({
  startMs: nonNegative, endMs: nonNegative, durationMs: nonNegative, failedProbes: z.number().int().positive(),
  answers: z.array(z.string()).readonly(), versionBefore: z.string().optional(), versionAfter: z.string().optional(), ongoing: z.boolean(),
});
export const timelineSchema = z.strictObject({
  startedAt: isoTime,
  durationMs: nonNegative,
  outages: z.array(outageSchema).readonly(),
  samples: z.array(z.strictObject({ t: nonNegative, ok: z.boolean(), status: z.number().int().optional(), ms: nonNegative, fresh: z.boolean(), stalled: z.boolean().optional() })).readonly(),
});
const changeFields = {
  area: z.string(), item: z.string(), before: z.string(), after: z.string(), judged: z.enum(['finding', 'info', 'allowed']),
};
export const changeSchema = z.strictObject(changeFields);

export const checkResultSchema = z.strictObject({
  id: z.string().min(1),
  phase,
  title: z.string(),
  description: z.string(),
  status,
  level,
  blocking: z.boolean(),
  durationMs: nonNegative,
  summary: z.string().optional(),
  findings: z.array(findingSchema).readonly(),
  measured: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
  timeline: timelineSchema.optional(),
  reason: z.string().optional(),
  error: codeMessage.optional(),
  waiver: z.strictObject({ reason: z.string(), expires: z.string() }).optional(),
  flaky: z.boolean().optional(),
  changes: z.array(changeSchema).readonly().optional(),
});

export const collectorRunSchema = z.strictObject({
  key: z.string(),
  ok: z.boolean(),
  durationMs: nonNegative,
  attempts: z.number().int().nonnegative(),
  error: codeMessage.optional(),
});

const count = z.number().int().nonnegative();
export const verdictSchema = z.strictObject({
  promote: z.boolean(),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(3)]),
  blocking: z.array(z.string()).readonly(),
  warnings: z.array(z.string()).readonly(),
  counts: z.strictObject({ pass: count, warn: count, fail: count, error: count, 'not-applicable': count, skipped: count }),
  headline: z.string(),
});

const colour = z.enum(['blue', 'green']);

export const runReportSchema = z.strictObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.strictObject({ name: z.literal('mmgate'), version: z.string() }),
  phase,
  command: z.string(),
  startedAt: isoTime,
  finishedAt: isoTime,
  durationMs: nonNegative,
  target: z.strictObject({ version: z.string().optional(), image: z.string().optional() }),
  scope: z.strictObject({
    context: z.string().optional(), namespace: z.string(), installation: z.string(),
    kind: z.enum(['Mattermost', 'ClusterInstallation']).optional(), workload: z.string().optional(),
    strategy: z.enum(['rolling', 'bluegreen', 'canary']).optional(), side: z.enum(['idle', 'production', 'canary']).optional(),
    colour: colour.optional(), productionColour: colour.optional(),
    url: z.string().optional(), cookie: z.string().optional(), site: z.string().optional(),
  }),
  results: z.array(checkResultSchema).readonly(),
  collectors: z.array(collectorRunSchema).readonly(),
  verdict: verdictSchema,
  partial: z.boolean(),
  notes: z.array(z.string()).readonly(),
  changes: z.array(z.strictObject({ check: z.string(), ...changeFields })).readonly().optional(),
  rollbackPlan: z.strictObject({
    basis: z.string(),
    steps: z.array(z.string()).readonly(),
    backup: z.strictObject({ location: z.string(), takenAt: z.string(), restoreTested: z.enum(['yes', 'failed', 'no']) }).optional(),
    warnings: z.array(z.string()).readonly(),
  }).optional(),
});

// Compile-time: the schema's type and core's must be identical once readonly and optionality are
// normalised away (optionality is kept), so a field added to, removed from or retyped in core/types.ts breaks the build
// here instead of silently passing (or failing) validation.
type Norm<T> = T extends readonly (infer U)[] ? Norm<U>[]
  : T extends object ? { -readonly [K in keyof T]: Norm<Exclude<T[K], undefined>> } : T;
type Same<A, B> = (<X>() => X extends Norm<A> ? 1 : 2) extends (<X>() => X extends Norm<B> ? 1 : 2) ? true : false;
const inSync = <T extends true>(): T | undefined => undefined;
inSync<Same<z.infer<typeof findingSchema>, Finding>>();
inSync<Same<z.infer<typeof checkResultSchema>, CheckResult>>();
inSync<Same<z.infer<typeof collectorRunSchema>, CollectorRun>>();
inSync<Same<z.infer<typeof verdictSchema>, Verdict>>();
inSync<Same<z.infer<typeof runReportSchema>, RunReport>>();

/**
 * `<name>.junit.xml` for CI test tabs, valid against the Jenkins xUnit junit-10.xsd.
 *
 * Mapping (README, Reports), keyed on the verdict so CI shows what the gate decided:
 * - a blocking fail → `<failure>`, a blocking error → `<error>`;
 * - warn, and fail/error at level warn (or waived) → a passing testcase whose system-out starts
 *   with WARN: JUnit consumers turn the pipeline red on any failure or error, and a gate that
 *   promotes must not look red;
 * - not-applicable and skipped → `<skipped>`.
 * junit-10.xsd allows `<properties>` only on the testsuite, so per-check properties are named
 * `<check id>.<key>` there; measured values are also in each testcase's system-out.
 * A run that blocks without a blocking check (nothing evaluated, or interrupted) gets one extra
 * testcase named `(verdict)`, so its JUnit file cannot look green.
 */
import { rollbackLines } from '../core/rollback.js';
import { hostname as osHostname } from 'node:os';
import type { CheckResult, RunReport } from '../core/types.js';
import { formatDuration } from '../core/duration.js';
import { blockingReason, changeLines, countsText, findingLines, measuredText, phaseName, plural, scopeLine } from './text.js';
import type { ReportContext, Reporter } from './types.js';
import { writeReportFile } from './write.js';
import { serialize, type XmlNode } from './xml.js';

export interface JunitOptions {
  /** Defaults to this machine's name; tests and golden files pass a fixed one. */
  readonly hostname?: string;
}

export const VERDICT_CASE = '(verdict)';

/** Seconds with millisecond precision, no grouping: matches the XSD's SUREFIRE_TIME. */
const seconds = (ms: number): string => (Math.max(0, ms) / 1_000).toFixed(3);

function caseOutcome(r: CheckResult): XmlNode | undefined {
  if (r.status === 'not-applicable' || r.status === 'skipped') {
    return { name: 'skipped', attrs: { message: `${r.status === 'skipped' ? 'skipped' : 'not applicable'}: ${r.reason ?? 'no reason given'}` } };
  }
  if (!r.blocking) return undefined;
  const why = blockingReason(r).why;
  if (r.status === 'error') {
    return { name: 'error', attrs: { message: r.error?.message ?? why, type: r.error?.code ?? 'ERROR' }, text: bodyOf(r) };
  }
  return { name: 'failure', attrs: { message: `${r.title}: ${why}`, type: r.status }, text: bodyOf(r) };
}

/** Everything a reader needs to act, in the order they need it. */
function bodyOf(r: CheckResult): string {
  const lines: string[] = [r.title];
  if (r.summary) lines.push(r.summary);
  if (r.error) lines.push(`${r.error.code}: ${r.error.message}`);
  r.findings.forEach((f, i) => {
    const [first, ...rest] = findingLines(f, Infinity);
    lines.push(`${i + 1}) ${first ?? ''}`, ...rest.map((l) => `   ${l}`));
  });
  if (r.measured) lines.push(`measured: ${measuredText(r.measured)}`);
  lines.push(`why it matters: ${r.description}`);
  return lines.join('\n');
}

function systemOut(r: CheckResult): string {
  const lines: string[] = [];
  const problem = r.status === 'warn' || r.status === 'fail' || r.status === 'error';
  if (problem && !r.blocking) {
    // The word WARN first: it is what CI users search the log for.
    const why = `${r.status === 'warn' ? 'warning' : `${r.status} at level ${r.level}${r.waiver ? ' (waived)' : ''}`}, does not block this run`;
    lines.push(`WARN: ${why}`, bodyOf(r));
  } else {
    lines.push(`${r.status.toUpperCase()} · level ${r.level}${r.blocking ? ' · BLOCKING' : ''}`);
    if (r.measured) lines.push(`measured: ${measuredText(r.measured)}`);
  }
  if (r.waiver) lines.push(`waiver: ${r.waiver.reason} (expires ${r.waiver.expires})`);
  if (r.flaky) lines.push('flaky: passed, but the data it judged needed collector retries');
  return lines.join('\n');
}

function properties(report: RunReport): XmlNode {
  const p: [string, string][] = [
    ['mmgate.version', report.tool.version],
    ['phase', report.phase],
    ['verdict.promote', String(report.verdict.promote)],
    ['verdict.exitCode', String(report.verdict.exitCode)],
    ['verdict.headline', report.verdict.headline],
    ['partial', String(report.partial)],
    ['scope.namespace', report.scope.namespace],
    ['scope.installation', report.scope.installation],
  ];
  if (report.scope.context) p.push(['scope.context', report.scope.context]);
  for (const k of ['kind', 'strategy', 'side', 'workload', 'colour', 'site'] as const) {
    const v = report.scope[k];
    if (v) p.push([`scope.${k}`, v]);
  }
  if (report.target.version) p.push(['target.version', report.target.version]);
  if (report.target.image) p.push(['target.image', report.target.image]);
  for (const r of report.results) {
    p.push([`${r.id}.status`, r.status], [`${r.id}.level`, r.level], [`${r.id}.blocking`, String(r.blocking)]);
    if (r.waiver) p.push([`${r.id}.waiver`, `${r.waiver.reason} (expires ${r.waiver.expires})`]);
    if (r.flaky) p.push([`${r.id}.flaky`, 'true']);
    if (r.error) p.push([`${r.id}.error`, r.error.code]);
    for (const [k, v] of Object.entries(r.measured ?? {})) p.push([`${r.id}.measured.${k}`, String(v)]);
  }
  return { name: 'properties', children: p.map(([name, value]) => ({ name: 'property', attrs: { name, value } })) };
}

function suiteOut(report: RunReport): string {
  const lines = [`${report.verdict.headline} (exit ${report.verdict.exitCode})`, `${scopeLine(report)} · ${countsText(report)} · ${formatDuration(report.durationMs)}`];
  const failed = report.collectors.filter((c) => !c.ok);
  if (failed.length) {
    lines.push('collectors that failed:');
    for (const c of failed) lines.push(`  ${c.key}: ${c.error ? `${c.error.code}: ${c.error.message}` : 'failed'} (${plural(c.attempts, 'attempt')})`);
  }
  const changed = changeLines(report);
  if (changed) lines.push('what changed since preflight:', ...changed.map((l) => `  ${l}`));
  if (report.notes.length) lines.push('notes:', ...report.notes.map((n) => `  - ${n}`));
  if (report.rollbackPlan) lines.push(...rollbackLines(report.rollbackPlan));
  return lines.join('\n');
}

export function renderJunit(report: RunReport, opts: JunitOptions = {}): string {
  const phase = phaseName(report);
  const classname = `mmgate.${phase}`;
  const cases: XmlNode[] = report.results.map((r) => {
    const outcome = caseOutcome(r);
    return {
      name: 'testcase',
      attrs: { classname, name: r.id, time: seconds(r.durationMs) },
      children: [...(outcome ? [outcome] : []), { name: 'system-out', text: systemOut(r) }],
    };
  });
  const countOf = (el: string): number => cases.filter((c) => c.children?.some((x) => x.name === el)).length;
  if (!report.verdict.promote && countOf('failure') + countOf('error') === 0) {
    const el = report.verdict.exitCode === 3 ? 'error' : 'failure';
    cases.push({
      name: 'testcase',
      attrs: { classname, name: VERDICT_CASE, time: seconds(0) },
      children: [{ name: el, attrs: { message: report.verdict.headline, type: report.partial ? 'INCOMPLETE' : 'BLOCKED' }, text: suiteOut(report) }],
    });
  }
  const totals = { tests: cases.length, failures: countOf('failure'), errors: countOf('error') };
  const suite: XmlNode = {
    name: 'testsuite',
    attrs: {
      name: classname, ...totals, skipped: countOf('skipped'), time: seconds(report.durationMs),
      timestamp: report.startedAt, hostname: opts.hostname ?? osHostname(),
    },
    children: [properties(report), ...cases, { name: 'system-out', text: suiteOut(report) }],
  };
  // junit-10.xsd has no `skipped` attribute on <testsuites>: it stays on the suite only.
  const root: XmlNode = { name: 'testsuites', attrs: { name: `mmgate ${phase}`, ...totals, time: seconds(report.durationMs) }, children: [suite] };
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialize(root)}`;
}

export class JunitReporter implements Reporter {
  readonly name = 'junit';
  async onRunEnd(report: RunReport, ctx: ReportContext): Promise<string[]> {
    return [await writeReportFile(ctx, '.junit.xml', renderJunit(report))];
  }
}

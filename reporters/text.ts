/**
 * Wording shared by the human-facing reporters (console, markdown, JUnit bodies), so a check reads
 * the same in a terminal, a CI log and a pull-request summary.
 */
import { describeScope } from '../core/strategy.js';
import { PHASE_COMMAND, type CheckResult, type Finding, type Measurements, type ResultStatus, type RunReport } from '../core/types.js';

export const STATUS_SYMBOL: Readonly<Record<ResultStatus, string>> = {
  pass: '✔', warn: '⚠', fail: '✖', error: '‼', 'not-applicable': '–', skipped: '–',
};

/** Short status words, padded to one width in tables. */
export const STATUS_WORD: Readonly<Record<ResultStatus, string>> = {
  pass: 'pass', warn: 'warn', fail: 'fail', error: 'error', 'not-applicable': 'n/a', skipped: 'skipped',
};

/** A result someone has to read: it did not pass cleanly (skipped and n/a say why in their line). */
export const needsAttention = (r: CheckResult): boolean => r.status === 'warn' || r.status === 'fail' || r.status === 'error';

/** How many evidence lines a human report shows per finding; the JSON report keeps all of them. */
export const EVIDENCE_LINES = 3;

/** `Pod mattermost/mm-7d9f-2`: kind, then namespace/name as kubectl prints it. */
export function subjectText(s: NonNullable<Finding['subject']>): string {
  return `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
}

/** `actual: 1 replica · expected: ≥ 2`, or undefined when the finding carries neither. */
export function actualExpected(f: Finding): string | undefined {
  const parts: string[] = [];
  if (f.actual !== undefined) parts.push(`actual: ${f.actual}`);
  if (f.expected !== undefined) parts.push(`expected: ${f.expected}`);
  return parts.length ? parts.join(' · ') : undefined;
}

/** `replicas=1, ready=true` in the order the check reported them. */
export function measuredText(m: Measurements): string {
  return Object.entries(m).map(([k, v]) => `${k}=${String(v)}`).join(', ');
}

/**
 * The one line that says why a blocking check blocks: measured vs expected of its first finding
 * (or its error), so the verdict names the reason without sending the reader up the log.
 */
export function blockingReason(r: CheckResult): { why: string; fix?: string } {
  if (r.status === 'error') return { why: r.error ? `${r.error.code}: ${r.error.message}` : 'the check could not be evaluated' };
  const f = r.findings[0];
  const more = r.findings.length > 1 ? ` (+${r.findings.length - 1} more finding${r.findings.length > 2 ? 's' : ''})` : '';
  if (!f) return { why: (r.summary ?? (r.measured ? `measured: ${measuredText(r.measured)}` : r.title)) + more };
  const ae = actualExpected(f);
  const why = `${ae ?? f.message}${f.subject ? ` (${subjectText(f.subject)})` : ''}${more}`;
  return f.remediation ? { why, fix: f.remediation } : { why };
}

/** ANSI escape sequences that collector errors or pod logs may carry: meaningless outside a terminal. */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g;
export const stripAnsi = (s: string): string => s.replace(ANSI, '');

/** Where the run looked and what it upgrades to: `mm in mattermost (context prod-eu) → 11.7.1`. */
export function scopeLine(report: RunReport): string {
  const { scope, target } = report;
  const ctx = scope.context ? ` (context ${scope.context})` : '';
  const to = target.version ?? target.image;
  // Runs that resolved the custom resource say its kind, and for blue/green or canary the side judged.
  const what = scope.kind ? describeScope(scope) : `installation ${scope.installation}`;
  return `${what} in namespace ${scope.namespace}${ctx}${scope.site ? ` · site ${scope.site}` : ''}${to ? ` → ${to}` : ''}`;
}

export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `3 pass · 1 warn · 2 fail` (zero counts left out). */
export function countsText(report: RunReport): string {
  const order: ResultStatus[] = ['pass', 'warn', 'fail', 'error', 'not-applicable', 'skipped'];
  return order.filter((s) => (report.verdict.counts[s] ?? 0) > 0).map((s) => `${report.verdict.counts[s]} ${s}`).join(' · ') || 'no checks';
}

/** The run's display name: its command (`preflight`/`verify`), which names the phase in every output. */
export const phaseName = (report: RunReport): string => report.command || PHASE_COMMAND[report.phase];

/**
 * A finding as indented plain lines: message, subject, measured vs expected, fix, evidence.
 * `maxEvidence` caps the evidence for humans; machine-read outputs pass Infinity.
 */
export function findingLines(f: Finding, maxEvidence: number): string[] {
  const out = [f.message];
  if (f.subject) out.push(`  subject: ${subjectText(f.subject)}`);
  const ae = actualExpected(f);
  if (ae) out.push(`  ${ae}`);
  if (f.remediation) out.push(`  fix: ${f.remediation}`);
  const ev = f.evidence ?? [];
  if (ev.length) {
    out.push('  evidence:');
    for (const e of ev.slice(0, maxEvidence)) out.push(`    ${e}`);
    if (ev.length > maxEvidence) out.push(`    (+${ev.length - maxEvidence} more in the JSON report)`);
  }
  return out;
}

type ReportedChange = NonNullable<RunReport['changes']>[number];
const JUDGED_ORDER: Readonly<Record<ReportedChange['judged'], number>> = { finding: 0, allowed: 1, info: 2 };
export const JUDGED_WORD: Readonly<Record<ReportedChange['judged'], string>> = { finding: 'judged', allowed: 'allowed', info: 'changed' };

/** "What changed" since the preflight baseline, what the checks judged first; undefined when nothing was compared. */
export function reportedChanges(report: RunReport): readonly ReportedChange[] | undefined {
  if (!report.changes) return undefined;
  return [...report.changes].sort((a, b) => JUDGED_ORDER[a.judged] - JUDGED_ORDER[b.judged]);
}

/** One change as a line of text: "config ClusterSettings.Enable: true → false (config-changes)". */
export const changeText = (c: ReportedChange): string => `${c.area} ${c.item}: ${c.before} → ${c.after} (${c.check})`;

/** Text lines for the console and JUnit: at most `max`, then how many more the JSON report holds. */
export function changeLines(report: RunReport, max = 25): string[] | undefined {
  const all = reportedChanges(report);
  if (!all) return undefined;
  if (all.length === 0) return ['nothing differs from the preflight baseline in licence, cluster, plugins or configuration'];
  const lines = all.slice(0, max).map((c) => `[${JUDGED_WORD[c.judged]}] ${changeText(c)}`);
  if (all.length > max) lines.push(`… ${all.length - max} more in the JSON report (changes)`);
  return lines;
}

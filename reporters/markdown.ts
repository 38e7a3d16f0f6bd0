/**
 * `<name>.md`, also appended to `$GITHUB_STEP_SUMMARY` when set, so the verdict and its reasons
 * show on the workflow run page without opening the log.
 */
import { describeScope } from '../core/strategy.js';
import { appendFile } from 'node:fs/promises';
import { formatDuration } from '../core/duration.js';
import type { CheckResult, ResultStatus, RunReport } from '../core/types.js';
import { timelineLines } from '../core/rollout-timeline.js';
import { EVIDENCE_LINES, JUDGED_WORD, actualExpected, blockingReason, countsText, reportedChanges, measuredText, needsAttention, phaseName, plural, stripAnsi, subjectText } from './text.js';
import type { ReportContext, Reporter } from './types.js';
import { writeReportFile } from './write.js';

const STATUS_EMOJI: Readonly<Record<ResultStatus, string>> = {
  pass: '✅', warn: '⚠️', fail: '❌', error: '‼️', 'not-applicable': '➖', skipped: '⏭️',
};

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Inline text from the cluster, made inert: Markdown and HTML syntax escaped with backslashes (so
 * `<script>` or `**` in a log line shows as written), newlines as `<br>` so one value stays in one
 * list item or table cell. Parentheses and `!` stay as they are: with `[` escaped no link can form.
 */
export function mdText(s: string, opts: { lineStart?: boolean } = {}): string {
  let out = stripAnsi(s).replace(CONTROL, '')
    .replace(/[\\`*[\]<>|~&#]/g, (c) => `\\${c}`)
    // `_` inside a word never emphasises (COLLECTOR_FAILED stays readable in the raw file).
    .replace(/(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])/gu, '\\_')
    .replace(/\r?\n/g, '<br>');
  // Where the text starts a line (or a list item), a leading marker would start a new block.
  if (opts.lineStart) out = out.replace(/^([-+=]|\d+[.)])/, (m) => `${m.slice(0, -1)}\\${m.slice(-1)}`);
  return out;
}

/**
 * A code span that survives backticks inside (CommonMark: a fence longer than any run inside).
 * In a table cell GFM splits on `|` even inside code spans, so there it is escaped.
 */
export function mdCode(s: string, opts: { inTable?: boolean } = {}): string {
  let clean = stripAnsi(s).replace(CONTROL, '').replace(/\r?\n/g, ' ');
  if (opts.inTable) clean = clean.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/** A fenced block for evidence: log lines are shown verbatim, never rendered. */
function mdBlock(lines: readonly string[]): string[] {
  const body = lines.map((l) => stripAnsi(l).replace(CONTROL, ''));
  const longest = Math.max(2, ...body.flatMap((l) => (l.match(/`+/g) ?? []).map((m) => m.length)));
  const fence = '`'.repeat(longest + 1);
  return [fence, ...body.flatMap((l) => l.split(/\r?\n/)), fence];
}

const VERDICT_EMOJI = (r: RunReport): string => (r.verdict.promote ? '✅' : r.verdict.exitCode === 3 ? '⚠️' : '⛔');

function details(r: CheckResult): string[] {
  const how = r.blocking ? '**blocking**' : 'does not block';
  const out = ['', `#### ${STATUS_EMOJI[r.status]} ${mdCode(r.id)}: ${mdText(r.title)}`, '', `${r.status} · level ${r.level} · ${how}`, ''];
  if (r.summary) out.push(mdText(r.summary, { lineStart: true }), '');
  if (r.waiver) out.push(`Waived until ${mdText(r.waiver.expires)}: ${mdText(r.waiver.reason)}`, '');
  if (r.error) out.push(`**${mdText(r.error.code)}**: ${mdText(r.error.message)}`, '');
  for (const f of r.findings) {
    out.push(`- **${mdText(f.message)}**`);
    if (f.subject) out.push(`  - subject: ${mdCode(subjectText(f.subject))}`);
    const ae = actualExpected(f);
    if (ae) out.push(`  - ${mdText(ae)}`);
    if (f.remediation) out.push(`  - fix: ${mdText(f.remediation)}`);
    const ev = f.evidence ?? [];
    if (ev.length) {
      const shown = ev.slice(0, EVIDENCE_LINES);
      const more = ev.length > shown.length ? ` (first ${shown.length} of ${ev.length}; all in the JSON report)` : '';
      out.push(`  - evidence${more}:`, '', ...mdBlock(shown).map((l) => `    ${l}`));
    }
  }
  if (r.findings.length) out.push('');
  if (r.measured) out.push(`Measured: ${mdText(measuredText(r.measured))}`, '');
  out.push(`<sub>${mdText(r.description)}</sub>`);
  return out;
}

export interface MarkdownOptions {
  /** Without details: the heading, the table and the lists only (for size-limited summaries). */
  readonly brief?: boolean;
}

const MD_CHANGES = 100;

/** "What changed since preflight": one row per change, what the checks judged first. */
function changesSection(report: RunReport): string[] {
  const all = reportedChanges(report);
  if (!all) return [];
  const out = ['', '### What changed since preflight', ''];
  if (all.length === 0) return [...out, 'Nothing differs from the preflight baseline in licence, cluster, plugins or configuration.'];
  out.push('| | Area | Item | Before | After | Check |', '|---|---|---|---|---|---|');
  for (const c of all.slice(0, MD_CHANGES)) {
    out.push(`| ${JUDGED_WORD[c.judged]} | ${mdText(c.area)} | ${mdCode(c.item, { inTable: true })} | ${mdCode(c.before, { inTable: true })} | ${mdCode(c.after, { inTable: true })} | ${mdCode(c.check, { inTable: true })} |`);
  }
  if (all.length > MD_CHANGES) out.push('', `${all.length - MD_CHANGES} more in the JSON report (\`changes\`).`);
  return out;
}

export function renderMarkdown(report: RunReport, opts: MarkdownOptions = {}): string {
  const v = report.verdict;
  const { scope, target } = report;
  const to = target.version ?? target.image;
  const out: string[] = [
    `## ${VERDICT_EMOJI(report)} mmgate ${mdText(phaseName(report))}: ${mdText(v.headline)}`,
    '',
    [
      `${scope.kind ? mdText(describeScope(scope)) : `Installation ${mdCode(scope.installation)}`} in namespace ${mdCode(scope.namespace)}${scope.context ? ` (context ${mdCode(scope.context)})` : ''}${scope.site ? ` · site ${mdCode(scope.site)}` : ''}`,
      to ? `target ${mdCode(to)}` : '',
      `exit code ${v.exitCode}`,
      `${countsText(report)}`,
      formatDuration(report.durationMs),
      `mmgate ${mdText(report.tool.version)}`,
    ].filter(Boolean).join(' · '),
  ];
  if (report.partial) out.push('', '> [!WARNING]', '> The run was interrupted or hit its deadline: these results are partial.');

  const blocking = report.results.filter((r) => r.blocking);
  if (blocking.length) {
    out.push('', '**Blocking:**', '');
    for (const r of blocking) {
      const { why, fix } = blockingReason(r);
      out.push(`- ${STATUS_EMOJI[r.status]} ${mdCode(r.id)}: ${mdText(why)}${fix ? `<br>fix: ${mdText(fix)}` : ''}`);
    }
  }

  out.push('', '| Status | Check | Title | Level | Duration |', '|---|---|---|---|---:|');
  for (const r of report.results) {
    const marks = [r.blocking ? '**blocking**' : '', r.waiver ? 'waived' : '', r.flaky ? 'flaky' : ''].filter(Boolean).join(', ');
    const title = `${mdText(r.title)}${r.reason && !needsAttention(r) ? ` <sub>(${mdText(r.reason)})</sub>` : ''}`;
    out.push(`| ${STATUS_EMOJI[r.status]} ${r.status}${marks ? ` (${marks})` : ''} | ${mdCode(r.id, { inTable: true })} | ${title} | ${r.level} | ${formatDuration(r.durationMs)} |`);
  }
  if (report.results.length === 0) out.push('| | _no checks ran_ | | | |');

  if (!opts.brief) {
    const attention = report.results.filter(needsAttention);
    if (attention.length) out.push('', '### Details');
    for (const r of attention) out.push(...details(r));
    const timed = report.results.filter((r) => r.timeline);
    if (timed.length) out.push('', '### Timelines');
    for (const r of timed) out.push('', `${mdCode(r.id)} (every probe is in the JSON report):`, '', ...mdBlock(timelineLines(r.timeline!)));
    const flaky = report.results.filter((r) => r.flaky && !needsAttention(r));
    if (flaky.length) {
      out.push('', '### Flaky', '');
      for (const r of flaky) out.push(`- ${mdCode(r.id)} passed, but the data it judged needed collector retries`);
    }
  }

  out.push(...changesSection(report));

  const failed = report.collectors.filter((c) => !c.ok);
  if (failed.length) {
    out.push('', '### Collectors that failed', '');
    for (const c of failed) {
      out.push(`- ${mdCode(c.key)}: ${c.error ? `**${mdText(c.error.code)}** ${mdText(c.error.message)}` : 'failed'} (${plural(c.attempts, 'attempt')}, ${formatDuration(c.durationMs)})`);
    }
  }
  if (report.notes.length) {
    out.push('', '### Notes', '');
    for (const n of report.notes) out.push(`- ${mdText(n, { lineStart: true })}`);
  }
  if (report.rollbackPlan) {
    const plan = report.rollbackPlan;
    out.push('', '### Rollback plan', '', mdText(`From the ${plan.basis}:`), '');
    plan.steps.forEach((s, i) => out.push(`${i + 1}. ${mdCode(s)}`));
    out.push('');
    for (const w of plan.warnings) out.push(`> [!WARNING]`, `> ${mdText(w)}`, '');
  }
  return `${out.join('\n')}\n`;
}

/** GitHub rejects a step summary over 1 MiB; past this, the summary gets the brief form. */
export const STEP_SUMMARY_LIMIT = 1_000_000;

export class MarkdownReporter implements Reporter {
  readonly name = 'markdown';
  async onRunEnd(report: RunReport, ctx: ReportContext): Promise<string[]> {
    const md = renderMarkdown(report);
    const file = await writeReportFile(ctx, '.md', md);
    const summary = ctx.env['GITHUB_STEP_SUMMARY'];
    if (summary) {
      let text = md;
      if (Buffer.byteLength(text) > STEP_SUMMARY_LIMIT) {
        text = `${renderMarkdown(report, { brief: true })}\n_Details left out to fit the step summary: see ${mdCode(file)}._\n`;
      }
      // Append, never truncate: other steps of the job write to the same summary.
      await appendFile(summary, `${text}\n`, 'utf8');
    }
    return [file];
  }
}

/**
 * The console reporter: a line per finished collector and check while the run goes, then the
 * summary a human acts on, ending with the verdict (the last lines of a CI log are what people read).
 * Live lines are plain lines (a line per event is what CI logs need); on a terminal that only this
 * run writes to, they are erased before the summary, which lists every check again.
 */
import { rollbackLines } from '../core/rollback.js';
import { formatDuration } from '../core/duration.js';
import { timelineLines } from '../core/rollout-timeline.js';
import type { CheckResult, CollectorRun, ResultStatus, RunReport } from '../core/types.js';
import {
  changeLines,
  EVIDENCE_LINES, STATUS_SYMBOL, STATUS_WORD, blockingReason, countsText, findingLines, measuredText,
  needsAttention, phaseName, plural, scopeLine, stripAnsi,
} from './text.js';
import type { LiveOptions, ReportContext, Reporter } from './types.js';

type Paint = (s: string) => string;
interface Palette { red: Paint; green: Paint; yellow: Paint; magenta: Paint; dim: Paint; bold: Paint; status: (s: ResultStatus) => Paint }

const sgr = (open: number, close: number): Paint => (s) => `\u001b[${open}m${s}\u001b[${close}m`;

function palette(color: boolean): Palette {
  if (!color) {
    const id: Paint = (s) => s;
    return { red: id, green: id, yellow: id, magenta: id, dim: id, bold: id, status: () => id };
  }
  const p = { red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), magenta: sgr(35, 39), dim: sgr(2, 22), bold: sgr(1, 22) };
  const byStatus: Record<ResultStatus, Paint> = { pass: p.green, warn: p.yellow, fail: p.red, error: p.magenta, 'not-applicable': p.dim, skipped: p.dim };
  return { ...p, status: (s) => byStatus[s] };
}

/**
 * Text from the cluster may carry its own escape sequences and control characters: stripped, so a
 * pod log line cannot recolour or rewrite the operator's terminal.
 */
// eslint-disable-next-line no-control-regex
const clean = (s: string): string => stripAnsi(s).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');

/** Applied to the input once, before any colour of ours is added (so ours survive). */
function cleanDeep<T>(v: T): T {
  if (typeof v === 'string') return clean(v) as T;
  if (Array.isArray(v)) return v.map(cleanDeep) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [clean(k), cleanDeep(x)])) as T;
  return v;
}

/** Indents every line of a possibly multi-line text, so continuation lines stay under their item. */
const indent = (text: string, first: string, rest = ' '.repeat(first.length)): string[] =>
  text.split(/\r?\n/).map((l, i) => (i === 0 ? first : rest) + l);

const oneLine = (s: string): string => s.replace(/\s*\r?\n\s*/g, ' ');

const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - [...s].length));

export interface ConsoleRenderOptions { readonly color: boolean }

/** One live line for a finished collector. */
export function renderCollectorLine(input: CollectorRun, opts: ConsoleRenderOptions): string {
  const run = cleanDeep(input);
  const c = palette(opts.color);
  const tries = run.attempts > 1 ? `, ${run.attempts} attempts` : '';
  if (run.ok) return `  ${c.dim('·')} collected ${run.key} ${c.dim(`(${formatDuration(run.durationMs)}${tries})`)}`;
  const why = run.error ? `${run.error.code}: ${run.error.message}` : 'failed';
  return indent(`could not collect ${run.key}: ${why} (${formatDuration(run.durationMs)}${tries})`, `  ${c.red('✖')} `).join('\n');
}

/** One live line for a finished check. */
export function renderCheckLine(input: CheckResult, opts: ConsoleRenderOptions): string {
  const r = cleanDeep(input);
  const c = palette(opts.color);
  const tag = r.blocking ? ` ${c.red(c.bold('blocking'))}` : r.flaky ? ` ${c.yellow('flaky')}` : '';
  return `  ${c.status(r.status)(STATUS_SYMBOL[r.status])} ${r.id} ${c.status(r.status)(STATUS_WORD[r.status])}${tag} ${c.dim(formatDuration(r.durationMs))}`;
}

function checkTable(report: RunReport, c: Palette): string[] {
  const rows = report.results;
  if (rows.length === 0) return ['  (no checks ran)'];
  const idW = Math.max(...rows.map((r) => r.id.length));
  // Long titles are not cut (they are the message), but do not push every row's duration away.
  const titleW = Math.min(64, Math.max(...rows.map((r) => [...r.title].length)));
  const wordW = Math.max(...rows.map((r) => STATUS_WORD[r.status].length));
  return rows.map((r) => {
    const paint = c.status(r.status);
    const marks = [
      r.blocking ? c.red(c.bold('BLOCKING')) : '',
      r.waiver ? c.yellow('waived') : '',
      r.flaky ? c.yellow('flaky') : '',
      r.reason && !needsAttention(r) ? c.dim(`(${oneLine(r.reason)})`) : '',
    ].filter(Boolean).join(' ');
    const took = formatDuration(r.durationMs);
    const tail = marks ? `${' '.repeat(Math.max(1, 7 - took.length))}${marks}` : '';
    return `  ${paint(STATUS_SYMBOL[r.status])} ${paint(pad(STATUS_WORD[r.status], wordW))}  ${pad(r.level, 5)}  ${pad(r.id, idW)}  ${pad(oneLine(r.title), titleW)}  ${c.dim(took)}${tail}`;
  });
}

function details(r: CheckResult, c: Palette): string[] {
  const paint = c.status(r.status);
  const how = r.blocking ? c.red(c.bold('BLOCKING')) : 'does not block';
  const out = [`${paint(STATUS_SYMBOL[r.status])} ${c.bold(r.id)} · ${paint(r.status)} · level ${r.level} · ${how}`];
  out.push(...indent(r.title, '  '));
  if (r.summary) out.push(...indent(r.summary, '  '));
  if (r.waiver) out.push(`  ${c.yellow('waived')} until ${r.waiver.expires}: ${oneLine(r.waiver.reason)}`);
  if (r.error) out.push(...indent(`${c.magenta(r.error.code)}: ${r.error.message}`, '  '));
  r.findings.forEach((f, i) => {
    const [first = '', ...rest] = findingLines(f, EVIDENCE_LINES);
    out.push(...indent(first, `  ${i + 1}) `));
    for (const l of rest) {
      const styled = l.startsWith('  fix: ') ? `  ${c.green('fix:')}${l.slice(6)}` : l;
      // Continuation lines of a multi-line value stay under the value, not under the label.
      const lead = ' '.repeat(5 + (/^ */.exec(l)?.[0].length ?? 0) + 2);
      out.push(...indent(styled, '     ', lead));
    }
  });
  if (r.measured) out.push(`  ${c.dim('measured:')} ${oneLine(measuredText(r.measured))}`);
  return out;
}

export function renderConsoleSummary(input: RunReport, opts: ConsoleRenderOptions): string {
  const report = cleanDeep(input);
  const c = palette(opts.color);
  const v = report.verdict;
  const out: string[] = [];
  out.push(c.bold(oneLine(`mmgate ${phaseName(report)} · ${scopeLine(report)}`)), '');
  out.push(...checkTable(report, c));

  const attention = report.results.filter(needsAttention);
  const flaky = report.results.filter((r) => r.flaky && !needsAttention(r));
  if (attention.length || flaky.length) {
    out.push('', c.bold('Details'));
    for (const r of attention) out.push('', ...details(r, c));
    for (const r of flaky) {
      out.push('', `${c.status(r.status)(STATUS_SYMBOL[r.status])} ${c.bold(r.id)} · ${c.yellow('flaky')}: passed, but the data it judged needed collector retries`);
      if (r.waiver) out.push(`  waived until ${r.waiver.expires}: ${oneLine(r.waiver.reason)}`);
    }
  }

  const timed = report.results.filter((r) => r.timeline);
  if (timed.length) {
    out.push('', c.bold('Timelines'));
    for (const r of timed) out.push('', `  ${c.bold(r.id)}`, ...timelineLines(r.timeline!).map((l) => `  ${l}`));
  }

  const failed = report.collectors.filter((x) => !x.ok);
  if (failed.length) {
    out.push('', c.bold('Collectors that failed'));
    for (const x of failed) {
      const why = x.error ? `${x.error.code}: ${x.error.message}` : 'failed';
      out.push(...indent(`${x.key}: ${why} (${plural(x.attempts, 'attempt')}, ${formatDuration(x.durationMs)})`, `  ${c.red('✖')} `));
    }
  }

  const changed = changeLines(report);
  if (changed) {
    out.push('', c.bold('What changed since preflight'));
    for (const l of changed) out.push(...indent(l, '  '));
  }

  if (report.notes.length) {
    out.push('', c.bold('Notes'));
    for (const n of report.notes) out.push(...indent(n, '  • '));
  }
  if (report.rollbackPlan) out.push('', ...rollbackLines(report.rollbackPlan).map((l, i) => (i === 0 ? c.bold(l) : l)));

  // The verdict comes last and names every blocking check with why and the fix, so the bottom
  // of a CI log is enough to act on.
  const blocking = report.results.filter((r) => r.blocking);
  if (blocking.length) {
    out.push('', c.bold('Blocking'));
    for (const r of blocking) {
      const { why, fix } = blockingReason(r);
      out.push(...indent(`${r.id}: ${why}`, `  ${c.status(r.status)(STATUS_SYMBOL[r.status])} `));
      if (fix) out.push(...indent(fix, `      ${c.green('fix:')} `));
    }
  }
  out.push('', c.dim(`${countsText(report)} · ${formatDuration(report.durationMs)}${report.partial ? ' · PARTIAL results' : ''}`));
  const headline = oneLine(v.headline);
  const head = v.promote ? c.green(c.bold(`✔ ${headline}`)) : v.exitCode === 3 ? c.magenta(c.bold(`‼ ${headline}`)) : c.red(c.bold(`✖ ${headline}`));
  out.push(`${head} ${c.dim(`(exit ${v.exitCode})`)}`);
  return `${out.join('\n')}\n`;
}

/** Rows a printed text takes on a terminal this wide (a long line wraps). */
export function terminalRows(text: string, columns = 80): number {
  return text.split('\n').reduce((n, l) => n + Math.max(1, Math.ceil([...stripAnsi(l)].length / Math.max(1, columns))), 0);
}

export class ConsoleReporter implements Reporter {
  readonly name = 'console';
  private readonly live: LiveOptions;

  /** Live options are given at creation: progress lines are printed before onRunEnd's context exists. */
  /** Terminal rows the live lines took, to erase them before the summary. */
  private rows = 0;

  constructor(live?: Partial<LiveOptions>) {
    this.live = { stdout: live?.stdout ?? process.stdout, color: live?.color ?? false, erase: live?.erase ?? false, ...(live?.columns ? { columns: live.columns } : {}) };
  }

  onCollectorEnd(run: CollectorRun): void {
    this.print(() => renderCollectorLine(run, this.live));
  }

  onCheckEnd(r: CheckResult): void {
    this.print(() => renderCheckLine(r, this.live));
  }

  async onRunEnd(report: RunReport, ctx: ReportContext): Promise<string[]> {
    // Cursor to the first live line, then clear to the end of the screen (ECMA-48 CPL and ED).
    const erase = this.live.erase && this.rows > 0 ? `\u001b[${this.rows}F\u001b[0J` : '\n';
    ctx.stdout.write(`${erase}${renderConsoleSummary(report, { color: ctx.color })}`);
    return [];
  }

  /** Progress is a courtesy: it must never break the run it reports on. */
  private print(line: () => string): void {
    try {
      const text = line();
      this.live.stdout.write(`${text}\n`);
      this.rows += terminalRows(text, this.live.columns);
    } catch {
      // ignored on purpose: the summary and the report files still say everything
    }
  }
}

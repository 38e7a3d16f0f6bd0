/**
 * The reporters: pure renderers of one RunReport. `createReporters` builds them from the configured
 * formats; `writeReports` runs them isolated from each other (Playwright's multiplexer idea), so one
 * failing reporter neither stops the others nor goes unnoticed: its failure is returned and the CLI
 * exits 3, because a gate must not lose its JUnit file silently.
 */
import type { CheckResult, CollectorRun, RunReport } from '../core/types.js';
import { ConsoleReporter } from './console.js';
import { HtmlReporter } from './html.js';
import { JsonReporter } from './json.js';
import { JunitReporter } from './junit.js';
import { MarkdownReporter } from './markdown.js';
import { PrometheusReporter } from './prometheus.js';
import { REPORT_FORMATS } from '../core/config/schema.js';
import type { LiveOptions, ReportContext, Reporter, ReportFormat } from './types.js';
import { PartialReportError } from './write.js';

export type { LiveOptions, ReportContext, Reporter, ReportFormat } from './types.js';
export { renderCheckLine, renderCollectorLine, renderConsoleSummary, ConsoleReporter } from './console.js';
export { renderJson, JsonReporter } from './json.js';
export { runReportSchema } from './json-schema.js';
export { renderJunit, JunitReporter } from './junit.js';
export { renderMarkdown, MarkdownReporter } from './markdown.js';
export { buildRegistry, pushMetrics, renderPrometheus, PrometheusReporter } from './prometheus.js';
export { PartialReportError } from './write.js';

export { REPORT_FORMATS } from '../core/config/schema.js';

/**
 * One reporter per format, duplicates dropped, in the order given. `live` feeds the console's
 * progress lines (the CLI passes its stdout and colour decision; without it: process.stdout, no colour).
 */
export function createReporters(formats: readonly ReportFormat[], live?: Partial<LiveOptions>): Reporter[] {
  const make: Record<ReportFormat, () => Reporter> = {
    console: () => new ConsoleReporter(live),
    json: () => new JsonReporter(),
    junit: () => new JunitReporter(),
    markdown: () => new MarkdownReporter(),
    prometheus: () => new PrometheusReporter(),
    html: () => new HtmlReporter(),
  };
  const out: Reporter[] = [];
  for (const f of new Set(formats)) {
    // Formats come from a validated config, but a plugin or script may hand us anything.
    if (!Object.hasOwn(make, f)) throw new Error(`unknown report format "${String(f)}": use ${REPORT_FORMATS.join(', ')}`);
    out.push(make[f]());
  }
  return out;
}

export interface WriteResult {
  files: string[];
  failures: { reporter: string; message: string }[];
}

/**
 * Runs every reporter's onRunEnd. File reporters go first and the console last, so the summary is
 * the final thing on screen. Failures are collected, never thrown.
 */
export async function writeReports(report: RunReport, reporters: readonly Reporter[], ctx: ReportContext): Promise<WriteResult> {
  const files: string[] = [];
  const failures: WriteResult['failures'] = [];
  const ordered = [...reporters.filter((r) => r.name !== 'console'), ...reporters.filter((r) => r.name === 'console')];
  for (const r of ordered) {
    try {
      files.push(...await r.onRunEnd(report, ctx));
    } catch (err) {
      if (err instanceof PartialReportError) files.push(...err.files);
      failures.push({ reporter: r.name, message: err instanceof Error ? err.message : String(err) });
    }
  }
  return { files, failures };
}

/**
 * Runner hooks that fan live events out to every reporter. A throwing hook is swallowed: live
 * progress is a courtesy and must not turn a check's result into a crash of the run.
 */
export function liveHooks(reporters: readonly Reporter[]): { onCollectorEnd: (run: CollectorRun) => void; onCheckEnd: (r: CheckResult) => void } {
  const each = (f: (r: Reporter) => void): void => {
    for (const r of reporters) {
      try { f(r); } catch { /* see above */ }
    }
  };
  return {
    onCollectorEnd: (run) => each((r) => r.onCollectorEnd?.(run)),
    onCheckEnd: (res) => each((r) => r.onCheckEnd?.(res)),
  };
}

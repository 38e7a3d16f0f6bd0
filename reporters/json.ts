/**
 * `<name>.json`: the RunReport as it is (it carries `schemaVersion`), for machines: `mmgate
 * evaluate`, CI scripts, dashboards. Key order is the order the runner built, so diffs stay small.
 */
import type { RunReport } from '../core/types.js';
import type { ReportContext, Reporter } from './types.js';
import { writeReportFile } from './write.js';

export function renderJson(report: RunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export class JsonReporter implements Reporter {
  readonly name = 'json';
  async onRunEnd(report: RunReport, ctx: ReportContext): Promise<string[]> {
    return [await writeReportFile(ctx, '.json', renderJson(report))];
  }
}

/**
 * `<name>.prom` in the Prometheus text format (for node_exporter's textfile collector or an
 * archive), and an optional push to a Pushgateway, so dashboards and alerts see every gate run.
 * Built on a fresh Registry each time: the global one would leak series between runs in one
 * process (the lab, the tests) and mix in whatever else registered there.
 */
import { Gauge, Pushgateway, Registry } from 'prom-client';
import type { ResultStatus, RunReport } from '../core/types.js';
import { phaseName } from './text.js';
import type { ReportContext, Reporter } from './types.js';
import { PartialReportError, writeReportFile } from './write.js';

export const PUSH_JOB = 'mmgate';

export function buildRegistry(report: RunReport): Registry {
  const registry = new Registry();
  const registers = [registry];
  const phase = phaseName(report);
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> =>
    new Gauge<L>({ name, help, labelNames, registers });

  const status = gauge('mmgate_check_status', 'The status of each check in its last run (1 = this status).', ['check', 'phase', 'status', 'level']);
  const duration = gauge('mmgate_check_duration_seconds', 'How long each check took to evaluate.', ['check', 'phase']);
  const blocking = gauge('mmgate_check_blocking', 'Whether the check alone keeps the verdict from promoting (1) or not (0).', ['check', 'phase']);
  const measured = gauge('mmgate_check_measured', 'Numeric values a check measured (booleans as 1/0).', ['check', 'phase', 'name']);
  for (const r of report.results) {
    status.set({ check: r.id, phase, status: r.status satisfies ResultStatus, level: r.level }, 1);
    duration.set({ check: r.id, phase }, r.durationMs / 1_000);
    blocking.set({ check: r.id, phase }, r.blocking ? 1 : 0);
    for (const [name, v] of Object.entries(r.measured ?? {})) {
      // Strings (versions, names) are not samples; they stay in the JSON report.
      if (typeof v === 'number') measured.set({ check: r.id, phase, name }, v);
      else if (typeof v === 'boolean') measured.set({ check: r.id, phase, name }, v ? 1 : 0);
    }
  }

  gauge('mmgate_verdict_promote', 'Whether the gate promoted (1) or blocked (0).', ['phase']).set({ phase }, report.verdict.promote ? 1 : 0);
  gauge('mmgate_run_exit_code', 'Exit code of the run: 0 promote, 1 blocked, 3 harness failure or interrupted.', ['phase']).set({ phase }, report.verdict.exitCode);
  gauge('mmgate_run_duration_seconds', 'How long the whole run took.', ['phase']).set({ phase }, report.durationMs / 1_000);
  gauge('mmgate_run_timestamp_seconds', 'When the run finished, in Unix seconds.', ['phase']).set({ phase }, Date.parse(report.finishedAt) / 1_000);
  const up = gauge('mmgate_collector_up', 'Whether each data source could be read (1) or not (0).', ['collector', 'phase']);
  for (const c of report.collectors) up.set({ collector: c.key, phase }, c.ok ? 1 : 0);
  return registry;
}

export async function renderPrometheus(report: RunReport): Promise<string> {
  return buildRegistry(report).metrics();
}

/** The Pushgateway group of a run: one per phase and installation, replaced by each push. */
export function pushGrouping(report: RunReport): Record<string, string> {
  // namespace too: two installations of the same name in two namespaces must not overwrite each other.
  return { phase: phaseName(report), namespace: report.scope.namespace, installation: report.scope.installation };
}

/** The URL without user:password, for messages. */
function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}

/**
 * PUT (not POST): the group is replaced, so a check removed from the config does not linger in
 * the Pushgateway with its last value.
 */
export async function pushMetrics(report: RunReport, url: string, opts: { timeoutMs?: number } = {}): Promise<void> {
  const gateway = new Pushgateway(url, { timeout: opts.timeoutMs ?? 10_000 }, buildRegistry(report));
  try {
    await gateway.push({ jobName: PUSH_JOB, groupings: pushGrouping(report) });
  } catch (err) {
    throw new Error(`push to the Pushgateway ${displayUrl(url)} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export class PrometheusReporter implements Reporter {
  readonly name = 'prometheus';
  async onRunEnd(report: RunReport, ctx: ReportContext): Promise<string[]> {
    const file = await writeReportFile(ctx, '.prom', await renderPrometheus(report));
    if (ctx.pushgateway) {
      try {
        await pushMetrics(report, ctx.pushgateway);
      } catch (err) {
        throw new PartialReportError((err as Error).message, [file], { cause: err });
      }
    }
    return [file];
  }
}

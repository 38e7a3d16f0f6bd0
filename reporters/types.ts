/**
 * The reporter contract (Playwright/Vitest shape): optional live hooks while the run goes, and one
 * `onRunEnd` that renders the finished RunReport. Reporters never compute the verdict: they render
 * the one the policy put in the report.
 */
import type { HistoryEntry } from '../core/history.js';
import type { CheckResult, CollectorRun, RunReport, Snapshot } from '../core/types.js';

export type { ReportFormat } from '../core/config/schema.js';

export interface Reporter {
  readonly name: string;
  /** Live progress (console only). Must never throw: it runs inside the runner's loop. */
  onCollectorEnd?(run: CollectorRun): void;
  onCheckEnd?(r: CheckResult): void;
  /** Writes files / prints the summary; returns the files written. */
  onRunEnd(report: RunReport, ctx: ReportContext): Promise<string[]>;
}

export interface ReportContext {
  /** Directory report files go to (created when missing). */
  dir: string;
  /** Prefix of file names, = the phase command: preflight | verify. */
  name: string;
  stdout: NodeJS.WritableStream;
  /** Whether stdout is a terminal (the built-in reporters print lines either way). */
  isTTY: boolean;
  /** Decided by the CLI (NO_COLOR / FORCE_COLOR / --no-color); reporters only obey it. */
  color: boolean;
  /** Read for GITHUB_STEP_SUMMARY only. */
  env: NodeJS.ProcessEnv;
  /** Base URL of a Prometheus Pushgateway the prometheus reporter pushes to. */
  pushgateway?: string;
  /** The run's redacted snapshot: the HTML report draws its pod matrix and timeline from it. */
  snapshot?: Snapshot;
  /** Earlier runs kept with --history, for the HTML report's recent runs. */
  history?: readonly HistoryEntry[];
}

/**
 * What the console reporter needs before onRunEnd, for live progress: one line per event. With
 * `erase` (a terminal that nothing else writes to during the run) those lines are wiped before the
 * summary, so the checks are not listed twice; CI logs (not a TTY) keep them.
 */
export interface LiveOptions {
  stdout: NodeJS.WritableStream;
  color: boolean;
  erase: boolean;
  /** Terminal width, to count the rows a long line takes. */
  columns?: number;
}

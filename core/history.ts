/**
 * The run history kept with `--history DIR`: one JSON line per run in DIR/history.jsonl, appended
 * after the reports are written. `mmgate history` and the HTML report read it back. A line holds no
 * finding text, only ids and figures, so the file never carries what a report masks.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Phase, RunReport } from './types.js';

export interface HistoryEntry {
  readonly at: string;
  readonly phase: Phase;
  /** `namespace/name`, with `@context` when the run named one. */
  readonly installation: string;
  readonly target?: string;
  readonly verdict: 'promote' | 'blocked' | 'harness-failure';
  readonly exitCode: number;
  readonly durationMs: number;
  readonly partial: boolean;
  readonly blocking: readonly string[];
  readonly warnings: readonly string[];
}

export const HISTORY_FILE = 'history.jsonl';

export function historyEntry(report: RunReport): HistoryEntry {
  const { scope, target, verdict } = report;
  const to = target.version ?? target.image;
  return {
    at: report.startedAt,
    phase: report.phase,
    installation: `${scope.namespace}/${scope.installation}${scope.context ? `@${scope.context}` : ''}`,
    ...(to ? { target: to } : {}),
    verdict: verdict.promote ? 'promote' : verdict.exitCode === 3 ? 'harness-failure' : 'blocked',
    exitCode: verdict.exitCode,
    durationMs: report.durationMs,
    partial: report.partial,
    blocking: verdict.blocking,
    warnings: verdict.warnings,
  };
}

export async function appendHistory(dir: string, entry: HistoryEntry): Promise<void> {
  await mkdir(dir, { recursive: true });
  await appendFile(join(dir, HISTORY_FILE), `${JSON.stringify(entry)}\n`, 'utf8');
}

/** Every readable line, oldest first; a torn or foreign line is skipped, never fatal. */
export async function readHistory(dir: string): Promise<HistoryEntry[]> {
  let text: string;
  try {
    text = await readFile(join(dir, HISTORY_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: HistoryEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as Partial<HistoryEntry>;
      if (typeof e.at === 'string' && typeof e.installation === 'string' && typeof e.verdict === 'string' && Array.isArray(e.blocking)) out.push(e as HistoryEntry);
    } catch {
      // a line cut by a crash mid-write: the others still count
    }
  }
  return out;
}

export interface HistoryTrend {
  readonly installation: string;
  readonly last: readonly HistoryEntry[];
  /** Checks that blocked most often in these runs, most first. */
  readonly topBlocking: readonly { readonly id: string; readonly count: number }[];
}

/** The last `n` runs of each installation, newest first, and the checks that blocked them most. */
export function historyTrend(entries: readonly HistoryEntry[], n: number): HistoryTrend[] {
  const by = new Map<string, HistoryEntry[]>();
  for (const e of entries) by.set(e.installation, [...(by.get(e.installation) ?? []), e]);
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([installation, runs]) => {
    const last = [...runs].sort((a, b) => b.at.localeCompare(a.at)).slice(0, n);
    const counts = new Map<string, number>();
    for (const r of last) for (const id of r.blocking) counts.set(id, (counts.get(id) ?? 0) + 1);
    const topBlocking = [...counts.entries()].map(([id, count]) => ({ id, count })).sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
    return { installation, last, topBlocking };
  });
}

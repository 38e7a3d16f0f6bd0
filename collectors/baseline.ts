/**
 * The one reader of verify's --baseline (the contract is in core/baseline.ts and docs/plugins.md).
 * It takes the preflight.snapshot.json that preflight wrote, or the preflight.json report: a report
 * holds results, not data, so its data comes from the snapshot the same run wrote beside it
 * (meta.collectedAt equal to the report's startedAt); without one, the baseline says what it lacks.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { reduceBaseline, snapshotProblem, type Baseline } from '../core/baseline.js';
import type { Collector } from '../core/collector.js';
import { CollectFailure } from '../core/collector.js';
import { UsageError } from '../core/errors.js';
import { PHASE_COMMAND, type Phase, type Snapshot } from '../core/types.js';

const FIX = 'give the preflight.snapshot.json (or preflight.json) that mmgate preflight wrote to its report dir';

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UsageError(`--baseline ${path}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, FIX);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new UsageError(`--baseline ${path}: not JSON (${(err as Error).message.split('\n')[0]})`, FIX);
  }
}

function fromSnapshot(doc: unknown, path: string, kind: Baseline['kind']): Baseline {
  const problem = snapshotProblem(doc);
  if (problem) throw new UsageError(`--baseline ${path}: ${problem.message}`, problem.fix === FIX ? FIX : `${problem.fix}; ${FIX}`);
  const s = doc as Snapshot;
  if (s.meta.phase !== 'pre') throw new UsageError(`--baseline ${path} is the snapshot of mmgate ${PHASE_COMMAND[s.meta.phase as Phase]}, not of preflight`, FIX);
  return { path, kind, collectedAt: s.meta.collectedAt, harnessVersion: s.meta.harnessVersion, scope: s.meta.scope, data: s.data };
}

/** The snapshot the run of a report wrote beside it, when there is one of that very run. */
async function siblingSnapshot(reportPath: string, startedAt: unknown): Promise<unknown> {
  const dir = dirname(reportPath);
  const named = basename(reportPath).replace(/\.json$/, '.snapshot.json');
  for (const candidate of [...new Set([join(dir, named), join(dir, 'preflight.snapshot.json')])]) {
    try {
      const doc = JSON.parse(await readFile(candidate, 'utf8')) as { meta?: { collectedAt?: unknown } };
      if (doc.meta?.collectedAt === startedAt) return { doc, candidate };
    } catch { /* absent or unreadable: try the next, then say what the report lacks */ }
  }
  return undefined;
}

/** Reads and checks a --baseline file; every problem is a UsageError naming the file and the fix (exit 2). */
export async function readBaseline(path: string): Promise<Baseline> {
  const doc = await readJson(path);
  const r = doc as { results?: unknown; phase?: unknown; startedAt?: unknown; tool?: { version?: unknown } } | null;
  if (!r || typeof r !== 'object' || !Array.isArray(r.results)) return fromSnapshot(doc, path, 'snapshot');
  if (r.phase !== 'pre') throw new UsageError(`--baseline ${path} is the report of mmgate ${PHASE_COMMAND[r.phase as Phase] ?? String(r.phase)}, not of preflight`, FIX);
  const sibling = await siblingSnapshot(path, r.startedAt) as { doc: unknown; candidate: string } | undefined;
  if (sibling) return { ...fromSnapshot(sibling.doc, sibling.candidate, 'report'), path };
  return {
    path, kind: 'report', collectedAt: typeof r.startedAt === 'string' ? r.startedAt : '', harnessVersion: String(r.tool?.version ?? 'unknown'), data: {},
    lacks: `the baseline ${path} is a JSON report, which holds results, not the data verify compares with, and the preflight.snapshot.json of the same run (meta.collectedAt ${String(r.startedAt)}) is not beside it: give that snapshot as --baseline`,
  };
}

export const baselineCollector: Collector<'baseline'> = {
  key: 'baseline',
  source: 'the --baseline file (preflight.snapshot.json or preflight.json)',
  async collect(env) {
    if (!env.baselinePath) return null;
    const full = await readBaseline(env.baselinePath).catch((err: unknown) => {
      throw new CollectFailure('CONFIG', err instanceof UsageError ? `${err.message}; ${err.hint ?? FIX}` : (err as Error).message);
    });
    // Verify keeps only what its checks compare with, not a second copy of preflight's snapshot.
    return reduceBaseline(full, env.baselineKeys ?? []);
  },
};

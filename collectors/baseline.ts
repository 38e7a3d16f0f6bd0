/**
 * The baseline a post-upgrade run compares against: the snapshot preflight saved
 * (`<report-dir>/preflight.snapshot.json`), given to verify with `--baseline PATH`.
 */
import { readFile } from 'node:fs/promises';
import type { CollectEnv, Collector } from '../core/collector.js';
import { CollectFailure } from '../core/collector.js';
import { PHASE_COMMAND, type Phase, type Snapshot } from '../core/types.js';

declare module '../core/types.js' {
  interface SnapshotData {
    /** The preflight snapshot given with --baseline, or null when none was given. */
    baseline: Snapshot | null;
  }
}

/** The parsed --baseline file, read once per run for every collector that compares with it. */
export function readBaselineDocument(env: CollectEnv): Promise<unknown> {
  return env.shared('baseline-document', async () => {
    if (!env.baselinePath) return null;
    try {
      return JSON.parse(await readFile(env.baselinePath, 'utf8')) as unknown;
    } catch (err) {
      throw new CollectFailure('CONFIG', `cannot read --baseline ${env.baselinePath}: ${(err as Error).message.split('\n')[0]}; give the preflight.snapshot.json that preflight wrote`);
    }
  });
}

export const baselineCollector: Collector<'baseline'> = {
  key: 'baseline',
  source: 'the --baseline snapshot file',
  async collect(env) {
    const parsed = await readBaselineDocument(env);
    if (parsed === null || !env.baselinePath) return null;
    const s = parsed as Partial<Snapshot>;
    if (!s.meta || !s.data || typeof s.data !== 'object') {
      throw new CollectFailure('CONFIG', `--baseline ${env.baselinePath} is not an mmgate snapshot (no meta/data); give the preflight.snapshot.json that preflight wrote`);
    }
    if (s.meta.phase !== 'pre') {
      throw new CollectFailure('CONFIG', `--baseline ${env.baselinePath} is the snapshot of mmgate ${PHASE_COMMAND[s.meta.phase as Phase] ?? s.meta.phase}, not of preflight; give preflight.snapshot.json`);
    }
    return s as Snapshot;
  },
};

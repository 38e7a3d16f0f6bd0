/**
 * The baseline contract (docs/plugins.md, "Comparing with preflight"): a post check declares the
 * snapshot keys it compares with (`meta.baseline`); preflight always collects the union of them for
 * the checks enabled in verify; verify reads the --baseline file once (collectors/baseline.ts) and
 * gives each such check `input.baseline`, which it reads with `fromBaseline`.
 */
import { isCollectError, SNAPSHOT_SCHEMA_VERSION, type CollectError, type Snapshot, type SnapshotData, type SnapshotKey } from './types.js';


/** What verify knows of the preflight run, reduced to the keys its checks declared. */
export interface Baseline {
  /** The --baseline file. */
  readonly path: string;
  /** snapshot: preflight.snapshot.json · report: preflight.json, whose data came from the snapshot beside it. */
  readonly kind: 'snapshot' | 'report';
  readonly collectedAt: string;
  readonly harnessVersion: string;
  /** Where preflight looked (its resolved scope: kind, strategy, the colour in production). */
  readonly scope?: Snapshot['meta']['scope'];
  /** The declared keys preflight saved: data, or the CollectError of a collector that could not look. */
  readonly data: Snapshot['data'];
  /** Why a declared key is absent, when the whole file lacks data (a JSON report without its snapshot). */
  readonly lacks?: string;
}

declare module './types.js' {
  interface SnapshotData {
    /** The preflight run given with --baseline (the keys verify's checks declared), or null when none was given. */
    baseline: Baseline | null;
  }
}

export type BaselineValue<K extends SnapshotKey> =
  | { readonly ok: true; readonly value: SnapshotData[K]; readonly baseline: Baseline }
  | BaselineMiss;

/** Why a declared key has no preflight value: `given` is false without --baseline; `path` names the file when there is one. */
export interface BaselineMiss { readonly ok: false; readonly reason: string; readonly given: boolean; readonly path?: string }

/**
 * The preflight value of one declared key, or why there is none (no --baseline, an unreadable one,
 * a baseline that lacks the key, or a preflight collector that could not look). Pure: for checks.
 */
export function fromBaseline<K extends SnapshotKey>(baseline: Baseline | null | CollectError | undefined, key: K): BaselineValue<K> {
  if (baseline === null || baseline === undefined) {
    return { ok: false, given: false, reason: 'no baseline was given (verify --baseline <preflight.snapshot.json>)' };
  }
  if (isCollectError(baseline)) return { ok: false, given: true, reason: `the baseline could not be read: ${baseline.message}` };
  const v = baseline.data[key];
  const { path } = baseline;
  if (v === undefined) {
    return { ok: false, given: true, path, reason: baseline.lacks ?? `the baseline ${path} holds no "${key}": it was written by a preflight that did not collect it (an older mmgate, or the check was off in the config preflight used)` };
  }
  if (isCollectError(v)) return { ok: false, given: true, path, reason: `preflight could not look (${v.code}): ${v.message}` };
  return { ok: true, value: v as SnapshotData[K], baseline };
}

const SNAPSHOT_FIX = 'give a file written by --save-snapshot or <report-dir>/<phase>.snapshot.json';

/**
 * Checks a parsed document is an mmgate snapshot this version can judge; returns the reason when
 * not. A snapshot of another schemaVersion is refused with both versions named: its keys may mean
 * something else, and judging it anyway could pass what should block.
 */
export function snapshotProblem(doc: unknown): { message: string; fix: string } | undefined {
  const s = doc as Partial<Snapshot> | null;
  if (!s || typeof s !== 'object' || !s.meta || typeof s.meta !== 'object' || !s.data || typeof s.data !== 'object') {
    return { message: 'not an mmgate snapshot (no meta or data)', fix: SNAPSHOT_FIX };
  }
  const v = (s.meta as { schemaVersion?: unknown }).schemaVersion;
  if (v !== SNAPSHOT_SCHEMA_VERSION) {
    return {
      message: `snapshot schemaVersion ${JSON.stringify(v ?? null)} (written by mmgate ${String(s.meta.harnessVersion ?? 'unknown')}); this mmgate reads schemaVersion ${SNAPSHOT_SCHEMA_VERSION} only`,
      fix: 're-run the phase with this mmgate to get a snapshot it can judge, or use the mmgate version that wrote it',
    };
  }
  if (!['pre', 'during', 'post'].includes(s.meta.phase as string) || typeof s.meta.collectedAt !== 'string' || Number.isNaN(Date.parse(s.meta.collectedAt))) {
    return { message: 'not an mmgate snapshot (meta.phase or meta.collectedAt missing)', fix: SNAPSHOT_FIX };
  }
  return undefined;
}

/** The declared keys of a full baseline, as verify keeps them in its own snapshot. */
export function reduceBaseline(b: Baseline, keys: readonly SnapshotKey[]): Baseline {
  const data: Record<string, unknown> = {};
  for (const k of keys) if (b.data[k] !== undefined) data[k] = b.data[k];
  return { ...b, data: data as Snapshot['data'] };
}

import type { MmgateConfig } from './config/schema.js';
import type { Redactor } from './secrets.js';
import type { Phase, Scope, SnapshotData, SnapshotKey, Target } from './types.js';

/**
 * A collector does the I/O for one snapshot key. It runs at most once per run, whatever number of
 * checks need it; the runner gives it a deadline and retries transient failures.
 */
export interface Collector<K extends SnapshotKey = SnapshotKey> {
  readonly key: K;
  /** What it reads, for `mmgate explain` and error messages ("Kubernetes API: list nodes"). */
  readonly source: string;
  /** Extra attempts on a transient error (network reset, 5xx, 429). Default 0. */
  readonly retries?: number;
  /** Its own time budget when the default (timeouts.collector) does not fit, e.g. a watch that polls for minutes. */
  budgetMs?(config: MmgateConfig): number;
  collect(env: CollectEnv): Promise<SnapshotData[K]>;
}

/** Everything a collector may use. Clients are created lazily and shared by all collectors of a run. */
export interface CollectEnv {
  readonly config: MmgateConfig;
  /** Directory the config file is in: relative paths in config resolve from here. */
  readonly configDir: string;
  readonly phase: Phase;
  readonly scope: Scope;
  readonly target: Target;
  readonly signal: AbortSignal;
  readonly now: () => Date;
  readonly redactor: Redactor;
  /** Path of a saved report or snapshot given with --baseline. */
  readonly baselinePath?: string;
  /** The preflight snapshot keys this run's checks compare with (their meta.baseline): what the baseline collector keeps. */
  readonly baselineKeys?: readonly SnapshotKey[];
  /** Another collector's data (awaited; throws CollectFailure when that collector failed). */
  need<K extends SnapshotKey>(key: K): Promise<SnapshotData[K]>;
  /** A client shared by the run, created on first use (so --help and offline evaluate never load it). */
  shared<T>(name: string, create: () => Promise<T>): Promise<T>;
}

/**
 * Thrown by collectors with a code the report shows (UNREACHABLE, FORBIDDEN, NOT_FOUND, TIMEOUT,
 * BAD_RESPONSE, CONFIG, NOT_CONFIGURED). `transient` failures are retried.
 */
export class CollectFailure extends Error {
  constructor(readonly code: string, message: string, readonly transient = false) {
    super(message);
    this.name = 'CollectFailure';
  }
}

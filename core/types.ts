/**
 * The central types of mmgate. Data flows one way:
 * config + flags → plan → collectors → Snapshot → checks (pure) → CheckResult → policy → Verdict → reporters.
 */
import type { ZodType } from 'zod';
import type { RollbackPlan } from './rollback.js';

/**
 * The phase a check belongs to: `pre` runs in `mmgate preflight`, `during` in `mmgate watch`
 * (while the operator rolls the pods), `post` in `mmgate verify`.
 */
export type Phase = 'pre' | 'during' | 'post';
export const PHASES = ['pre', 'during', 'post'] as const satisfies readonly Phase[];
export const PHASE_COMMAND = { pre: 'preflight', during: 'watch', post: 'verify' } as const satisfies Record<Phase, string>;

/** Severity a policy gives a check (ESLint style). */
export type Level = 'off' | 'warn' | 'error';

/**
 * Every key a collector can fill. Collectors add their keys by declaration merging:
 * `declare module '../core/types.js' { interface SnapshotData { nodes: KubeNode[] } }`.
 * That keeps one file per collector and lets user plugins add keys of their own.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface SnapshotData {}
export type SnapshotKey = keyof SnapshotData & string;

/** What a collector stores in place of its data when it could not look. Checks that need it become `error`. */
export interface CollectError {
  readonly $collectError: true;
  /** Snapshot key of the collector that failed. */
  readonly key: string;
  /** Machine-readable cause: TIMEOUT, UNREACHABLE, FORBIDDEN, NOT_FOUND, BAD_RESPONSE, CONFIG, FAILED. */
  readonly code: string;
  /** One sentence that names the endpoint or resource and what to do. */
  readonly message: string;
}

export function isCollectError(v: unknown): v is CollectError {
  return typeof v === 'object' && v !== null && (v as { $collectError?: unknown }).$collectError === true;
}

/**
 * The snapshot format. 2: clusterPods is reduced as read (per-node request sums, pods that may be
 * unhealthy) instead of the raw list. A snapshot of another version is refused when read.
 */
export const SNAPSHOT_SCHEMA_VERSION = 2;

export interface SnapshotMeta {
  readonly schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  readonly phase: Phase;
  readonly collectedAt: string;
  readonly harnessVersion: string;
  readonly target: Target;
  readonly scope: Scope;
  /** How long each collector took, and retries it needed. */
  readonly collectors: Record<string, { durationMs: number; attempts: number }>;
}

/** A saved collection: each key holds data or a CollectError. Serialisable as JSON. */
export interface Snapshot {
  readonly meta: SnapshotMeta;
  readonly data: { [K in SnapshotKey]?: SnapshotData[K] | CollectError };
}

/** The version (or image) the upgrade goes to. */
export interface Target {
  readonly version?: string;
  readonly image?: string;
}

/** The two custom resources the Mattermost Operator reconciles (operator https://github.com/mattermost/mattermost-operator/blob/v1.25.9/config/crd/bases/). */
export type InstallationKind = 'Mattermost' | 'ClusterInstallation';
/** How the upgrade is rolled out: in place, to the idle blue/green colour, to a canary, or one site at a time. */
export type Strategy = 'rolling' | 'bluegreen' | 'canary';
/** Which part of a blue/green or canary installation a run judges. */
export type Side = 'idle' | 'production' | 'canary';

/** Where the installation lives, and (for blue/green, canary, sites) which part of it a run judges. */
export interface Scope {
  readonly context?: string;
  readonly namespace: string;
  readonly installation: string;
  /** The custom resource's kind, once known (kube.kind, or found by kube.installation). */
  readonly kind?: InstallationKind;
  /** The Deployment judged, whose name the pods carry in the installation label: the CR's name, a colour's or the canary's. */
  readonly workload?: string;
  readonly strategy?: Strategy;
  readonly side?: Side;
  /** The blue/green colour judged (its AppDeployment key), and the one serving production. */
  readonly colour?: 'blue' | 'green';
  readonly productionColour?: 'blue' | 'green';
  /** Base URL the journeys go through instead of the front door (the idle colour's own host). */
  readonly url?: string;
  /** Cookie every journey request carries (canary-by-cookie: `canary=always`). */
  readonly cookie?: string;
  /** The site (sites[]) a site-by-site run upgrades; the other sites must stay untouched. */
  readonly site?: string;
}

/** One thing found wrong (or worth saying), kubeadm style: what, where, expected vs actual, how to fix. */
export interface Finding {
  readonly message: string;
  readonly subject?: { readonly kind: string; readonly namespace?: string; readonly name: string };
  readonly expected?: string;
  readonly actual?: string;
  readonly remediation?: string;
  /** Short excerpts (log lines, response bodies) that show the problem. */
  readonly evidence?: readonly string[];
}

/**
 * One thing that differs between the preflight baseline and now (license, cluster, plugins,
 * settings), as the check that compared them judged it. Reports gather them in a "what changed"
 * section, whatever the check's status.
 */
export interface Change {
  /** What kind of thing: license, cluster, plugin, config. */
  readonly area: string;
  /** Which one: a license field, a plugin id, a dotted setting path. */
  readonly item: string;
  /** Its value at preflight, and now ("(none)" when absent; secrets masked). */
  readonly before: string;
  readonly after: string;
  /** `finding`: the check reports it as a finding (blocks at level error) · `info`: listed · `allowed`: an allow-list covers it. */
  readonly judged: 'finding' | 'info' | 'allowed';
}

/** Measured figures a check reports, pass or not (latencies, counts, versions). */
export type Measurements = Readonly<Record<string, number | string | boolean>>;

/**
 * A run of failed front-door probes during a rollout (rollout-availability). Times are
 * milliseconds since the watch started; the outage lasts from its first failed probe to the next
 * good one.
 */
export interface Outage {
  readonly startMs: number;
  readonly endMs: number;
  readonly durationMs: number;
  readonly failedProbes: number;
  /** What the failed probes got, counted: `503×5`, `ECONNREFUSED×1`, `timeout×2`. */
  readonly answers: readonly string[];
  /** The version the last good probe before it answered, and the first good probe after it. */
  readonly versionBefore?: string;
  readonly versionAfter?: string;
  /** Still failing at the last probe. */
  readonly ongoing: boolean;
}

/** One probe on a timeline: t ms since the start, its HTTP status (absent: no answer) and latency. */
export interface TimelineSample {
  readonly t: number;
  readonly ok: boolean;
  readonly status?: number;
  readonly ms: number;
  readonly fresh: boolean;
  readonly stalled?: boolean;
}

/** A check's time line: the outages as a short list for text reports, every sample for charts (JSON). */
export interface Timeline {
  readonly startedAt: string;
  readonly durationMs: number;
  readonly outages: readonly Outage[];
  readonly samples: readonly TimelineSample[];
}

/** Why a check (or the runner for it) could not look: a reason code (FORBIDDEN, TIMEOUT, COLLECTOR_FAILED…) and one sentence. */
export interface LookError { readonly code: string; readonly message: string }

/**
 * What a check's evaluate() returns. `fail` means it found the problem; `error` means it could
 * not look (a pod it could not ask, a log it could not read), with findings naming each place
 * and a reason code. A `fail` may carry `error` too: it found problems and could not look
 * everywhere (core/outcome.ts builds both). `skipped` is never returned by a check.
 */
export type Outcome =
  | { readonly status: 'pass'; readonly summary?: string; readonly measured?: Measurements; readonly findings?: readonly Finding[]; readonly timeline?: Timeline; readonly changes?: readonly Change[] }
  | { readonly status: 'warn'; readonly summary?: string; readonly measured?: Measurements; readonly findings: readonly Finding[]; readonly timeline?: Timeline; readonly changes?: readonly Change[] }
  | { readonly status: 'fail'; readonly summary?: string; readonly measured?: Measurements; readonly findings: readonly Finding[]; readonly timeline?: Timeline; readonly changes?: readonly Change[]; readonly error?: LookError }
  | { readonly status: 'error'; readonly error: LookError; readonly summary?: string; readonly measured?: Measurements; readonly findings: readonly Finding[]; readonly timeline?: Timeline; readonly changes?: readonly Change[] }
  | { readonly status: 'not-applicable'; readonly reason: string; readonly measured?: Measurements };

export type ResultStatus = Outcome['status'] | 'skipped';

/** Injected into every check so checks stay pure and deterministic in tests. */
export interface CheckContext<O> {
  readonly options: O;
  readonly target: Target;
  readonly scope: Scope;
  /** The clock: checks never call Date.now(). */
  readonly now: Date;
  /** Ids of the checks the policy leaves on, in every phase (a check whose demand depends on another's being on). */
  readonly checksOn?: ReadonlySet<string>;
}

export interface CheckMeta<K extends SnapshotKey> {
  /** kebab-case noun of what the check guards; also its file name and its key in config, JSON and JUnit. */
  readonly id: string;
  readonly phase: Phase;
  /** Wording when it passes ("All nodes are Ready"). */
  readonly title: string;
  /** Wording when it does not ("Some nodes are not Ready"). */
  readonly failureTitle: string;
  /** Which upgrade failure it prevents, and why it matters. */
  readonly description: string;
  /** Snapshot keys the check cannot judge without: a missing or failed one makes the result `error`. */
  readonly requires: readonly K[];
  /** Snapshot keys it reads when present (a CollectError there is passed through for the check to judge). */
  readonly optional?: readonly SnapshotKey[];
  /**
   * post checks: snapshot keys of the preflight run this check compares with (docs/plugins.md).
   * Preflight collects them whenever this check is on for verify; the check reads them from
   * `input.baseline` with `fromBaseline(input.baseline, key)`.
   */
  readonly baseline?: readonly SnapshotKey[];
  /** Level in the `recommended` preset. `strict` raises every check to `error`. */
  readonly recommended: Level;
}

/** The slice of the snapshot a check sees: its required keys as data, its optional ones possibly missing. */
export type CheckInput<K extends SnapshotKey> = { readonly [P in K]: SnapshotData[P] } & {
  readonly [P in Exclude<SnapshotKey, K>]?: SnapshotData[P] | CollectError;
};

export interface Check<K extends SnapshotKey = SnapshotKey, O = unknown> {
  readonly meta: CheckMeta<K>;
  /** zod schema of the options; its defaults are the check's defaults. */
  readonly options: ZodType<O>;
  evaluate(input: CheckInput<K>, ctx: CheckContext<O>): Outcome;
}

/** A check's result after the runner and policy: what every reporter renders. */
export interface CheckResult {
  readonly id: string;
  readonly phase: Phase;
  /** title when it passed, failureTitle otherwise. */
  readonly title: string;
  readonly description: string;
  readonly status: ResultStatus;
  readonly level: Level;
  /** True when this result alone keeps the verdict from promoting. */
  readonly blocking: boolean;
  readonly durationMs: number;
  readonly summary?: string;
  readonly findings: readonly Finding[];
  readonly measured?: Measurements;
  /** A time line the check judged (rollout-availability: the front-door probes and their outages). */
  readonly timeline?: Timeline;
  /** Why not-applicable or skipped. */
  readonly reason?: string;
  /** Why it could not look: the runner's code (COLLECTOR_FAILED, CHECK_THREW, TIMEOUT…) or the check's (FORBIDDEN…); also beside a `fail` that could not look everywhere. */
  readonly error?: LookError;
  readonly waiver?: { readonly reason: string; readonly expires: string };
  /** A pass that needed collector retries. */
  readonly flaky?: boolean;
  /** What differs from the preflight baseline, as this check judged it. */
  readonly changes?: readonly Change[];
}

export interface Verdict {
  readonly promote: boolean;
  /** 0 promote · 1 blocked · 3 harness failure or interrupted. (2 is usage/config, decided before a run.) */
  readonly exitCode: 0 | 1 | 3;
  readonly blocking: readonly string[];
  readonly warnings: readonly string[];
  readonly counts: Readonly<Record<ResultStatus, number>>;
  /** One line a human reads first. */
  readonly headline: string;
}

export const REPORT_SCHEMA_VERSION = 1;

/** The one document every reporter renders. Versioned: `schemaVersion` changes when a field changes meaning. */
export interface RunReport {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: 'mmgate'; readonly version: string };
  readonly phase: Phase;
  readonly command: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly target: Target;
  readonly scope: Scope;
  readonly results: readonly CheckResult[];
  readonly collectors: readonly CollectorRun[];
  readonly verdict: Verdict;
  /** True when the run was interrupted or hit its deadline: results are incomplete. */
  readonly partial: boolean;
  /** Things the reader should know that are not check results (expired waivers, ignored checks, reporter failures). */
  readonly notes: readonly string[];
  /** "What changed" since the preflight baseline: every check's changes, in check order (absent when none compared). */
  readonly changes?: readonly (Change & { readonly check: string })[];
  /** The way back, on a blocked watch or verify (core/rollback.ts). */
  readonly rollbackPlan?: RollbackPlan;
}

export interface CollectorRun {
  readonly key: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly attempts: number;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Turns a CheckInput's optional key into data, or undefined when missing or failed. */
export function present<T>(v: T | CollectError | undefined): T | undefined {
  return v === undefined || isCollectError(v) ? undefined : v;
}

/** Helper type for check authors. */
export type Evaluate<K extends SnapshotKey, O> = (input: CheckInput<K>, ctx: CheckContext<O>) => Outcome;

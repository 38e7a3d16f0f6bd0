/**
 * The runner: plan → collect once (concurrently, each source under a deadline) → evaluate pure
 * checks → apply policy → one RunReport. Fail closed at every step: a collector that cannot look
 * leaves a CollectError, a check that needs it is `error`, a check that throws is `error`, and a
 * check that could not look at part of its data says `error` itself (core/outcome.ts).
 */
import { setMaxListeners } from 'node:events';
import type { Collector, CollectEnv } from './collector.js';
import { CollectFailure } from './collector.js';
import type { MmgateConfig } from './config/schema.js';
import { errorMessage } from './errors.js';
import { checkPolicy, decide, isBlocking, type PolicyInput } from './policy.js';
import { Redactor } from './secrets.js';
import {
  isCollectError, PHASE_COMMAND, REPORT_SCHEMA_VERSION, SNAPSHOT_SCHEMA_VERSION,
  type Check, type CheckResult, type CollectError, type CollectorRun, type Outcome, type Phase, type RunReport,
  type Scope, type Snapshot, type SnapshotKey, type Target,
} from './types.js';
import { withStrategyHeadline } from './strategy.js';
import { HARNESS_VERSION } from './version-info.js';

export interface RunOptions {
  readonly phase: Phase;
  readonly checks: readonly Check[];
  readonly collectors: ReadonlyMap<string, Collector>;
  readonly config: MmgateConfig;
  readonly configDir: string;
  readonly scope: Scope;
  readonly target: Target;
  readonly policy: PolicyInput;
  /** Resolved options per check id (validated against each check's schema beforehand). */
  readonly checkOptions: ReadonlyMap<string, unknown>;
  readonly only?: readonly string[];
  readonly skip?: readonly string[];
  /** Judge this saved snapshot instead of collecting (mmgate evaluate). */
  readonly snapshot?: Snapshot;
  readonly baselinePath?: string;
  readonly redactor?: Redactor;
  readonly now?: () => Date;
  /** Ids of the checks on in every phase, when not all checks are given (runCheck); default: the checks given, as the policy leaves them. */
  readonly checksOn?: readonly string[];
  /** Aborted on SIGINT/SIGTERM: the run stops and reports partial. */
  readonly signal?: AbortSignal;
  readonly timeouts: { readonly collectorMs: number; readonly checkMs: number; readonly overallMs: number };
  readonly onCollectorEnd?: (run: CollectorRun) => void;
  readonly onCheckEnd?: (result: CheckResult) => void;
}

export interface RunOutput {
  readonly report: RunReport;
  readonly snapshot: Snapshot;
  /** Collected keys a planned check required (and what their collectors needed): only their setup failures exit 2. */
  readonly required: readonly string[];
}

class DeadlineError extends Error {}

/** How long a stopped collector may take to clean up; an interrupted run still exits within 2 s. */
const CLEANUP_GRACE_MS = 1000;

/**
 * Rejects after `ms`, or when `signal` aborts. The timer is deliberately not unref'd: a collector
 * stuck on something that holds no handle must still end in TIMEOUT, not in a silent exit.
 */
function deadline(ms: number, signal: AbortSignal, what: string): { promise: Promise<never>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let onAbort = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what} did not finish within ${Math.round(ms / 1000)}s`)), ms);
    onAbort = () => reject(new DeadlineError(`${what} was stopped: ${signal.reason instanceof Error ? signal.reason.message : 'run interrupted'}`));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, cancel: () => { clearTimeout(timer); signal.removeEventListener('abort', onAbort); } };
}

/** One call of a collector; one that throws before returning its promise fails like any other. */
function startAttempt(collector: Collector, env: CollectEnv): Promise<unknown> {
  try {
    return collector.collect(env);
  } catch (err) {
    return Promise.reject(err);
  }
}

const collectError = (key: string, code: string, message: string): CollectError => ({ $collectError: true, key, code, message });

export async function runGate(opts: RunOptions): Promise<RunOutput> {
  const now = opts.now ?? (() => new Date());
  const redactor = opts.redactor ?? new Redactor();
  const startedAt = now();
  const overall = new AbortController();
  const overallTimer = setTimeout(() => overall.abort(new Error(`overall deadline of ${Math.round(opts.timeouts.overallMs / 1000)}s reached`)), opts.timeouts.overallMs);
  const runSignal = opts.signal ? AbortSignal.any([overall.signal, opts.signal]) : overall.signal;
  // Every collector and check listens on the run's signal: many listeners are expected here.
  setMaxListeners(0, runSignal);
  const notes = new Set<string>();
  // A signal before anything was collected (while mmgate started): nothing is asked of any source.
  const cutBeforeCollecting = opts.signal?.aborted === true;

  // 1. Plan: the checks of this phase that are on, and the collectors they need.
  const planned: { check: Check; level: CheckResult['level']; waiver?: CheckResult['waiver'] }[] = [];
  const skipped: CheckResult[] = [];
  for (const check of opts.checks) {
    if (check.meta.phase !== opts.phase) continue;
    const pol = checkPolicy(check, opts.policy);
    pol.notes.forEach((n) => notes.add(n));
    const filteredOut = (opts.only?.length && !opts.only.includes(check.meta.id)) || opts.skip?.includes(check.meta.id);
    if (pol.level === 'off' || filteredOut) {
      skipped.push(resultOf(check, { status: 'skipped', level: pol.level, durationMs: 0, reason: filteredOut ? 'left out by --only/--skip' : 'off in the policy' }));
      continue;
    }
    planned.push({ check, level: pol.level, ...(pol.waiver ? { waiver: { reason: pol.waiver.reason, expires: pol.waiver.expires } } : {}) });
  }
  const needed = new Set<SnapshotKey>();
  for (const { check } of planned) for (const k of inputKeys(check)) needed.add(k);
  // Only a required input's failure may end the run as a setup error (exit 2): these keys and
  // what their collectors need. Optional and baseline-only keys are recorded and judged.
  const required = new Set<string>(planned.flatMap(({ check }) => check.meta.requires));
  const baselineKeys = [...new Set(planned.flatMap(({ check }) => check.meta.baseline ?? []))];
  const checksOn = new Set(opts.checksOn ?? opts.checks.filter((c) => checkPolicy(c, opts.policy).level !== 'off').map((c) => c.meta.id));

  // 2. Collect (or reuse a saved snapshot). Each key is collected once; `need` shares results.
  const data: Record<string, unknown> = {};
  const collectorRuns: CollectorRun[] = [];
  const meta: Record<string, { durationMs: number; attempts: number }> = {};
  if (opts.snapshot) {
    // null is data (a CR that does not exist); only an absent key is missing.
    for (const k of needed) data[k] = opts.snapshot.data[k] !== undefined ? opts.snapshot.data[k] : collectError(k, 'MISSING', `the snapshot has no "${k}": it was saved by a run that did not need it`);
  } else {
    // The baseline contract: preflight always collects what verify's enabled checks compare with.
    if (opts.phase === 'pre') for (const k of baselineKeysFor(opts.checks, opts.policy)) needed.add(k);
    const sharedClients = new Map<string, Promise<unknown>>();
    const inflight = new Map<string, Promise<unknown>>();
    const runCollector = (key: string): Promise<unknown> => {
      const existing = inflight.get(key);
      if (existing) return existing;
      const p = (async () => {
        const collector = opts.collectors.get(key);
        const t0 = performance.now();
        let attempts = 0;
        let value: unknown;
        if (runSignal.aborted) {
          value = collectError(key, 'INTERRUPTED', `not collected: ${reasonOf(runSignal)}`);
        } else if (!collector) {
          value = collectError(key, 'NO_COLLECTOR', `no collector provides "${key}": is the plugin that defines it listed under plugins:?`);
        } else {
          const limit = deadline(collector.budgetMs?.(opts.config) ?? opts.timeouts.collectorMs, runSignal, `${collector.source}`);
          const controller = new AbortController();
          setMaxListeners(0, controller.signal);
          limit.promise.catch((e: unknown) => controller.abort(e));
          const env: CollectEnv = {
            config: opts.config, configDir: opts.configDir, phase: opts.phase, scope: opts.scope, target: opts.target,
            signal: controller.signal, now, redactor, ...(opts.baselinePath ? { baselinePath: opts.baselinePath } : {}),
            baselineKeys,
            need: async (k) => {
              if (required.has(key)) required.add(k);
              const v = await runCollector(k);
              if (isCollectError(v)) throw new CollectFailure('DEPENDENCY_FAILED', `needs ${k}, which failed: ${v.message}`);
              return v as never;
            },
            shared: <T>(name: string, create: () => Promise<T>) => {
              if (!sharedClients.has(name)) sharedClients.set(name, create());
              return sharedClients.get(name) as Promise<T>;
            },
          };
          const maxAttempts = 1 + (collector.retries ?? 0);
          for (;;) {
            attempts++;
            const attempt = startAttempt(collector, env);
            try {
              value = await Promise.race([attempt, limit.promise]);
              break;
            } catch (err) {
              const transient = err instanceof CollectFailure && err.transient;
              if (err instanceof DeadlineError) {
                // The collector saw the abort too: give it a moment to undo what it made (smoke posts).
                let grace: NodeJS.Timeout | undefined;
                await Promise.race([attempt.catch(() => undefined), new Promise((r) => { grace = setTimeout(r, CLEANUP_GRACE_MS); })]);
                clearTimeout(grace);
                value = collectError(key, 'TIMEOUT', err.message);
                break;
              }
              if (!transient || attempts >= maxAttempts || controller.signal.aborted) {
                value = collectError(key, err instanceof CollectFailure ? err.code : 'FAILED', redactor.redact(errorMessage(err)));
                break;
              }
              await new Promise((r) => setTimeout(r, Math.min(2000, 200 * 2 ** (attempts - 1))));
            }
          }
          limit.cancel();
        }
        const durationMs = Math.round(performance.now() - t0);
        meta[key] = { durationMs, attempts };
        const run: CollectorRun = isCollectError(value)
          ? { key, ok: false, durationMs, attempts, error: { code: value.code, message: value.message } }
          : { key, ok: true, durationMs, attempts };
        collectorRuns.push(run);
        opts.onCollectorEnd?.(run);
        return value;
      })();
      inflight.set(key, p);
      return p;
    };
    await Promise.all([...needed].map(runCollector));
    // A collector asked for by another (through need) is kept too: the snapshot must be replayable.
    for (const [k, p] of inflight) data[k] = await p;
  }

  // 3. Evaluate each planned check on its slice of the snapshot. A saved snapshot is judged at
  // the time it was collected, so re-judging it later gives the same verdict (mmgate evaluate).
  const savedAt = opts.snapshot ? new Date(opts.snapshot.meta.collectedAt) : undefined;
  const checkNow = () => savedAt && !Number.isNaN(savedAt.getTime()) ? savedAt : now();
  const results: CheckResult[] = [];
  for (const { check, level, waiver } of planned) {
    const t0 = performance.now();
    const base = { level, ...(waiver ? { waiver } : {}) };
    let result: CheckResult;
    const missing = check.meta.requires.map((k) => [k, data[k]] as const).filter(([, v]) => v === undefined || isCollectError(v));
    if (missing.length > 0) {
      const why = missing.map(([k, v]) => isCollectError(v) ? `${k}: ${v.message}` : `${k}: not collected`).join('; ');
      result = resultOf(check, { ...base, status: 'error', durationMs: 0, error: { code: 'COLLECTOR_FAILED', message: `could not look, so cannot pass: ${why}` } });
    } else if (runSignal.aborted) {
      result = resultOf(check, { ...base, status: 'error', durationMs: 0, error: { code: 'INTERRUPTED', message: 'the run stopped before this check was evaluated' } });
    } else {
      const input: Record<string, unknown> = {};
      for (const k of inputKeys(check)) if (data[k] !== undefined) input[k] = data[k];
      const limit = deadline(opts.timeouts.checkMs, runSignal, `check ${check.meta.id}`);
      try {
        const outcome = await Promise.race([
          Promise.resolve().then(() => check.evaluate(input as never, { options: opts.checkOptions.get(check.meta.id) ?? check.options.parse({}), target: opts.target, scope: opts.scope, now: checkNow(), checksOn })),
          limit.promise,
        ]);
        const durationMs = Math.round(performance.now() - t0);
        // A synchronous check cannot be interrupted while it runs (a runaway regex over cluster
        // text); past its budget its answer is not trusted either.
        const problem = durationMs > opts.timeouts.checkMs ? `took ${durationMs} ms, over its budget of ${opts.timeouts.checkMs} ms (timeouts.check)` : invalidOutcome(outcome);
        result = problem
          ? resultOf(check, { ...base, status: 'error', durationMs, error: { code: durationMs > opts.timeouts.checkMs ? 'TIMEOUT' : 'BAD_OUTCOME', message: problem } })
          : resultOf(check, { ...base, ...outcomeFields(outcome), durationMs });
      } catch (err) {
        result = resultOf(check, { ...base, status: 'error', durationMs: Math.round(performance.now() - t0), error: { code: err instanceof DeadlineError ? 'TIMEOUT' : 'CHECK_THREW', message: errorMessage(err) } });
      } finally {
        limit.cancel();
      }
      // A pass that needed retries is marked flaky: it passed, but not cleanly.
      const retried = check.meta.requires.some((k) => (meta[k]?.attempts ?? 1) > 1);
      if (retried && result.status === 'pass') result = { ...result, flaky: true };
    }
    results.push(result);
    opts.onCheckEnd?.(result);
  }
  for (const s of skipped) opts.onCheckEnd?.(s);

  clearTimeout(overallTimer);
  const partial = runSignal.aborted;
  if (overall.signal.aborted) notes.add(`the overall deadline (${Math.round(opts.timeouts.overallMs / 1000)}s) was reached: raise timeouts.overall or find the slow source in "collectors"`);
  else if (cutBeforeCollecting) notes.add(`the run was cut before anything was collected (${reasonOf(runSignal)}): nothing was judged`);
  else if (opts.signal?.aborted) notes.add(`the run was interrupted (${reasonOf(runSignal)})`);
  const all = [...results, ...skipped].sort((a, b) => a.id.localeCompare(b.id));
  const finishedAt = now();
  const report: RunReport = redactor.redactDeep({
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'mmgate', version: HARNESS_VERSION },
    phase: opts.phase,
    command: PHASE_COMMAND[opts.phase],
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    target: opts.target,
    scope: opts.scope,
    results: all,
    collectors: collectorRuns.sort((a, b) => a.key.localeCompare(b.key)),
    verdict: withStrategyHeadline(decide(all, { partial }), opts.scope),
    partial,
    notes: [...notes],
    ...(all.some((r) => r.changes) ? { changes: all.flatMap((r) => (r.changes ?? []).map((c) => ({ check: r.id, ...c }))) } : {}),
  });
  const snapshot: Snapshot = opts.snapshot ?? redactor.redactDeep({
    meta: { schemaVersion: SNAPSHOT_SCHEMA_VERSION, phase: opts.phase, collectedAt: startedAt.toISOString(), harnessVersion: HARNESS_VERSION, target: opts.target, scope: opts.scope, collectors: meta },
    data: data as Snapshot['data'],
  });
  return { report, snapshot, required: [...required].sort() };
}

/** The snapshot keys a check reads: required, optional, and the preflight baseline when it compares with one. */
function inputKeys(check: Check): SnapshotKey[] {
  return [...check.meta.requires, ...(check.meta.optional ?? []), ...(check.meta.baseline?.length ? ['baseline' as const] : [])];
}

/** The union of the baseline keys of the verify checks the policy leaves on (the --only/--skip of preflight do not apply). */
export function baselineKeysFor(checks: readonly Check[], policy: PolicyInput): SnapshotKey[] {
  const keys = new Set<SnapshotKey>();
  for (const c of checks) {
    if (c.meta.phase !== 'post' || !c.meta.baseline?.length) continue;
    if (checkPolicy(c, policy).level === 'off') continue;
    for (const k of c.meta.baseline) keys.add(k);
  }
  return [...keys].sort();
}

const reasonOf = (signal: AbortSignal): string => (signal.reason instanceof Error ? signal.reason.message : 'SIGINT/SIGTERM');

/**
 * A report whose run was cut after its checks were judged (a signal while the reports were
 * written): the results stand, but the run did not end, so it is partial and exits 3.
 */
export function markInterrupted(report: RunReport, reason: unknown): RunReport {
  const why = reason instanceof Error ? reason.message : 'interrupted';
  return {
    ...report, partial: true, verdict: decide(report.results, { partial: true }),
    notes: [...report.notes, `the run was interrupted (${why}) after its checks were judged, while the reports were written`],
  };
}

type ResultFields = Omit<CheckResult, 'id' | 'phase' | 'title' | 'description' | 'blocking' | 'findings'> & { findings?: CheckResult['findings'] };

function resultOf(check: Check, f: ResultFields): CheckResult {
  const passed = f.status === 'pass' || f.status === 'not-applicable' || f.status === 'skipped';
  return {
    id: check.meta.id,
    phase: check.meta.phase,
    title: passed ? check.meta.title : check.meta.failureTitle,
    description: check.meta.description,
    ...f,
    findings: f.findings ?? [],
    blocking: isBlocking(f.status, f.level),
  };
}

function outcomeFields(o: Outcome): Pick<CheckResult, 'status'> & Partial<CheckResult> {
  if (o.status === 'not-applicable') return { status: o.status, reason: o.reason, ...(o.measured ? { measured: o.measured } : {}) };
  const error = o.status === 'error' || o.status === 'fail' ? o.error : undefined;
  return { status: o.status, findings: o.findings ?? [], ...(o.summary ? { summary: o.summary } : {}), ...(o.measured ? { measured: o.measured } : {}), ...(o.timeline ? { timeline: o.timeline } : {}), ...(o.changes ? { changes: o.changes } : {}), ...(error ? { error: { code: error.code, message: error.message } } : {}) };
}

/** A check's return value is checked too: a malformed outcome must not read as a pass. */
function invalidOutcome(o: unknown): string | undefined {
  if (!o || typeof o !== 'object') return 'the check returned no outcome';
  const s = (o as { status?: unknown }).status;
  if (s === 'not-applicable') return typeof (o as { reason?: unknown }).reason === 'string' && (o as { reason: string }).reason ? undefined : 'not-applicable needs a reason';
  if (s === 'pass') return undefined;
  if (s !== 'fail' && s !== 'warn' && s !== 'error') return `unknown status ${JSON.stringify(s)}`;
  if (!Array.isArray((o as { findings?: unknown }).findings)) return `${s} needs findings`;
  // A check's own `error` says why it could not look: without a code and a message it says nothing.
  const error = (o as { error?: { code?: unknown; message?: unknown } }).error;
  if (s !== 'error' && error === undefined) return undefined;
  return typeof error?.code === 'string' && error.code !== '' && typeof error.message === 'string' ? undefined : `${s} needs error.code and error.message`;
}

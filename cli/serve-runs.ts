/**
 * The runs `mmgate serve` keeps: one run per phase and installation at a time, shared by every
 * request that arrives while it goes. Flagger's gates (preflight, verify) are remembered by the
 * caller's checksum so that a caller who timed out gets the same run's result on its next call
 * instead of starting another (a slow verify must not flap between verdicts). Calls without a
 * checksum (Flagger's rollout samples, Argo's web metric) run anew each time, except that a run
 * whose caller was answered 503 is owed to the next call.
 */
import type { CheckResult, Phase, RunReport } from '../core/types.js';

export type Answer = 'pass' | 'fail' | 'inconclusive';

export interface Finished {
  readonly id: number;
  readonly phase: Phase;
  readonly installation: string;
  readonly code: number;
  readonly report?: RunReport;
  readonly error?: string;
  readonly finishedAt: string;
}

/**
 * Argo Rollouts' three outcomes from a gate run: promote is pass; blocked by what a check saw is
 * fail; blocked only because something could not be looked at (an error result, a metrics check
 * without data, a harness failure, a run that did not finish) is inconclusive, which pauses a
 * Rollout rather than failing or passing it. A check that saw a failure outweighs one that could
 * not look: what was seen is enough to abort.
 */
export function answerOf(f: Finished): Answer {
  if (!f.report || f.code === 2 || f.code === 3 || f.report.partial) return 'inconclusive';
  if (f.report.verdict.promote) return 'pass';
  const blocking = f.report.results.filter((r) => r.blocking);
  return blocking.length > 0 && blocking.every(couldNotLook) ? 'inconclusive' : 'fail';
}

/**
 * An error result, or a metrics check whose "no data" blocks: it reports status fail (or, where
 * no-data is turned into an error, status error) with measured.inconclusive true
 * (docs/integrations.md, "$.verdict for Argo Rollouts").
 */
function couldNotLook(r: CheckResult): boolean {
  return r.status === 'error' || r.measured?.['inconclusive'] === true;
}

/** The body every route answers with: the verdict, what blocks and how to fix it. Never a secret (the report is redacted). */
export function answerBody(f: Finished): Record<string, unknown> {
  const r = f.report;
  return {
    verdict: answerOf(f),
    promote: r?.verdict.promote ?? false,
    phase: f.phase,
    installation: f.installation,
    exitCode: f.code,
    headline: r?.verdict.headline ?? f.error ?? 'the run did not produce a report',
    blocking: (r?.results ?? []).filter((x) => x.blocking).map((x) => ({
      id: x.id, status: x.status, title: x.title,
      ...(x.error ? { error: x.error } : {}),
      findings: x.findings.map((fi) => ({ message: fi.message, ...(fi.actual !== undefined ? { actual: fi.actual } : {}), ...(fi.expected !== undefined ? { expected: fi.expected } : {}), ...(fi.remediation ? { fix: fi.remediation } : {}) })),
    })),
    partial: r?.partial ?? true,
    finishedAt: f.finishedAt,
    runId: f.id,
  };
}

/** How long a run answered 503 waits for its next caller: long enough for Flagger's (1m) and Argo's (30s) usual intervals. */
export const OWED_FOR_MS = 5 * 60_000;

export type Runner = (phase: Phase, installation: string, signal: AbortSignal) => Promise<{ code: number; report?: RunReport }>;

export class RunBoard {
  private next = 1;
  private readonly inFlight = new Map<string, { id: number; done: Promise<Finished>; abort: AbortController }>();
  private readonly byChecksum = new Map<string, Promise<Finished>>();
  private readonly latest = new Map<string, Finished>();
  private readonly owed = new Map<string, { run: Promise<Finished>; endedAt?: number }>();

  constructor(
    private readonly runner: Runner,
    private readonly onFinish: (f: Finished, ms: number) => void = () => undefined,
    private readonly owedForMs = OWED_FOR_MS,
  ) {}

  /** The run in flight for this phase and installation, or a new one. */
  start(phase: Phase, installation: string): Promise<Finished> {
    const key = `${phase} ${installation}`;
    const running = this.inFlight.get(key);
    if (running) return running.done;
    const id = this.next++;
    const abort = new AbortController();
    const started = Date.now();
    const done = this.runner(phase, installation, abort.signal)
      .then((r) => ({ id, phase, installation, code: r.code, ...(r.report ? { report: r.report } : {}), finishedAt: new Date().toISOString() }))
      .catch((err: unknown) => ({ id, phase, installation, code: 3, error: err instanceof Error ? err.message : String(err), finishedAt: new Date().toISOString() }))
      .then((f: Finished) => {
        this.inFlight.delete(key);
        this.latest.set(key, f);
        this.onFinish(f, Date.now() - started);
        return f;
      });
    this.inFlight.set(key, { id, done, abort });
    return done;
  }

  /** Flagger's checksum names one revision of the canary: the same checksum gets the same run. */
  forChecksum(checksum: string, phase: Phase, installation: string): Promise<Finished> {
    const key = `${checksum} ${phase} ${installation}`;
    let p = this.byChecksum.get(key);
    if (!p) {
      p = this.start(phase, installation);
      this.byChecksum.set(key, p);
      // A run that could not look is not remembered: the next call tries again.
      void p.then((f) => { if (answerOf(f) === 'inconclusive') this.byChecksum.delete(key); });
    }
    return p;
  }

  /**
   * A run of now — the one in flight or a new one, never a cached result (Flagger's rollout hook,
   * Argo's web metric) — unless a run's caller was answered 503: that run is owed to the next call
   * for its phase and installation (for OWED_FOR_MS after it ends), so what it saw is not replaced
   * by a newer run and a run longer than answerWithin still reaches its caller.
   */
  request(phase: Phase, installation: string): Promise<Finished> {
    const key = `${phase} ${installation}`;
    const owed = this.owed.get(key);
    this.owed.delete(key);
    const stale = owed?.endedAt !== undefined && Date.now() - owed.endedAt >= this.owedForMs;
    return owed && !stale ? owed.run : this.start(phase, installation);
  }

  /** The caller of `run` gave up waiting: the next `request` answers with it. */
  owe(phase: Phase, installation: string, run: Promise<Finished>): void {
    const entry: { run: Promise<Finished>; endedAt?: number } = { run };
    this.owed.set(`${phase} ${installation}`, entry);
    void run.then(() => { entry.endedAt = Date.now(); });
  }

  runningCount(): number {
    return this.inFlight.size;
  }

  /** Waits for the runs in flight, up to `ms`; then stops the rest. Returns how many had to be cut. */
  async drain(ms: number): Promise<number> {
    const runs = [...this.inFlight.values()];
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), ms); });
    const all = Promise.all(runs.map((r) => r.done));
    const first = await Promise.race([all, timeout]);
    clearTimeout(timer);
    if (first !== 'timeout') return 0;
    const cut = [...this.inFlight.values()];
    for (const r of cut) r.abort.abort(new Error('interrupted: mmgate serve is stopping'));
    await Promise.all(cut.map((r) => r.done));
    return cut.length;
  }
}

/** Resolves with the run if it finishes within `ms`, else undefined (it keeps going). */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

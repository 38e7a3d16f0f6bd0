/**
 * The front-door probes of a watch as a time line: every run of failed probes as an outage (its
 * start, end, duration, what the probes got, the versions before and after), and the compact text
 * the console and Markdown reports print. Pure: used by rollout-availability and the reporters.
 */
import { formatDuration } from './duration.js';
import type { FrontDoorProbe } from './rollout-types.js';
import type { Outage, Timeline, TimelineSample } from './types.js';

/** What a failed probe got, as a short key: the HTTP status, `timeout`, or the socket error code. */
function answerKey(p: FrontDoorProbe): string {
  if (p.status !== undefined) return String(p.status);
  if (p.error?.startsWith('no answer within')) return 'timeout';
  return /^[A-Z_]+/.exec(p.error ?? '')?.[0] ?? 'no answer';
}

const counted = (keys: string[]): string[] => {
  const n = new Map<string, number>();
  for (const k of keys) n.set(k, (n.get(k) ?? 0) + 1);
  return [...n].map(([k, c]) => `${k}×${c}`);
};

/**
 * Every run of failed probes. Stalled probes (mmgate itself was busy) neither start nor end a run.
 * A run lasts from its first failed probe to the next good one; one still failing at the end lasts
 * until one period after the last probe.
 */
export function outagesOf(probes: readonly FrontDoorProbe[], periodMs: number): Outage[] {
  const out: Outage[] = [];
  let run: FrontDoorProbe[] = [];
  let lastGoodVersion: string | undefined;
  const close = (endMs: number, ongoing: boolean, versionAfter?: string) => {
    const first = run[0]!;
    out.push({
      startMs: first.t, endMs, durationMs: endMs - first.t, failedProbes: run.length, answers: counted(run.map(answerKey)),
      ...(lastGoodVersion ? { versionBefore: lastGoodVersion } : {}), ...(versionAfter ? { versionAfter } : {}), ongoing,
    });
    run = [];
  };
  for (const p of probes) {
    if (p.stalled) continue;
    if (!p.ok) { run.push(p); continue; }
    if (run.length) close(p.t, false, p.version);
    if (p.version) lastGoodVersion = p.version;
  }
  if (run.length) close(Math.round(run[run.length - 1]!.t + periodMs), true);
  return out;
}

/** Probes per second the watch achieved: judged probes (not stalled) over the whole span probed. */
export function achievedRate(probes: readonly FrontDoorProbe[], periodMs: number): number {
  const judged = probes.filter((p) => !p.stalled).length;
  if (judged === 0) return 0;
  const spanMs = probes[probes.length - 1]!.t - probes[0]!.t + periodMs;
  return judged / (spanMs / 1000);
}

export function timelineOf(probes: readonly FrontDoorProbe[], periodMs: number, startedAt: string): Timeline {
  const samples: TimelineSample[] = probes.map((p) => ({
    t: p.t, ok: p.ok, ...(p.status !== undefined ? { status: p.status } : {}), ms: p.latencyMs, fresh: p.fresh, ...(p.stalled ? { stalled: true } : {}),
  }));
  const last = probes[probes.length - 1];
  return { startedAt, durationMs: last ? Math.round(last.t + periodMs) : 0, outages: outagesOf(probes, periodMs), samples };
}

/** One outage as a line: `+12.3s → +12.9s  600ms  503×6  10.11.4 → 11.7.1`. */
export function outageLine(o: Outage): string {
  const versions = o.versionBefore || o.versionAfter ? `  ${o.versionBefore ?? '?'} → ${o.versionAfter ?? (o.ongoing ? 'still down' : '?')}` : '';
  return `+${formatDuration(o.startMs)} → +${formatDuration(o.endMs)}${o.ongoing ? ' (still failing at the end)' : ''}  ${formatDuration(o.durationMs)}  ${o.answers.join(' ')}${versions}`;
}

/**
 * A strip of at most `width` characters over the whole watch, one per slice of time: `.` every
 * probe answered, `x` some failed, `X` all failed, ` ` no probe judged.
 */
export function timelineStrip(t: Timeline, width = 60): string {
  const judged = t.samples.filter((s) => !s.stalled);
  if (judged.length === 0 || t.durationMs <= 0) return '';
  const cells = Math.max(1, Math.min(width, judged.length));
  const slice = t.durationMs / cells;
  const ok = new Array<number>(cells).fill(0);
  const bad = new Array<number>(cells).fill(0);
  for (const s of judged) {
    const i = Math.min(cells - 1, Math.floor(s.t / slice));
    if (s.ok) ok[i]!++; else bad[i]!++;
  }
  return ok.map((g, i) => (bad[i]! === 0 ? (g ? '.' : ' ') : g ? 'x' : 'X')).join('');
}

/** The compact text time line of console and Markdown reports. */
export function timelineLines(t: Timeline): string[] {
  const failed = t.samples.filter((s) => !s.ok && !s.stalled).length;
  const head = `timeline ${formatDuration(t.durationMs)}: [${timelineStrip(t)}]  ${t.samples.length} probes, ${failed} failed, ${t.outages.length} outage${t.outages.length === 1 ? '' : 's'}`;
  return [head, ...t.outages.slice(0, 10).map((o) => `  ${outageLine(o)}`), ...(t.outages.length > 10 ? [`  … ${t.outages.length - 10} more in the JSON report`] : [])];
}

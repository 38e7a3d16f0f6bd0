/**
 * What the HTML report shows beyond the check results, read from the run's (already redacted)
 * snapshot: every pod with its version, health and what the journeys saw through it; the watch's
 * samples for the timeline chart; the browser journeys' screenshots. Pure: no file is read here.
 */
import type { Snapshot } from '../core/types.js';

export interface PodRow {
  readonly pod: string;
  readonly ready: boolean;
  readonly version?: string;
  readonly status?: string;
  readonly database?: string;
  readonly filestore?: string;
  readonly latencyMs?: number;
  readonly error?: string;
  /** The smoke post read back through this pod / the smoke file downloaded through it. */
  readonly postRead?: boolean;
  readonly fileDownload?: boolean;
}

/** One rollout read: ready pods and the versions they run, at elapsedMs. */
export interface TimelinePoint {
  readonly elapsedMs: number;
  readonly readyPods: number;
  readonly pods: number;
  readonly versions: Readonly<Record<string, number>>;
}

/** One front-door probe at t ms (stalled: mmgate's own process stalled, it says nothing). */
export interface ProbePoint { readonly t: number; readonly ok: boolean; readonly stalled: boolean }

export interface Screenshot { readonly journey: string; readonly name: string; readonly path: string }

export interface HtmlDetails {
  readonly pods: readonly PodRow[];
  readonly timeline: readonly TimelinePoint[];
  readonly probes: readonly ProbePoint[];
  readonly screenshots: readonly Screenshot[];
}

type Data = Snapshot['data'];
/** A snapshot value that is data (not a CollectError), as an untyped record for tolerant reading. */
const value = (data: Data, key: string): Record<string, unknown> | undefined => {
  const v = (data as Record<string, unknown>)[key];
  return v && typeof v === 'object' && !('$collectError' in v) ? v as Record<string, unknown> : undefined;
};
const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((x) => x && typeof x === 'object') as Record<string, unknown>[] : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function readsByPod(reads: unknown): Map<string, boolean> {
  return new Map(list(reads).filter((r) => str(r['via']) && r['via'] !== 'front-door').map((r) => [String(r['via']), r['ok'] === true]));
}

function podRows(data: Data): PodRow[] {
  const pings = list(value(data, 'serverPings')?.['pods']);
  const journey = value(data, 'smokeJourney');
  const posts = readsByPod(journey?.['postReads']);
  const files = readsByPod(journey?.['fileDownloads']);
  return pings.map((p) => {
    const pod = String(p['pod']);
    const version = p['version'] as { currentVersion?: unknown } | undefined;
    const row: Record<string, unknown> = {
      pod, ready: p['podReady'] === true,
      version: str(version?.currentVersion) ?? str(p['versionId']),
      status: str(p['status']), database: str(p['databaseStatus']), filestore: str(p['filestoreStatus']),
      latencyMs: num(p['latencyMs']), error: str((p['error'] as Record<string, unknown> | undefined)?.['message']),
      postRead: posts.get(pod), fileDownload: files.get(pod),
    };
    return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as unknown as PodRow;
  });
}

function probes(data: Data): ProbePoint[] {
  return list(value(data, 'rolloutWatch')?.['probes']).map((p) => ({ t: num(p['t']) ?? 0, ok: p['ok'] === true, stalled: p['stalled'] === true }));
}

function timeline(data: Data): TimelinePoint[] {
  return list(value(data, 'rolloutWatch')?.['samples']).map((s) => ({
    elapsedMs: num(s['elapsedMs']) ?? 0,
    readyPods: num(s['readyPods']) ?? 0,
    pods: num(s['pods']) ?? 0,
    versions: (s['versions'] && typeof s['versions'] === 'object' ? s['versions'] : {}) as Record<string, number>,
  }));
}

function screenshots(data: Data): Screenshot[] {
  return list(value(data, 'browserJourney')?.['journeys']).flatMap((r) => list(r['attachments'])
    .filter((a) => a['contentType'] === 'image/png' && str(a['path']))
    .map((a) => ({ journey: String(r['title'] ?? 'journey'), name: String(a['name'] ?? 'screenshot'), path: String(a['path']) })));
}

export function htmlDetails(snapshot: Snapshot | undefined): HtmlDetails {
  if (!snapshot) return { pods: [], timeline: [], probes: [], screenshots: [] };
  return { pods: podRows(snapshot.data), timeline: timeline(snapshot.data), probes: probes(snapshot.data), screenshots: screenshots(snapshot.data) };
}

/**
 * The front-door probe loop of `mmgate watch`: GET /api/v4/system/ping at a steady rate,
 * alternating a kept-alive connection (a dead backend behind a kept connection shows) and a
 * fresh one (a new connection refused or answered 503 by the load balancer shows). Each probe
 * times out before the next is due, and the next waits for it: a slow probe delays the
 * schedule, it never stacks probes.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { FrontDoorProbe } from '../../core/rollout-types.js';
import { parseVersionId } from '../../core/version.js';

export interface ProbeLoopOptions {
  /** Front door base URL (no trailing slash). */
  readonly url: string;
  readonly periodMs: number;
  readonly timeoutMs: number;
  readonly userAgent: string;
  /** performance.now() at which the watch started: probe times are relative to it. */
  readonly origin: number;
  readonly signal: AbortSignal;
  /** Called with every probe as it completes (the collector keeps them). */
  readonly onProbe: (p: FrontDoorProbe) => void;
}

/** The probe timeout for a period: below the period, with room for the loop's own work. */
export const probeTimeoutFor = (periodMs: number): number => Math.max(1, Math.floor(periodMs * 0.8));

/**
 * A timer that fires this much after it was due means mmgate's own event loop was busy: an answer
 * may have arrived and waited. Such a probe says nothing about the front door.
 */
const stallMs = (timeoutMs: number): number => Math.max(20, timeoutMs / 4);

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  if (ms <= 0 || signal.aborted) { resolve(); return; }
  const t = setTimeout(done, ms);
  function done() { clearTimeout(t); signal.removeEventListener('abort', done); resolve(); }
  signal.addEventListener('abort', done, { once: true });
});

/** Runs until the signal aborts; resolves once the probe in flight has finished. */
export async function runProbeLoop(o: ProbeLoopOptions): Promise<void> {
  const https = o.url.startsWith('https:');
  // One kept-alive socket, reused by every other probe; the fresh probes use no agent at all.
  const kept = https ? new HttpsAgent({ keepAlive: true, maxSockets: 1 }) : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  // How long mmgate's event loop was blocked while a probe was in flight (GC, other work, or a
  // lab served from the same process): a probe that timed out during such a block is not judged.
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  let next = performance.now();
  try {
    for (let i = 0; !o.signal.aborted; i++) {
      o.onProbe(await probeOnce(o, i % 2 === 1, kept, lag));
      next += o.periodMs;
      const now = performance.now();
      if (next < now) next = now;
      await sleep(next - now, o.signal);
    }
  } finally {
    lag.disable();
    kept.destroy();
  }
}

function probeOnce(o: ProbeLoopOptions, fresh: boolean, kept: HttpAgent | HttpsAgent, lag: IntervalHistogram): Promise<FrontDoorProbe> {
  lag.reset();
  const t0 = performance.now();
  const t = Math.round(t0 - o.origin);
  const send = o.url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (p: Omit<FrontDoorProbe, 't' | 'fresh' | 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ t, fresh, latencyMs: Math.round(performance.now() - t0), ...p });
    };
    const req = send(`${o.url}/api/v4/system/ping`, {
      method: 'GET',
      agent: fresh ? false : kept,
      headers: { 'User-Agent': o.userAgent, Accept: 'application/json', ...(fresh ? { Connection: 'close' } : {}) },
    }, (res) => { void readAnswer(res).then(finish, (err: unknown) => finish({ ok: false, ...(res.statusCode ? { status: res.statusCode } : {}), error: describe(err) })); });
    const timer = setTimeout(() => {
      const late = Math.max(performance.now() - t0 - o.timeoutMs, lag.max / 1e6);
      if (late <= stallMs(o.timeoutMs)) {
        finish({ ok: false, error: `no answer within ${o.timeoutMs} ms` });
        req.destroy();
        return;
      }
      // The loop was blocked during the probe: let an answer that already arrived be read first
      // (I/O runs before setImmediate); if none did, the process was busy, not the front door slow.
      setImmediate(() => {
        finish({ ok: false, stalled: true, error: `mmgate stalled: its event loop was blocked ${Math.round(late)} ms while the probe waited` });
        req.destroy();
      });
    }, o.timeoutMs);
    req.on('error', (err) => finish({ ok: false, error: describe(err) }));
    req.end();
  });
}

async function readAnswer(res: IncomingMessage): Promise<Omit<FrontDoorProbe, 't' | 'fresh' | 'latencyMs'>> {
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  const status = res.statusCode ?? 0;
  let bodyStatus: string | undefined;
  try { bodyStatus = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status?: string }).status; } catch { /* not JSON: judged by the HTTP status */ }
  const versionId = res.headers['x-version-id'];
  const version = parseVersionId(Array.isArray(versionId) ? versionId[0] : versionId)?.version;
  const ok = status === 200 && bodyStatus === 'OK';
  return { ok, status, ...(version ? { version } : {}), ...(ok ? {} : { error: `HTTP ${status}${bodyStatus ? ` status ${bodyStatus}` : ''}` }) };
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e?.code ? `${e.code}${e.message && !e.message.includes(e.code) ? `: ${e.message}` : ''}` : String(e?.message ?? err);
}

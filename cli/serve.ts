/**
 * `mmgate serve`: gate runs on request, in the contracts the tools that promote releases already
 * speak (docs/integrations.md): Flagger webhooks (any status above 202 halts the canary) and an
 * Argo Rollouts web metric (`$.verdict` is pass | fail | inconclusive). One run per phase and
 * installation at a time, shared by concurrent callers; a token on everything but /healthz (the
 * Authorization header, or a Flagger payload's metadata.token); one JSON log line per request;
 * SIGTERM drains the runs in flight.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { join, resolve } from 'node:path';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { parseDuration } from '../core/duration.js';
import { UsageError } from '../core/errors.js';
import type { Phase } from '../core/types.js';
import { prepareRun, runPhaseInProcess, type GateFlags } from './gate.js';
import { answerBody, answerOf, RunBoard, within, type Finished } from './serve-runs.js';

export interface ServeFlags { config?: string[]; listen?: string }

/** Flagger hook type → what mmgate runs (post-rollout is recorded only). */
const FLAGGER_HOOKS: Readonly<Record<string, Phase | 'record'>> = {
  'confirm-rollout': 'pre', 'pre-rollout': 'pre', rollout: 'during', 'confirm-promotion': 'post', 'post-rollout': 'record',
};
const PHASE_NAMES: Readonly<Record<string, Phase>> = { pre: 'pre', preflight: 'pre', during: 'during', watch: 'during', post: 'post', verify: 'post' };

interface Installation { readonly key: string; readonly name: string; readonly namespace: string; readonly flags: GateFlags; readonly reportDir: string }
interface Settings { listen: string; token: string; answerWithinMs: number; sampleWindow: string; drainMs: number }

class HttpError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

async function loadInstallations(configs: readonly string[]): Promise<{ installations: Installation[]; settings: Settings }> {
  const installations: Installation[] = [];
  let settings: Settings | undefined;
  for (const config of configs) {
    const p = await prepareRun({ config });
    const serve = p.config.serve;
    if (!serve) throw new UsageError(`${p.loaded.path ?? config}: no serve section`, 'add serve: { token: "${env:MMGATE_SERVE_TOKEN}" } (callers send it as a bearer token)');
    settings ??= { listen: serve.listen, token: serve.token, answerWithinMs: parseDuration(serve.answerWithin), sampleWindow: serve.sampleWindow, drainMs: parseDuration(serve.drainTimeout) };
    // Runs answer in JSON, not on the server's stdout: every format but the console.
    const formats = p.config.reports.formats.filter((f) => f !== 'console');
    installations.push({ key: `${p.scope.namespace}/${p.scope.installation}`, name: p.scope.installation, namespace: p.scope.namespace, flags: { config, format: formats.length ? formats : ['json'] }, reportDir: resolve(p.config.reports.dir) });
  }
  if (!settings) throw new UsageError('no config', 'pass -c mmgate.yaml');
  return { installations, settings };
}

/**
 * A watch sample judges availability over the whole serve.sampleWindow, not completion (the canary
 * may be mid-rollout, or done and still analysed by Flagger); verify compares with the preflight
 * this server ran, when there is one.
 */
function flagsFor(inst: Installation, phase: Phase, settings: Settings): GateFlags {
  if (phase === 'during') return { ...inst.flags, watchTimeout: settings.sampleWindow, watchSample: true, only: ['rollout-availability'] };
  const baseline = join(inst.reportDir, 'preflight.snapshot.json');
  if (phase === 'post' && existsSync(baseline)) return { ...inst.flags, baseline };
  return inst.flags;
}

function metrics() {
  const registry = new Registry();
  return {
    registry,
    runs: new Counter({ name: 'mmgate_serve_runs_total', help: 'Gate runs finished, by phase and verdict.', labelNames: ['phase', 'verdict'], registers: [registry] }),
    durations: new Histogram({ name: 'mmgate_serve_run_duration_seconds', help: 'Wall time of gate runs.', labelNames: ['phase'], buckets: [1, 5, 15, 30, 60, 120, 300, 900], registers: [registry] }),
    requests: new Counter({ name: 'mmgate_serve_requests_total', help: 'HTTP requests, by route and status.', labelNames: ['route', 'code'], registers: [registry] }),
    inFlight: new Gauge({ name: 'mmgate_serve_runs_in_flight', help: 'Gate runs going on now.', registers: [registry] }),
  };
}

/** Constant time: equal-length digests compared with timingSafeEqual, whatever was given. */
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
const sameToken = (given: string, token: string): boolean => timingSafeEqual(digest(given), digest(token));
const bearer = (req: http.IncomingMessage): string => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';

/**
 * Flagger's webhooks send no Authorization header, only the payload, whose metadata map holds
 * whatever strings the Canary sets (docs/integrations.md): there the token is metadata.token.
 * It is read for the comparison only, never logged or answered.
 */
function metadataToken(body: Record<string, unknown> | undefined): string {
  const meta = body?.['metadata'];
  const token = meta && typeof meta === 'object' ? (meta as Record<string, unknown>)['token'] : undefined;
  return typeof token === 'string' ? token : '';
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 64 * 1024) throw new HttpError(413, 'request body over 64 KiB');
    chunks.push(c as Buffer);
  }
  try {
    const v = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch { /* answered below */ }
  throw new HttpError(400, 'the body must be a JSON object');
}

export async function serveCommand(flags: ServeFlags): Promise<number> {
  const { installations, settings } = await loadInstallations(flags.config?.length ? flags.config : ['mmgate.yaml']);
  const listen = flags.listen ?? settings.listen;
  const m = metrics();
  const board = new RunBoard(
    (phase, key, signal) => runPhaseInProcess(phase, flagsFor(installations.find((i) => i.key === key)!, phase, settings), signal),
    (f, ms) => { m.runs.inc({ phase: f.phase, verdict: answerOf(f) }); m.durations.observe({ phase: f.phase }, ms / 1000); },
  );
  const pick = (namespace: unknown, name: unknown): Installation => {
    const ns = typeof namespace === 'string' ? namespace : undefined;
    const nm = typeof name === 'string' ? name : undefined;
    const found = installations.find((i) => (!nm || i.name === nm || i.key === nm) && (!ns || i.namespace === ns)) ?? (installations.length === 1 && !ns && !nm ? installations[0] : undefined);
    if (!found) throw new HttpError(404, `no installation ${[ns, nm].filter(Boolean).join('/')} here: this server gates ${installations.map((i) => i.key).join(', ')}`);
    return found;
  };

  /** Answers with the run if it ends within answerWithin, else 503 + Retry-After: it goes on. */
  const answer = async (run: Promise<Finished>, onDone: (f: Finished) => [number, Record<string, unknown>], onLate?: () => void): Promise<[number, Record<string, unknown>, Record<string, string>?]> => {
    const f = await within(run, settings.answerWithinMs);
    if (!f) {
      onLate?.();
      return [503, { status: 'running', message: 'the run is still going; call again for its result' }, { 'Retry-After': String(Math.ceil(settings.answerWithinMs / 1000)) }];
    }
    return onDone(f);
  };

  /** A run of now (no checksum to remember it by); one answered 503 goes to the next caller. */
  const answerNow = (phase: Phase, key: string, onDone: (f: Finished) => [number, Record<string, unknown>]) => {
    const run = board.request(phase, key);
    return answer(run, onDone, () => board.owe(phase, key, run));
  };

  async function route(req: http.IncomingMessage, url: URL): Promise<[number, Record<string, unknown> | string, Record<string, string>?]> {
    if (req.method === 'GET' && url.pathname === '/healthz') return [200, { status: 'ok', runsInFlight: board.runningCount() }];
    const hook = req.method === 'POST' ? /^\/flagger\/([a-z-]+)$/.exec(url.pathname)?.[1] : undefined;
    const byHeader = sameToken(bearer(req), settings.token);
    // Without the header, a Flagger call may carry the token in its payload; a body that is not JSON has none.
    const flaggerBody = hook ? await readJson(req).catch((err: unknown) => { if (byHeader) throw err; return undefined; }) : undefined;
    if (!byHeader && !(hook && sameToken(metadataToken(flaggerBody), settings.token))) {
      return [401, { error: hook ? 'missing or wrong token: send Authorization: Bearer <serve.token>, or metadata.token in the Flagger webhook' : 'missing or wrong bearer token' }, { 'WWW-Authenticate': 'Bearer' }];
    }
    if (req.method === 'GET' && url.pathname === '/metrics') return [200, await m.registry.metrics()];
    if (hook && flaggerBody) {
      const kind = FLAGGER_HOOKS[hook];
      if (!kind) throw new HttpError(404, `unknown Flagger hook ${hook}: use ${Object.keys(FLAGGER_HOOKS).join(', ')}`);
      const body = flaggerBody;
      for (const k of ['name', 'namespace', 'phase']) if (typeof body[k] !== 'string') throw new HttpError(400, `the Flagger payload needs "${k}" (a string)`);
      if (kind === 'record') return [200, { recorded: true, hook, canary: `${String(body['namespace'])}/${String(body['name'])}`, phase: body['phase'] }];
      // Flagger names its canary; with one installation that is the one gated.
      const inst = installations.length === 1 ? installations[0]! : pick(body['namespace'], body['name']);
      // Flagger halts on any status above 202: 409 carries the blocking checks and their fixes.
      const onDone = (f: Finished): [number, Record<string, unknown>] => [answerOf(f) === 'pass' ? 200 : 409, { hook, ...answerBody(f) }];
      // rollout is called on every analysis iteration with the revision's same checksum: each call
      // needs a sample of now, or an outage late in the canary would never be seen.
      if (kind === 'during') return answerNow(kind, inst.key, onDone);
      const checksum = typeof body['checksum'] === 'string' && body['checksum'] ? body['checksum'] : undefined;
      return answer(checksum ? board.forChecksum(checksum, kind, inst.key) : board.start(kind, inst.key), onDone);
    }
    if (req.method === 'GET' && url.pathname === '/v1/verdict') {
      const phase = PHASE_NAMES[url.searchParams.get('phase') ?? ''];
      if (!phase) throw new HttpError(400, 'phase must be one of preflight, watch, verify (or pre, during, post)');
      const installation = url.searchParams.get('installation') ?? undefined;
      const [ns, name] = installation?.includes('/') ? installation.split('/', 2) : [undefined, installation];
      const inst = pick(ns, name);
      return answerNow(phase, inst.key, (f) => [200, answerBody(f)]);
    }
    throw new HttpError(404, 'routes: GET /healthz, GET /metrics, POST /flagger/<hook>, GET /v1/verdict?phase=…&installation=…');
  }

  const server = http.createServer((req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://mmgate');
    m.inFlight.set(board.runningCount());
    route(req, url)
      .catch((err: unknown): [number, Record<string, unknown>] => (err instanceof HttpError ? [err.status, { error: err.message }] : [500, { error: 'internal error' }]))
      .then(([status, body, headers]) => {
        const text = typeof body === 'string' ? body : `${JSON.stringify(body)}\n`;
        res.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain; version=0.0.4' : 'application/json', ...headers });
        res.end(text);
        m.requests.inc({ route: url.pathname.startsWith('/flagger/') ? '/flagger' : url.pathname, code: String(status) });
        const b = typeof body === 'string' ? {} : body;
        process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), msg: 'request', method: req.method, path: url.pathname, status, durationMs: Date.now() - started, ...(b['verdict'] ? { verdict: b['verdict'], phase: b['phase'], installation: b['installation'], runId: b['runId'] } : {}) })}\n`);
      });
  });
  const [host, port] = [listen.slice(0, listen.lastIndexOf(':')).replace(/^\[|\]$/g, '') || '0.0.0.0', Number(listen.slice(listen.lastIndexOf(':') + 1))];
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, host, resolve); }).catch((err: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot listen on ${listen}: ${err.code ?? err.message}`, 'give --listen (or serve.listen) a free host:port');
  });
  const address = server.address() as { address: string; port: number };
  process.stdout.write(`mmgate serve listening on http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port} · gating ${installations.map((i) => i.key).join(', ')}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => { process.once('SIGTERM', () => resolve('SIGTERM')); process.once('SIGINT', () => resolve('SIGINT')); });
  server.close();
  server.closeIdleConnections();
  const cut = await board.drain(settings.drainMs);
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), msg: 'stopped', signal, runsCut: cut })}\n`);
  return cut > 0 ? 3 : 0;
}

/**
 * The installation's front door: an HTTP server on 127.0.0.1 that spreads requests round-robin
 * across the ready pods, like the Mattermost Service behind an Ingress. Everything — API, root
 * webhooks, web pages — goes to a pod's port 8065, so version headers, logs and metrics land on
 * the pod that served the request. With no ready pod it answers 503 as ingress-nginx does, and
 * also during an outage a test asks for (a load balancer's readiness or draining gap).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultInjector } from '../kube/faults.js';
import { GARBAGE } from '../kube/server.js';
import type { FaultRule } from '../kube/types.js';
import type { AddressInfo } from 'node:net';
import type { MattermostWorld } from './world.js';
import { API_PORT } from './world.js';

export interface FrontDoorRequestLog {
  method: string;
  path: string;
  /** The pod that served it; '' when none was ready. */
  pod: string;
  status: number;
  /** performance.now() when it arrived and when it was answered (the benchmark orders requests by them). */
  startedAt: number;
  endedAt: number;
}

export interface FrontDoor {
  url: string;
  port: number;
  /** Every request, in order, with the pod that served it. */
  requests: FrontDoorRequestLog[];
  /** Answer every request 503, as the load balancer does in a readiness or draining gap, for the next ms. */
  outage(ms: number): void;
  /** Hold every request this long before serving it (latency for benchmarks); 0 turns it off. */
  setDelay(ms: number): void;
  /** Injected faults (the same rules as the Kubernetes API's): matched on method and path. */
  setFaults(faults: FaultRule[]): void;
  close(): Promise<void>;
}

const NO_ENDPOINT = `<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(k === 'cookie' ? '; ' : ', ') : v;
  }
  return out;
}

/**
 * Answers a request with its fault instead of a pod, as a broken ingress would; false when the
 * fault only delays (the pod then answers). Truncated and malformed bodies claim JSON.
 */
async function injectFault(f: FaultRule, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs).unref());
  if (f.reset) { req.socket.destroy(); return true; }
  if (f.garbage) { res.writeHead(200, { 'Content-Type': 'text/html' }).end(GARBAGE); return true; }
  if (f.malformed) { res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"id":"abc","create_at":'); return true; }
  if (f.status) {
    res.writeHead(f.status, { 'Content-Type': 'application/json', ...(f.retryAfter !== undefined ? { 'Retry-After': String(f.retryAfter) } : {}) })
      .end(JSON.stringify({ id: 'api.context.injected_fault', message: 'injected fault', status_code: f.status }));
    return true;
  }
  return false;
}

/** The pods a request may reach (an Ingress's Service), or undefined for every ready pod. */
export type FrontDoorRoute = (headers: Record<string, string>) => string[] | undefined;

export async function startFrontDoor(world: MattermostWorld, route?: FrontDoorRoute): Promise<FrontDoor> {
  const requests: FrontDoorRequestLog[] = [];
  const faults = new FaultInjector();
  let next = 0;
  let outageUntil = 0;
  let delayMs = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const startedAt = performance.now();
      const log = (pod: string, status: number) => requests.push({ method, path, pod, status, startedAt, endedAt: performance.now() });
      try {
        const body = await readBody(req);
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        const fault = faults.take(method, path, new URL(path, 'http://lab.invalid').searchParams);
        if (fault && await injectFault(fault, req, res)) {
          log('', res.statusCode);
          return;
        }
        const headers = flatHeaders(req);
        const allowed = route?.(headers);
        const ready = world.podNames().filter((n) => world.isReady(n) && (!allowed || allowed.includes(n)));
        if (ready.length === 0 || performance.now() < outageUntil) {
          log('', 503);
          res.writeHead(503, { 'Content-Type': 'text/html' }).end(NO_ENDPOINT);
          return;
        }
        const pod = ready[next++ % ready.length] ?? '';
        const out = await world.handlePod(pod, API_PORT, { method, path, headers, body });
        log(pod, out.status);
        res.writeHead(out.status, { ...out.headers, 'Content-Length': String(out.body.length) }).end(out.body);
      } catch (e) {
        log('', 502);
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' });
        res.end(`front door: ${String(e)}`);
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    outage: (ms) => { outageUntil = performance.now() + ms; },
    setDelay: (ms) => { delayMs = ms; },
    setFaults: (f) => faults.set(f),
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets (fetch keeps them) would hold close() open otherwise.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/**
 * The installation's front door: an HTTP server on 127.0.0.1 that spreads requests round-robin
 * across the ready pods, like the Mattermost Service behind an Ingress. Everything — API, root
 * webhooks, web pages — goes to a pod's port 8065, so version headers, logs and metrics land on
 * the pod that served the request. With no ready pod it answers 503 as ingress-nginx does.
 */
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MattermostWorld } from './world.js';
import { API_PORT } from './world.js';

export interface FrontDoorRequestLog {
  method: string;
  path: string;
  /** The pod that served it; '' when none was ready. */
  pod: string;
  status: number;
}

export interface FrontDoor {
  url: string;
  port: number;
  /** Every request, in order, with the pod that served it. */
  requests: FrontDoorRequestLog[];
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

/** The pods a request may reach (an Ingress's Service), or undefined for every ready pod. */
export type FrontDoorRoute = (headers: Record<string, string>) => string[] | undefined;

export async function startFrontDoor(world: MattermostWorld, route?: FrontDoorRoute): Promise<FrontDoor> {
  const requests: FrontDoorRequestLog[] = [];
  let next = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      try {
        const body = await readBody(req);
        const headers = flatHeaders(req);
        const allowed = route?.(headers);
        const ready = world.podNames().filter((n) => world.isReady(n) && (!allowed || allowed.includes(n)));
        if (ready.length === 0) {
          requests.push({ method, path, pod: '', status: 503 });
          res.writeHead(503, { 'Content-Type': 'text/html' }).end(NO_ENDPOINT);
          return;
        }
        const pod = ready[next++ % ready.length] ?? '';
        const out = await world.handlePod(pod, API_PORT, { method, path, headers, body });
        requests.push({ method, path, pod, status: out.status });
        res.writeHead(out.status, { ...out.headers, 'Content-Length': String(out.body.length) }).end(out.body);
      } catch (e) {
        requests.push({ method, path, pod: '', status: 502 });
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive sockets (fetch keeps them) would hold close() open otherwise.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/**
 * The lab's simulated Kubernetes API server on 127.0.0.1: http or https, optional bearer-token
 * authentication, a request log and fault injection around the routes in routes.ts. Proven
 * against the real kubectl and @kubernetes/client-node by kubectl-fidelity.test.ts and
 * client-node.test.ts.
 */
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { FaultInjector } from './faults.js';
import type { Reply } from './reply.js';
import { statusReply, truncated } from './reply.js';
import type { RouteContext, ServerVersion } from './routes.js';
import { route } from './routes.js';
import { continueExpired, status, statusForCode, unauthorized } from './status.js';
import type { ObjectStore } from './store.js';
import { labTlsIdentity } from './testcert.js';
import type { FaultRule, PodLogQuery, PodProxyRequest, PodProxyResponse, RequestLogEntry } from './types.js';

export type { FaultRule, KubeObject, PodLogQuery, PodProxyRequest, PodProxyResponse, RequestLogEntry, WatchEvent } from './types.js';
export type { ServerVersion } from './routes.js';

export interface KubeApiOptions {
  store: ObjectStore;
  /** Serve https with lab/kube/testcert (kubectl only sends tokens over TLS). */
  tls?: boolean;
  /** When set, every request needs `Authorization: Bearer <token>`; others get a 401 Status. */
  token?: string;
  /** Serve aggregated discovery (apidiscovery.k8s.io) to clients that ask for it. Default true. */
  aggregatedDiscovery?: boolean;
  /** Default 1.32 (v1.32.4). The minor decides which aggregated discovery versions are served. */
  serverVersion?: ServerVersion;
  /** Default true. False leaves metrics.k8s.io out of discovery and answers its paths 404. */
  metricsServer?: boolean;
  /** Clock for Age cells and log `sinceSeconds`; tests pin it so goldens stay stable. */
  now?: () => Date;
  /** Answers the pod proxy subresource for Running pods with an IP. Without it the proxy is "connection refused". */
  podProxy?: (req: PodProxyRequest) => Promise<PodProxyResponse>;
  /**
   * The log text of a container, or undefined for an empty log. The server then applies
   * sinceSeconds/sinceTime to lines with a leading RFC 3339 timestamp, tailLines and limitBytes,
   * which is harmless when podLogs already honoured the query.
   */
  podLogs?: (q: PodLogQuery) => string | undefined;
  faults?: FaultRule[];
}

export interface KubeApi {
  /** `http(s)://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  /** The CA to trust, when tls is on. */
  caPem?: string;
  /** Every request answered, in order of completion. */
  requests: RequestLogEntry[];
  setFaults(faults: FaultRule[]): void;
  close(): Promise<void>;
}

/** What a login proxy or a captive portal in front of the API answers: 200, and HTML. */
export const GARBAGE = '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in</body></html>';

const DEFAULT_VERSION: ServerVersion = { major: '1', minor: '32', gitVersion: 'v1.32.4' };

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  // The real API server marks every answer private and uncacheable.
  res.writeHead(reply.status, { 'Cache-Control': 'no-cache, private', ...reply.headers, 'Content-Type': reply.contentType });
  res.end(reply.body);
}

export async function startKubeApi(opts: KubeApiOptions): Promise<KubeApi> {
  const requests: RequestLogEntry[] = [];
  const faults = new FaultInjector(opts.faults ?? []);
  const stopWatches = new Set<() => void>();
  const pendingDelays = new Set<() => void>();
  const identity = opts.tls ? labTlsIdentity() : undefined;
  const ctx: RouteContext = {
    store: opts.store,
    version: opts.serverVersion ?? DEFAULT_VERSION,
    aggregatedDiscovery: opts.aggregatedDiscovery ?? true,
    metricsServer: opts.metricsServer ?? true,
    now: opts.now ?? (() => new Date()),
    ...(opts.podLogs ? { podLogs: opts.podLogs } : {}),
    ...(opts.podProxy ? { podProxy: opts.podProxy } : {}),
    serverAddress: '',
  };

  /** A fault's delay, cut short when the server closes so close() never waits on it. */
  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        pendingDelays.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pendingDelays.add(done);
    });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://lab.invalid');
    const method = req.method ?? 'GET';
    const authenticated = opts.token === undefined || req.headers.authorization === `Bearer ${opts.token}`;
    const log = (statusCode: number): void => {
      requests.push({
        method, path: url.pathname, query: url.search.slice(1),
        ...(req.headers.accept !== undefined ? { accept: req.headers.accept } : {}),
        ...(req.headers['user-agent'] !== undefined ? { userAgent: req.headers['user-agent'] } : {}),
        authenticated, status: statusCode, durationMs: Math.round((performance.now() - started) * 10) / 10, startedAt: started,
      });
    };
    const body = await readBody(req);
    const fault = faults.take(method, url.pathname + url.search, url.searchParams);
    if (fault?.delayMs) await delay(fault.delayMs);
    if (fault?.reset) {
      req.socket.destroy();
      log(0);
      return;
    }
    let answer: Reply | ((r: ServerResponse) => () => void);
    if (fault?.goneOnContinue) answer = statusReply(continueExpired());
    else if (fault?.garbage) answer = { status: 200, contentType: 'text/html', body: GARBAGE };
    else if (fault?.status) {
      const r = statusReply(statusForCode(fault.status));
      answer = fault.retryAfter !== undefined ? { ...r, headers: { ...r.headers, 'Retry-After': String(fault.retryAfter) } } : r;
    }
    else if (!authenticated) answer = statusReply(unauthorized());
    else answer = await route(ctx, { req, url, body });

    if (typeof answer === 'function') {
      if (fault?.malformed) {
        answer = { status: 200, contentType: 'application/json', body: '{"type":"ADDED","object":{"kind":' };
      } else {
        const stop = answer(res);
        stopWatches.add(stop);
        res.on('close', () => {
          stopWatches.delete(stop);
          log(res.statusCode);
        });
        return;
      }
    }
    const reply = fault?.malformed ? truncated(answer) : answer;
    send(res, reply);
    log(reply.status);
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      const message = `an error on the server ("${err instanceof Error ? err.message : String(err)}") has prevented the request from succeeding`;
      send(res, statusReply(status(500, 'InternalError', message)));
    });
  };
  const server: Server = identity
    ? createHttpsServer({ cert: identity.certPem, key: identity.keyPem }, listener)
    : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  ctx.serverAddress = `127.0.0.1:${port}`;

  return {
    url: `${identity ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    ...(identity ? { caPem: identity.certPem } : {}),
    requests,
    setFaults: (f) => faults.set(f),
    close: async () => {
      for (const stop of [...stopWatches]) stop();
      for (const finish of [...pendingDelays]) finish();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

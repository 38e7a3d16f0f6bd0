/**
 * A read-only Kubernetes client: @kubernetes/client-node loads the kubeconfig (files, contexts,
 * in-cluster service account, exec and token auth) and applies its credentials; the requests are
 * plain HTTPS GETs that keep the raw JSON, so snapshots hold exactly what the API server said
 * (typed models would turn timestamps into Dates and rename `continue`).
 *
 * Imported lazily: @kubernetes/client-node takes ~0.8 s to load, and `--help`, `checks` and
 * `evaluate` never need it.
 */
import http from 'node:http';
import https from 'node:https';
import type { CollectEnv } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { parseDuration } from '../../core/duration.js';
import { errorMessage } from '../../core/errors.js';
import { learnSecretsIn, type Redactor } from '../../core/secrets.js';

export interface KubeClient {
  /** The API server URL, for messages. */
  readonly server: string;
  readonly context: string;
  /** LIST with paging (limit/continue); restarts once on 410 Gone (an expired continue token). */
  list<T>(path: string, query?: Record<string, string | undefined>): Promise<T[]>;
  /**
   * LIST folded page by page: each item goes to `step` as its page arrives and the page is then
   * dropped, so a list of 60,000 pods never sits in memory. A 410 on a continued page starts over
   * once from `init()`. Secrets are learnt from what is kept (the result), not from the pages.
   */
  reduceList<T, A>(path: string, query: Record<string, string | undefined>, init: () => A, step: (acc: A, item: T) => void): Promise<A>;
  /** GET one object; `undefined` on 404. */
  get<T>(path: string): Promise<T | undefined>;
  /** GET a text body (pod logs). */
  text(path: string, query?: Record<string, string | number | boolean | undefined>): Promise<string>;
  /** A request through the pod proxy subresource: `/api/v1/namespaces/{ns}/pods/{pod}:{port}/proxy{path}`. */
  podProxy(namespace: string, pod: string, port: number, path: string, init?: { method?: string; headers?: Record<string, string>; body?: Buffer }): Promise<RawResponse>;
}

export interface RawResponse { status: number; headers: http.IncomingHttpHeaders; body: Buffer }

const PAGE = 500;

export interface KubeTarget { kubeconfig?: string | undefined; context?: string | undefined; timeoutMs: number }

/** The run's shared client for the configured context. */
export function kubeClient(env: CollectEnv): Promise<KubeClient> {
  const k = env.config.kube;
  return kubeClientFor(env, { kubeconfig: k.kubeconfig, context: k.context, timeoutMs: parseDuration(k.requestTimeout) });
}

/** A shared client for any context (sites in other clusters use this). */
export async function kubeClientFor(env: CollectEnv, target: KubeTarget): Promise<KubeClient> {
  // The connection (kubeconfig, credentials) is shared by the run; each collector's requests
  // follow its own signal, so one collector's deadline never aborts another's requests.
  const connection = await env.shared(`kube:${target.kubeconfig ?? ''}:${target.context ?? ''}`, () => connectKube(target, env.configDir, env.redactor));
  return connection(env.signal);
}

/**
 * A client outside a gate run (`mmgate init`): same credentials and errors, its own connection.
 * Returns the kubeconfig's context names too, so the caller can look at other clusters (sites).
 */
export async function standaloneKubeClient(target: KubeTarget, baseDir: string, signal: AbortSignal): Promise<KubeClient> {
  return (await connectKube(target, baseDir))(signal);
}

/** The context names of a kubeconfig (the default one when none is given), current first. */
export async function kubeContexts(kubeconfig: string | undefined, baseDir: string): Promise<string[]> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (kubeconfig) kc.loadFromFile((await import('node:path')).resolve(baseDir, kubeconfig));
    else kc.loadFromDefault();
  } catch (err) {
    throw new CollectFailure('CONFIG', `cannot load the kubeconfig${kubeconfig ? ` ${kubeconfig}` : ''}: ${errorMessage(err)}; fix --kubeconfig or $KUBECONFIG`);
  }
  const current = kc.getCurrentContext();
  return [current, ...kc.getContexts().map((c) => c.name).filter((n) => n !== current)].filter(Boolean);
}

/**
 * Loads the kubeconfig once; the result makes clients whose requests follow a given signal.
 * With a redactor, every object read teaches it the secrets it carries (secret-named env values,
 * passwords in URLs), so the raw objects can be kept in the snapshot and still never show them.
 */
async function connectKube(target: KubeTarget, baseDir: string, redactor?: Redactor): Promise<(signal: AbortSignal) => KubeClient> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (target.kubeconfig) {
      const { resolve } = await import('node:path');
      kc.loadFromFile(resolve(baseDir, target.kubeconfig));
    } else {
      kc.loadFromDefault();
    }
    if (target.context) {
      if (!kc.getContextObject(target.context)) {
        throw new CollectFailure('CONFIG', `kubeconfig has no context "${target.context}" (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'}); fix --context or kube.context`);
      }
      kc.setCurrentContext(target.context);
    }
  } catch (err) {
    if (err instanceof CollectFailure) throw err;
    throw new CollectFailure('CONFIG', `cannot load the kubeconfig${target.kubeconfig ? ` ${target.kubeconfig}` : ''}: ${errorMessage(err)}; fix --kubeconfig or $KUBECONFIG`);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new CollectFailure('CONFIG', `kubeconfig context "${kc.getCurrentContext()}" has no cluster; fix --context or the kubeconfig`);
  const server = cluster.server.replace(/\/+$/, '');
  const context = kc.getCurrentContext();

  // client-node makes a new Agent (a new TLS connection) for every request; one keep-alive agent
  // with the same TLS options serves the whole run, so 120 pages of a big list are one handshake.
  let keepAlive: https.Agent | undefined;
  const shareAgent = (opts: https.RequestOptions): void => {
    const agent = opts.agent;
    if (!(agent instanceof https.Agent) || agent.constructor !== https.Agent) return; // a proxy agent: leave it
    keepAlive ??= new https.Agent({ ...agent.options, keepAlive: true });
    opts.agent = keepAlive;
  };

  return (signal: AbortSignal): KubeClient => {
    const request = async (path: string, init: { method?: string; accept?: string; headers?: Record<string, string>; body?: Buffer } = {}): Promise<RawResponse> => {
      const url = new URL(server + path);
      const opts: https.RequestOptions = { method: init.method ?? 'GET', headers: { Accept: init.accept ?? 'application/json', 'User-Agent': 'mmgate', ...init.headers }, timeout: target.timeoutMs, signal };
      try {
        // Sets the agent (with CA, client cert, or skipTLSVerify) and the Authorization header.
        // client-node refuses plain http unless insecure-skip-tls-verify is set: kept, on purpose.
        await kc.applyToHTTPSOptions(opts);
        if (url.protocol === 'https:') shareAgent(opts);
      } catch (err) {
        throw new CollectFailure('CONFIG', `cannot use the credentials of context "${context}": ${errorMessage(err)}`);
      }
      return new Promise<RawResponse>((resolveP, reject) => {
        const lib = url.protocol === 'http:' ? http : https;
        const req = lib.request(url, opts, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolveP({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', (e) => reject(networkFailure(server, e)));
        });
        req.on('timeout', () => req.destroy(new CollectFailure('TIMEOUT', `the Kubernetes API at ${server} did not answer ${path} within ${Math.round(target.timeoutMs / 1000)}s`, true)));
        req.on('error', (e) => reject(e instanceof CollectFailure ? e : networkFailure(server, e)));
        if (init.body) req.write(init.body);
        req.end();
      });
    };

    const parse = <T>(res: RawResponse, path: string): T => {
      try {
        return JSON.parse(res.body.toString('utf8')) as T;
      } catch {
        throw new CollectFailure('BAD_RESPONSE', `the Kubernetes API answered ${path} with a body that is not JSON (${res.body.length} bytes): a proxy in the way, or a broken API server`, true);
      }
    };
    const json = <T>(res: RawResponse, path: string): T => {
      const body = parse<T>(res, path);
      if (redactor) learnSecretsIn(body, redactor);
      return body;
    };

    return {
      server,
      context,
      async list<T>(path: string, query: Record<string, string | undefined> = {}) {
        const items = await this.reduceList<T, T[]>(path, query, () => [], (acc, item) => { acc.push(item); });
        return items;
      },
      async reduceList<T, A>(path: string, query: Record<string, string | undefined>, init: () => A, step: (acc: A, item: T) => void) {
        let acc = init();
        let cont: string | undefined;
        let restarted = false;
        for (;;) {
          const q = new URLSearchParams();
          for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v);
          q.set('limit', String(PAGE));
          if (cont) q.set('continue', cont);
          const res = await request(`${path}?${q}`);
          if (res.status === 410 && cont && !restarted) {
            // The continue token expired (the list changed too much between pages): start over once.
            restarted = true; cont = undefined; acc = init();
            continue;
          }
          if (res.status !== 200) throw statusFailure(server, path, res, 'list');
          const body = parse<{ items?: T[]; metadata?: { continue?: string } }>(res, path);
          if (!Array.isArray(body.items)) throw new CollectFailure('BAD_RESPONSE', `the Kubernetes API answered ${path} without an items list`);
          for (const item of body.items) step(acc, item);
          cont = body.metadata?.continue || undefined;
          if (!cont) {
            if (redactor) learnSecretsIn(acc, redactor);
            return acc;
          }
        }
      },
      async get<T>(path: string) {
        const res = await request(path);
        if (res.status === 404) return undefined;
        if (res.status !== 200) throw statusFailure(server, path, res, 'get');
        return json<T>(res, path);
      },
      async text(path, query = {}) {
        const q = new URLSearchParams();
        for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, String(v));
        const full = `${path}${[...q].length ? `?${q}` : ''}`;
        const res = await request(full, { accept: 'text/plain, */*' });
        if (res.status !== 200) throw statusFailure(server, path, res, 'get');
        return res.body.toString('utf8');
      },
      podProxy(namespace, pod, port, path, init = {}) {
        return request(`/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}:${port}/proxy${path}`, { accept: '*/*', ...init });
      },
    };
  };
}

function networkFailure(server: string, e: Error): CollectFailure {
  const code = (e as NodeJS.ErrnoException).code;
  if (e.name === 'AbortError') return new CollectFailure('TIMEOUT', `request to the Kubernetes API at ${server} was stopped (deadline or interrupt)`);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH') {
    return new CollectFailure('KUBE_UNREACHABLE', `cannot reach the Kubernetes API at ${server} (${code}): check --context/--kubeconfig and that the cluster is up`);
  }
  if (code?.startsWith('ERR_TLS') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return new CollectFailure('KUBE_UNREACHABLE', `TLS to the Kubernetes API at ${server} failed (${code}): the kubeconfig's certificate-authority does not match the server`);
  }
  // Resets and other socket errors are worth one more try.
  return new CollectFailure('UNREACHABLE', `request to the Kubernetes API at ${server} failed: ${code ?? e.message}`, true);
}

/** Turns a non-2xx answer into a failure that names the resource and, for 401/403, the RBAC to grant. */
export function statusFailure(server: string, path: string, res: RawResponse, verb: string): CollectFailure {
  let message: string;
  try { message = (JSON.parse(res.body.toString('utf8')) as { message?: string }).message ?? ''; } catch { message = res.body.toString('utf8').slice(0, 200); }
  const what = `${verb} ${path.split('?')[0]}`;
  if (res.status === 401) return new CollectFailure('KUBE_UNAUTHORIZED', `the Kubernetes API at ${server} refused the credentials (401) for ${what}: refresh the token or fix the kubeconfig user`);
  if (res.status === 403) return new CollectFailure('FORBIDDEN', `forbidden (403) to ${what}: grant "${verb}" on it to mmgate's identity (docs/rbac.yaml)${message ? ` — ${message}` : ''}`);
  if (res.status === 404) return new CollectFailure('NOT_FOUND', `${what}: not found (404)${message ? ` — ${message}` : ''}`);
  const transient = res.status === 429 || res.status >= 500;
  return new CollectFailure(transient ? 'SERVER_ERROR' : 'BAD_RESPONSE', `the Kubernetes API answered ${what} with ${res.status}${message ? `: ${message}` : ''}`, transient);
}

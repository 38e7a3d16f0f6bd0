/**
 * The two doors to Mattermost (README, Quick start against your cluster) and the helpers every Mattermost collector shares:
 *
 * - the **front door**: `mattermost.url`, else the custom resource's `status.endpoint` (an
 *   endpoint without a scheme is https; `not available` means there is none) — cluster-wide
 *   questions and the smoke journey go here, with a token in the Authorization header;
 * - **each pod's own server** through the API server's pod proxy, which strips Authorization
 *   after authenticating mmgate: only unauthenticated requests, or the session token as the
 *   `MMAUTHTOKEN` cookie.
 */
import type { CollectEnv } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { parseDuration } from '../../core/duration.js';
import { errorMessage } from '../../core/errors.js';
import type { CallError } from '../../core/mattermost-types.js';
import { HARNESS_VERSION } from '../../core/version-info.js';
import type { RawResponse } from '../kube/client.js';

export const USER_AGENT = `mmgate/${HARNESS_VERSION}`;

/** Milliseconds one Mattermost request may take (mattermost.requestTimeout, default 15s). */
export function requestTimeoutMs(env: CollectEnv): number {
  return parseDuration(env.config.mattermost?.requestTimeout ?? '15s');
}

/** Turns a `status.endpoint` or configured URL into a base URL without a trailing slash; undefined when there is none. */
export function normaliseEndpoint(endpoint: string | undefined): string | undefined {
  const e = endpoint?.trim();
  if (!e || e.toLowerCase() === 'not available') return undefined;
  return (/^https?:\/\//i.test(e) ? e : `https://${e}`).replace(/\/+$/, '');
}

/** The front door's base URL, resolved once per run. */
export function frontDoorUrl(env: CollectEnv): Promise<string> {
  return env.shared('mattermost:frontDoor', async () => {
    // A blue/green idle colour is reached through its own host, never the production front door.
    if (env.scope.url) return env.scope.url;
    const configured = normaliseEndpoint(env.config.mattermost?.url);
    if (configured) return configured;
    let endpoint: string | undefined;
    try {
      endpoint = (await env.need('installation'))?.status?.endpoint;
    } catch (err) {
      throw new CollectFailure('NOT_CONFIGURED', `no Mattermost front door: set mattermost.url (the Mattermost resource, whose status.endpoint would give it, could not be read: ${errorMessage(err)})`);
    }
    const url = normaliseEndpoint(endpoint);
    if (!url) {
      throw new CollectFailure('NOT_CONFIGURED', `no Mattermost front door: set mattermost.url (the Mattermost resource ${env.scope.installation} has ${endpoint ? `status.endpoint "${endpoint}"` : 'no status.endpoint'})`);
    }
    return url;
  });
}

/** Headers every journey request through the front door carries: the canary cookie when the run judges a canary. */
export const frontDoorHeaders = (env: CollectEnv): Record<string, string> => (env.scope.cookie ? { Cookie: env.scope.cookie } : {});

/** A signal that fires on the run's abort or after the request timeout. */
export function requestSignal(env: CollectEnv, ms = requestTimeoutMs(env)): AbortSignal {
  return AbortSignal.any([env.signal, AbortSignal.timeout(ms)]);
}

/** A failed fetch (no HTTP answer) as a CallError. */
export function fetchError(err: unknown, where: string): CallError {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError') return { code: 'TIMEOUT', message: `${where} did not answer in time` };
  if (e?.name === 'AbortError') return { code: 'ABORTED', message: `the request to ${where} was stopped (deadline or interrupt)` };
  const code = e?.cause?.code;
  if (code?.startsWith('ERR_TLS') || code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE') {
    return { code: 'UNREACHABLE', message: `TLS to ${where} failed (${code}): trust its CA (NODE_EXTRA_CA_CERTS) or fix mattermost.url` };
  }
  return { code: 'UNREACHABLE', message: `cannot reach ${where}: ${code ?? e?.cause?.message ?? errorMessage(err)}` };
}

/** A Mattermost AppError body's fields, when the body is one. */
export function appError(body: string): { id?: string; message?: string } {
  try {
    const b = JSON.parse(body) as { id?: unknown; message?: unknown };
    return { ...(typeof b.id === 'string' ? { id: b.id } : {}), ...(typeof b.message === 'string' ? { message: b.message } : {}) };
  } catch {
    return {};
  }
}

/** A non-2xx Mattermost answer as a CallError. */
export function httpError(status: number, body: string, where: string): CallError {
  const a = appError(body);
  return { code: `HTTP_${status}`, status, ...(a.id ? { id: a.id } : {}), message: a.message ?? `${where} answered ${status}${body.trim() ? `: ${excerpt(body, 160)}` : ''}` };
}

export const excerpt = (s: string, n = 300): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n)}…` : one;
};

/**
 * A pod proxy answer that came from the API server itself (a metav1.Status: RBAC refused, pod not
 * running, dial failed) rather than from Mattermost — Mattermost never sends `kind: Status`.
 */
export function proxyFailure(res: RawResponse, pod: string): CallError | undefined {
  const type = String(res.headers['content-type'] ?? '');
  if (!type.includes('json')) return undefined;
  let body: { kind?: unknown; apiVersion?: unknown; message?: unknown; reason?: unknown };
  try { body = JSON.parse(res.body.toString('utf8')) as typeof body; } catch { return undefined; }
  if (body.kind !== 'Status' || body.apiVersion !== 'v1') return undefined;
  const message = typeof body.message === 'string' ? body.message : `the API server answered ${res.status}`;
  if (res.status === 403) return { code: 'FORBIDDEN', status: 403, message: `the API server refused the pod proxy to ${pod} (403): grant "get" on pods/proxy — ${message}` };
  if (res.status === 401) return { code: 'UNAUTHORIZED', status: 401, message: `the API server refused mmgate's credentials (401) for the pod proxy to ${pod}` };
  if (res.status === 404) return { code: 'NOT_FOUND', status: 404, message: `pod ${pod} was not found through the pod proxy: ${message}` };
  return { code: 'PROXY_ERROR', status: res.status, message: `the API server could not reach pod ${pod} (${res.status}): ${message}` };
}

/** A CollectFailure thrown by the Kubernetes client (network, timeout) as a CallError. */
export function kubeCallError(err: unknown): CallError {
  if (err instanceof CollectFailure) return { code: err.code, message: err.message };
  return fetchError(err, 'the Kubernetes API');
}

/** The MMAUTHTOKEN cookie for requests through the pod proxy (which strips Authorization). */
export const sessionCookie = (token: string): Record<string, string> => ({ Cookie: `MMAUTHTOKEN=${token}` });

/** The header's value, whatever its case on the wire. */
export function header(headers: Headers | Record<string, string | string[] | undefined>, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * GET a cluster-wide admin endpoint at the front door with the admin token. No token configured is
 * NOT_CONFIGURED; 401/403 name the token's problem; 5xx and 429 are transient; a status listed in
 * `factStatuses` is returned (without data) for the caller to record as a fact.
 */
export async function adminGet<T>(env: CollectEnv, path: string, opts: { factStatuses?: readonly number[] } = {}): Promise<{ data: T | undefined; status: number; url: string; headers: Headers }> {
  const token = env.config.mattermost?.admin?.token;
  if (!token) {
    throw new CollectFailure('NOT_CONFIGURED', `no admin token to ask ${path}: set mattermost.admin.token (a system admin's personal access token, as \${env:NAME} or \${file:PATH})`);
  }
  env.redactor.add(token);
  const base = await frontDoorUrl(env);
  const where = `${base}${path.split('?')[0]}`;
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      headers: { Authorization: `Bearer ${token}`, 'X-Requested-With': 'XMLHttpRequest', Accept: 'application/json', 'User-Agent': USER_AGENT, ...frontDoorHeaders(env) },
      signal: requestSignal(env),
    });
  } catch (err) {
    const e = fetchError(err, where);
    throw new CollectFailure(e.code, e.message, e.code !== 'ABORTED');
  }
  const body = await res.text();
  // Some answers are facts about the server, not failures to look (plugins disabled: 501).
  if (opts.factStatuses?.includes(res.status)) return { data: undefined, status: res.status, url: base, headers: res.headers };
  if (res.status === 401) throw new CollectFailure('UNAUTHORIZED', `${where} refused the admin token (401): mattermost.admin.token is wrong, revoked, or personal access tokens are disabled`);
  if (res.status === 403) throw new CollectFailure('FORBIDDEN', `${where} answered 403: mattermost.admin.token must belong to a system admin${appError(body).message ? ` — ${appError(body).message}` : ''}`);
  if (res.status === 404) throw new CollectFailure('NOT_FOUND', `${where} answered 404: is ${base} the Mattermost front door?`);
  if (res.status < 200 || res.status > 299) {
    const transient = res.status === 429 || res.status >= 500;
    throw new CollectFailure(transient ? 'SERVER_ERROR' : 'BAD_RESPONSE', `${where} answered ${res.status}${appError(body).message ? `: ${appError(body).message}` : ''}`, transient);
  }
  try {
    return { data: JSON.parse(body) as T, status: res.status, url: base, headers: res.headers };
  } catch {
    throw new CollectFailure('BAD_RESPONSE', `${where} answered with a body that is not JSON (${excerpt(body, 80)}): a proxy or login page in the way?`, true);
  }
}

/**
 * A simulated Mattermost installation: one shared database (the Store) and one simulated server
 * per Mattermost pod. Requests reach a pod through `handlePod` — from the Kubernetes simulator's
 * pod proxy, or from the front door that spreads them like a Service. The dispatcher here plays
 * `web.Handler.ServeHTTP`: request id, version header, token lookup (cookie first), the cookie
 * CSRF rule, session requirement, AppError bodies, metrics and logs.
 */
import { AppError, cookies, header, json, sessionExpired, text } from './http.js';
import type { SimRequest, SimResponse } from './http.js';
import { newId } from './model.js';
import type { SessionRec, UserRec } from './model.js';
import { PodServer } from './pod.js';
import type { ResolvedLicense, Route, RouteContext, WorldView } from './router.js';
import { matchRoute } from './router.js';
import { fileRoutes } from './routes/files.js';
import { hookRoutes } from './routes/hooks.js';
import { pluginClusterRoutes } from './routes/plugins-cluster.js';
import { postRoutes } from './routes/posts.js';
import { systemRoutes } from './routes/system.js';
import { teamChannelRoutes } from './routes/teams-channels.js';
import { userRoutes } from './routes/users.js';
import { parseMattermostSpec } from './spec.js';
import type { BehaviourSpec, MattermostSpec, PodServerSpec } from './spec.js';
import { Store } from './store.js';
import { webRoutes } from './web.js';

export type PodRequest = SimRequest;
export type PodResponse = SimResponse;

/** The Service port of the API and the metrics listener (operator: `app` 8065, `metrics` 8067). */
export const API_PORT = 8065;
export const METRICS_PORT = 8067;

const ROUTES: readonly Route[] = [...systemRoutes, ...userRoutes, ...teamChannelRoutes, ...postRoutes, ...fileRoutes, ...hookRoutes, ...pluginClusterRoutes, ...webRoutes];

/** What a proxy reports when nothing listens on the pod's port. */
function refused(pod: string, port: number): PodResponse {
  return text(502, `error trying to reach service: dial tcp ${pod}:${port}: connect: connection refused`);
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** '365d', '7d', '-1d' → milliseconds. */
const relativeMs = (s: string): number => {
  const m = /^(-?\d+)([smhd])$/.exec(s);
  return m ? Number(m[1]) * (UNIT_MS[m[2]!] ?? 0) : 0;
};

export class MattermostWorld implements WorldView {
  readonly store: Store;
  readonly siteName: string;
  readonly behaviour: Readonly<Required<BehaviourSpec>>;
  readonly license: ResolvedLicense;
  private readonly spec: MattermostSpec;
  private readonly pods_ = new Map<string, PodServer>();
  private readonly now: () => Date;
  private podCount = 0;

  constructor(spec: MattermostSpec, opts: { now?: () => Date } = {}) {
    this.spec = parseMattermostSpec(spec);
    this.now = opts.now ?? (() => new Date());
    this.store = new Store(this.spec, this.now().getTime());
    this.siteName = this.spec.siteName ?? 'Mattermost';
    const b = this.spec.behaviour ?? {};
    this.behaviour = {
      loginRefused: b.loginRefused ?? false,
      corruptDownloads: b.corruptDownloads ?? false,
      enableIncomingWebhooks: b.enableIncomingWebhooks ?? true,
      uploadsDisabled: b.uploadsDisabled ?? false,
      webapp: { login: 'password', landing: 'channel', locale: 'en', postMessageTestId: true, uploadPreview: true, ...b.webapp },
    };
    const l = this.spec.license ?? {};
    const start = this.now().getTime();
    this.license = {
      sku: l.sku ?? 'enterprise', users: l.users ?? 1000, cluster: l.cluster ?? true, metrics: l.metrics ?? true,
      issuedAt: start - 30 * 86_400_000, expiresAt: start + relativeMs(l.expiresIn ?? '365d'),
    };
    for (const [name, s] of Object.entries(this.spec.pods)) this.addPod(name, s);
  }

  // ---- pods

  addPod(name: string, s: PodServerSpec): void {
    if (this.pods_.has(name)) throw new Error(`pod ${name} already exists`);
    this.pods_.set(name, new PodServer(name, this.podCount++, s, this.spec.defaults ?? {}, this.now()));
  }

  /** Idempotent: the Kubernetes side may delete a pod that is already gone. */
  removePod(name: string): void {
    this.pods_.delete(name);
  }

  /** Patches a pod; a new version or build number restarts its server (new start time, logs, metrics). */
  setPod(name: string, patch: Partial<PodServerSpec>): void {
    const pod = this.pods_.get(name);
    if (!pod) throw new Error(`unknown pod ${name}`);
    pod.update({ ...pod.spec, ...patch, health: { ...pod.spec.health, ...patch.health } }, this.now());
  }

  podNames(): string[] {
    return [...this.pods_.keys()];
  }

  /** Whether the pod counts as a ready endpoint (the front door skips the others). */
  isReady(name: string): boolean {
    return this.pods_.get(name)?.conf.ready === true;
  }

  pods(): readonly PodServer[] {
    return [...this.pods_.values()];
  }

  podLogs(pod: string, q?: { tailLines?: number; sinceSeconds?: number; timestamps?: boolean }): string | undefined {
    return this.pods_.get(pod)?.logs.render(this.now(), q);
  }

  smokeLeftovers(): { posts: number; files: number } {
    return this.store.leftovers();
  }

  counts(): { users: number; teams: number; channels: number; posts: number } {
    return this.store.counts();
  }

  // ---- requests

  async handlePod(pod: string, port: number, req: PodRequest): Promise<PodResponse> {
    const server = this.pods_.get(pod);
    if (!server) return refused(pod, port);
    if (port === METRICS_PORT && server.conf.metrics !== 'off') return this.serveMetrics(server, req);
    if (port !== API_PORT) return refused(pod, port);
    return this.serveApp(server, req);
  }

  private serveMetrics(pod: PodServer, req: PodRequest): PodResponse {
    const path = new URL(req.path, 'http://pod').pathname;
    // Without the enterprise metrics implementation the router has no /metrics route.
    if (req.method.toUpperCase() !== 'GET' || path !== '/metrics' || pod.conf.metrics === 'not-found') return text(404, '404 page not found\n');
    const body = pod.metrics.render({ licensed: pod.conf.licensed, startedAt: pod.startedAt, now: this.now() });
    return text(200, body, 'text/plain; version=0.0.4; charset=utf-8');
  }

  private async serveApp(pod: PodServer, req: PodRequest): Promise<PodResponse> {
    const now = this.now();
    const url = new URL(req.path, 'http://mattermost.local');
    const method = req.method.toUpperCase();
    const m = matchRoute(ROUTES, method, url.pathname);
    if (!('route' in m)) {
      // Router-level answers never reach ServeHTTP: no request id, no version header.
      if (m.methodMismatch) return { status: 405, headers: {}, body: Buffer.alloc(0) };
      if (url.pathname.startsWith('/api/'))
        return json(404, { id: 'api.context.404.app_error', message: 'Sorry, we could not find the page.', detailed_error: '', status_code: 404 });
      return text(404, '<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>', 'text/html; charset=utf-8');
    }
    const { route, params } = m;
    const requestId = newId();
    const base: Record<string, string> = { 'X-Request-Id': requestId, 'X-Version-Id': pod.versionId() };
    if (route.kind !== 'web') {
      // All API bodies are JSON by default; GETs must not be cached by intermediaries.
      base['Content-Type'] = 'application/json';
      if (method === 'GET') base.Expires = '0';
    }
    let session: SessionRec | undefined;
    let user: UserRec | undefined;
    const logFields = (): Array<[string, unknown]> => [
      ['path', url.pathname],
      ['request_id', requestId],
      ['ip_addr', header(req, 'x-forwarded-for')?.split(',')[0]?.trim() ?? '10.244.0.1'],
      ['user_id', session?.userId ?? ''],
      ['method', method],
    ];
    const log = (level: string, msg: string, caller: string, fields: ReadonlyArray<readonly [string, unknown]> = []): void =>
      pod.logs.add(this.now(), level, msg, caller, [...logFields(), ...fields]);

    let res: PodResponse;
    let failed = false;
    // The time this request takes on this server (handler time, injected latency): the
    // histogram records the modelled time, not the test machine's — a loaded CI runner must not
    // look like a slower Mattermost — and a slowed pod really answers later.
    const { seconds: simulated, injected: extra } = route.kind === 'web' ? { seconds: 0, injected: 0 } : pod.serviceTime(route.handler);
    if (extra > 0) await new Promise((r) => setTimeout(r, extra * 1000));
    try {
      if (route.kind !== 'web' && pod.injectError(route.handler)) {
        throw new AppError('api.context.injected.app_error', 'An injected fault of the lab answered 500.', 500, 'ServeHTTP', `lab fault on ${route.handler}`);
      }
      ({ session, user } = this.authenticate(req, route, method, pod, log));
      const ctx: RouteContext = { world: this, store: this.store, pod, req, url, params, requestId, session, user, now, log };
      res = await route.run(ctx);
    } catch (e) {
      failed = true;
      const err = e instanceof AppError ? e : new AppError('api.context.unknown_error', 'An unknown error has occurred.', 500, 'ServeHTTP', String(e));
      // `LogErrorByCode`: client errors at debug, 501 at info, everything else at error.
      const level = err.status >= 400 && err.status < 500 ? 'debug' : err.status === 501 ? 'info' : 'error';
      log(level, err.message, 'web/context.go:124', [
        ['err_where', err.where],
        ['http_code', err.status],
        ['error', `${err.where}: ${err.message}${err.detailed ? `, ${err.detailed}` : ''}`],
      ]);
      res = json(err.status, { id: err.id, message: err.message, detailed_error: '', request_id: requestId, status_code: err.status }, err.headers);
    }
    const metrics = pod.metrics;
    metrics.httpRequests += 1;
    if (failed) metrics.httpErrors += 1;
    if (route.kind !== 'web') metrics.observeApi(route.handler, method, res.status, simulated);
    log('debug', 'Received HTTP request', 'web/handlers.go:206', [['status_code', res.status]]);
    return { status: res.status, headers: { ...base, ...res.headers }, body: res.body };
  }

  /**
   * `ParseAuthTokenFromRequest` and the checks after it: the `MMAUTHTOKEN` cookie wins over the
   * Authorization header (`Bearer <t>`, any case, or `Token <t>`); an invalid token fails only
   * routes that need a session; cookie sessions must pass the CSRF rule on non-GET requests.
   */
  private authenticate(
    req: PodRequest,
    route: Route,
    method: string,
    pod: PodServer,
    log: (level: string, msg: string, caller: string) => void,
  ): { session: SessionRec | undefined; user: UserRec | undefined } {
    const clearCookie = { 'Set-Cookie': 'MMAUTHTOKEN=; Path=/; Max-Age=0; HttpOnly' };
    const cookie = cookies(req).get('MMAUTHTOKEN');
    const auth = header(req, 'authorization') ?? '';
    let token = '';
    const fromCookie = cookie !== undefined && cookie !== '';
    if (fromCookie) token = cookie;
    else if (auth.length > 6 && auth.slice(0, 6).toUpperCase() === 'BEARER') token = auth.slice(7);
    else if (auth.length > 5 && auth.slice(0, 5).toLowerCase() === 'token') token = auth.slice(6);

    let session = token ? this.store.sessionByToken(token, this.now().getTime()) : undefined;
    const user = session ? this.store.users.get(session.userId) : undefined;
    if (session && !user) session = undefined;
    if (token && !session && route.session) {
      const e = sessionExpired(`token=${token}`);
      throw new AppError(e.id, e.message, 401, e.where, e.detailed, clearCookie);
    }
    if (session && fromCookie && method !== 'GET' && !route.trustRequester) {
      // Go's Header.Get answers "" for a missing header, which a token session's empty CSRF matches.
      const csrfOk = (header(req, 'x-csrf-token') ?? '') === session.csrf;
      if (!csrfOk) {
        if (header(req, 'x-requested-with') !== 'XMLHttpRequest') {
          const e = sessionExpired(`token=${token} Appears to be a CSRF attempt`);
          // v11 also clears the cookie when the check fails.
          throw new AppError(e.id, e.message, 401, e.where, e.detailed, pod.majorVersion() >= 11 ? clearCookie : {});
        }
        log('debug', 'CSRF Check failed for request - Please migrate your plugin to either send a CSRF Header or Form Field, XMLHttpRequest is deprecated', 'web/handlers.go:532');
      }
    }
    if (route.session && !session) throw sessionExpired();
    return { session, user: session ? user : undefined };
  }
}

/**
 * `verify --traffic`: light read-only traffic through the smoke user's own session at the front
 * door while the metrics window runs, so that quiet hours still give the metrics checks requests
 * to judge. Self-cleaning: it only reads, and logs its session out at the end.
 */
import type { CollectEnv } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { errorMessage } from '../../core/errors.js';
import { frontDoorUrl, requestSignal, USER_AGENT } from '../mattermost/http.js';

const PATHS = ['/api/v4/users/me', '/api/v4/users/me/teams', '/api/v4/system/ping'] as const;

export interface TrafficSent { readonly requests: number; readonly failed: number; readonly rate: number }

/** Runs `during` while sending `metrics.trafficRate` requests a second; answers what was sent. */
export async function withTraffic<T>(env: CollectEnv, during: () => Promise<T>): Promise<{ result: T; traffic: TrafficSent }> {
  const smoke = env.config.mattermost?.smoke;
  if (!smoke?.password && !smoke?.token) throw new CollectFailure('NOT_CONFIGURED', '--traffic needs mattermost.smoke (username and password or token): its session sends the traffic');
  const base = await frontDoorUrl(env);
  const headers = { 'User-Agent': USER_AGENT, 'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
  let token = smoke.token;
  let loggedIn = false;
  if (!token) {
    const res = await fetch(`${base}/api/v4/users/login`, { method: 'POST', headers, body: JSON.stringify({ login_id: smoke.username, password: smoke.password }), signal: requestSignal(env) })
      .catch((err: unknown) => { throw new CollectFailure('UNREACHABLE', `--traffic: cannot log in at ${base}: ${errorMessage(err)}`); });
    await res.arrayBuffer();
    token = res.headers.get('token') ?? undefined;
    if (res.status !== 200 || !token) throw new CollectFailure('BAD_RESPONSE', `--traffic: the smoke user's login at ${base} answered ${res.status}`);
    env.redactor.add(token);
    loggedIn = true;
  }
  const auth = { ...headers, Authorization: `Bearer ${token}` };
  const rate = env.config.metrics.trafficRate;
  let requests = 0;
  let failed = 0;
  const inflight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    const path = PATHS[requests % PATHS.length]!;
    requests++;
    const p = fetch(`${base}${path}`, { headers: auth, signal: requestSignal(env) })
      .then(async (r) => { await r.arrayBuffer(); if (r.status >= 400) failed++; }, () => { failed++; })
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }, Math.max(10, Math.round(1000 / rate)));
  try {
    const result = await during();
    return { result, traffic: { requests, failed, rate } };
  } finally {
    clearInterval(timer);
    await Promise.allSettled([...inflight]);
    // The session it made is removed: nothing of the traffic stays behind.
    if (loggedIn) await fetch(`${base}/api/v4/users/logout`, { method: 'POST', headers: auth, signal: requestSignal(env) }).then((r) => r.arrayBuffer(), () => undefined);
  }
}

/**
 * The Prometheus source: PromQL over Prometheus's HTTP API (`/api/v1/query`, `/api/v1/query_range`)
 * with axios. Auth is a bearer token or basic auth (values from ${env:}/${file:}, so they are known
 * secrets and masked everywhere), TLS trusts `prometheus.caFile` when given.
 *
 * A URL that answers but is not a Prometheus API, and a query Prometheus rejects as bad_data, are
 * CONFIG failures (exit 2: the message names the key); an unreachable Prometheus is UNREACHABLE.
 */
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import { resolve } from 'node:path';
import type { AxiosInstance } from 'axios';
import type { CollectEnv } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import type { MmgateConfig } from '../../core/config/schema.js';
import { parseDuration } from '../../core/duration.js';
import { errorMessage } from '../../core/errors.js';

export interface PromSample { readonly metric: Readonly<Record<string, string>>; readonly value: number }
export interface PromRange { readonly metric: Readonly<Record<string, string>>; readonly values: readonly (readonly [number, number])[] }

export interface PrometheusApi {
  readonly url: string;
  /** Instant query (vector answers; a scalar answers one sample without labels). */
  query(expr: string, what: string): Promise<PromSample[]>;
  /** Range query over [start, end] every step seconds. */
  queryRange(expr: string, start: Date, end: Date, stepSeconds: number, what: string): Promise<PromRange[]>;
}

type PrometheusConfig = NonNullable<MmgateConfig['prometheus']>;

interface ApiAnswer { status?: string; errorType?: string; error?: string; data?: { resultType?: string; result?: unknown } }

/** The run's shared Prometheus client. */
export function prometheusApi(env: CollectEnv): Promise<PrometheusApi> {
  const p = env.config.prometheus;
  if (!p) throw new CollectFailure('NOT_CONFIGURED', 'metrics.source is prometheus but prometheus.url is not set: set prometheus.url, or metrics.source: scrape');
  return env.shared('prometheus', () => connect(p, env.configDir));
}

async function connect(p: PrometheusConfig, configDir: string): Promise<PrometheusApi> {
  const { default: axios } = await import('axios');
  const url = p.url.replace(/\/+$/, '');
  let ca: Buffer | undefined;
  if (p.caFile) {
    try { ca = await readFile(resolve(configDir, p.caFile)); } catch (err) {
      throw new CollectFailure('CONFIG', `prometheus.caFile ${p.caFile}: ${errorMessage(err)}; give a PEM file (relative paths resolve from the config file)`);
    }
  }
  const client = axios.create({
    baseURL: url,
    timeout: parseDuration(p.timeout),
    headers: { Accept: 'application/json', 'User-Agent': 'mmgate', ...(p.token ? { Authorization: `Bearer ${p.token}` } : {}) },
    ...(p.username !== undefined ? { auth: { username: p.username, password: p.password ?? '' } } : {}),
    ...(ca ? { httpsAgent: new https.Agent({ ca }) } : {}),
    // Every answer is judged here, so errors name prometheus.url and never carry the headers.
    validateStatus: () => true,
    // Redirects could carry the Authorization header to another host.
    maxRedirects: 0,
    proxy: false,
  });
  return {
    url,
    async query(expr, what) {
      const data = await call(client, url, '/api/v1/query', { query: expr }, what);
      return samples(data, what, url);
    },
    async queryRange(expr, start, end, step, what) {
      const data = await call(client, url, '/api/v1/query_range', { query: expr, start: start.getTime() / 1000, end: end.getTime() / 1000, step }, what);
      if (data.resultType !== 'matrix' || !Array.isArray(data.result)) throw badAnswer(url, what, `a ${String(data.resultType)} instead of a matrix`);
      return (data.result as { metric?: Record<string, string>; values?: [number, string][] }[])
        .map((r) => ({ metric: r.metric ?? {}, values: (r.values ?? []).map(([t, v]) => [Number(t), Number(v)] as const) }));
    },
  };
}

async function call(client: AxiosInstance, url: string, path: string, params: Record<string, string | number>, what: string): Promise<NonNullable<ApiAnswer['data']>> {
  let res;
  try {
    res = await client.get<ApiAnswer | string>(path, { params });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') throw new CollectFailure('TIMEOUT', `Prometheus at ${url} did not answer ${what} within prometheus.timeout`, true);
    // A name that does not resolve or a port nobody listens on is a setup error (exit 2), as for the Kubernetes API; a reset is worth another try.
    if (code === 'ENOTFOUND' || code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code?.startsWith('ERR_TLS')) {
      throw new CollectFailure('PROMETHEUS_UNREACHABLE', `cannot reach Prometheus at ${url} (${code}): check prometheus.url (host, port, scheme) and that Prometheus is up and reachable from where mmgate runs`);
    }
    throw new CollectFailure('UNREACHABLE', `cannot reach Prometheus at ${url} (prometheus.url): ${code ?? errorMessage(err)}`, true);
  }
  const body = typeof res.data === 'object' && res.data !== null ? res.data : undefined;
  if (res.status === 401 || res.status === 403) {
    throw new CollectFailure('FORBIDDEN', `Prometheus at ${url} refused mmgate (${res.status}): check prometheus.token or prometheus.username/password`);
  }
  if (body?.status === 'error') {
    // bad_data is a query Prometheus cannot parse or run: the config's to fix.
    const code = body.errorType === 'bad_data' ? 'CONFIG' : 'BAD_RESPONSE';
    throw new CollectFailure(code, `Prometheus at ${url} rejected ${what}: ${body.errorType ?? 'error'}: ${body.error ?? ''}`);
  }
  if (body?.status !== 'success' || !body.data) {
    throw new CollectFailure('CONFIG', `${url}${path} answered ${res.status} without a Prometheus API answer: prometheus.url must be Prometheus's base URL (such as http://prometheus.monitoring:9090), not a UI page or another service`);
  }
  return body.data;
}

const badAnswer = (url: string, what: string, why: string) => new CollectFailure('BAD_RESPONSE', `Prometheus at ${url} answered ${what} with ${why}`);

function samples(data: NonNullable<ApiAnswer['data']>, what: string, url: string): PromSample[] {
  if (data.resultType === 'scalar' && Array.isArray(data.result)) return [{ metric: {}, value: Number((data.result as [number, string])[1]) }];
  if (data.resultType !== 'vector' || !Array.isArray(data.result)) throw badAnswer(url, what, `a ${String(data.resultType)} instead of a vector`);
  return (data.result as { metric?: Record<string, string>; value?: [number, string] }[]).map((r) => ({ metric: r.metric ?? {}, value: Number(r.value?.[1]) }));
}

/** A label matcher value for a regex alternation of exact names. */
export const alternation = (names: readonly string[]): string => names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&')).join('|');

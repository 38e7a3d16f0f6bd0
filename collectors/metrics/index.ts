/**
 * serverMetrics: what the Ready Mattermost pods served over a window — requests, 5xx, p50/p99 per
 * handler group and per pod — from Prometheus (metrics.source prometheus, or auto with
 * prometheus.url) or from each pod's /metrics directly (scrape). The post checks compare it with
 * preflight's serverMetrics through the baseline contract (their meta.baseline, core/baseline.ts).
 */
import type { Collector, CollectEnv } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { parseDuration } from '../../core/duration.js';
import { isPodReady, mattermostPods } from '../../core/installation.js';
import {
  API_TIME, GAUGES, seriesOf, summarise,
  type ApiSeries, type GaugeName, type PodMetricsState, type PodServerMetrics, type ServerMetrics,
} from '../../core/metrics-types.js';
import { alternation, prometheusApi } from './prometheus.js';
import { apiDelta, gaugesOf, scrapePod } from './scrape.js';
import { withTraffic } from './traffic.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** The Mattermost servers' own metrics over a window (Prometheus or direct scrape). */
    serverMetrics: ServerMetrics;
  }
}

interface PodReading { state: PodMetricsState; detail?: string; series: ApiSeries[]; gauges: Partial<Record<GaugeName, number>> }

/** Waits ms, or less when the run is stopped. */
export const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

export function metricsSource(env: CollectEnv): 'prometheus' | 'scrape' {
  const s = env.config.metrics.source;
  return s === 'auto' ? (env.config.prometheus ? 'prometheus' : 'scrape') : s;
}

/** Two scrapes of every pod, scrapeInterval apart; the difference is the window. */
async function readByScrape(env: CollectEnv, pods: readonly string[]): Promise<Map<string, PodReading>> {
  const ns = env.scope.namespace;
  const first = await Promise.all(pods.map((p) => scrapePod(env, ns, p)));
  await sleep(parseDuration(env.config.metrics.scrapeInterval), env.signal);
  const second = await Promise.all(pods.map((p, i) => (first[i]!.ok ? scrapePod(env, ns, p) : first[i]!)));
  return new Map(pods.map((pod, i): [string, PodReading] => {
    const a = first[i]!;
    const b = second[i]!;
    if (!a.ok) return [pod, { state: a.state, detail: a.detail, series: [], gauges: {} }];
    if (!b.ok) return [pod, { state: b.state, detail: b.detail, series: [], gauges: {} }];
    return [pod, { state: 'ok', series: apiDelta(pod, a.metrics, b.metrics), gauges: gaugesOf(a.metrics, b.metrics) }];
  }));
}

/** PromQL over the window: bucket increases (the same maths as the scrape from there on), plus freshness. */
async function readByPrometheus(env: CollectEnv, pods: readonly string[]): Promise<Map<string, PodReading>> {
  const api = await prometheusApi(env);
  const p = env.config.prometheus!;
  const label = p.podLabel;
  const windowS = Math.max(1, Math.round(parseDuration(env.config.metrics.window) / 1000));
  const base = p.selector.replaceAll('{namespace}', env.scope.namespace);
  const sel = `{${[base, `${label}=~"${alternation(pods)}"`].filter(Boolean).join(', ')}}`;
  const end = env.now();
  const [buckets, last, up, range, gauges, logins] = await Promise.all([
    api.query(`sum by (${label}, handler, status_code, le) (increase(${API_TIME}_bucket${sel}[${windowS}s]))`, 'the mattermost_api_time bucket increases'),
    api.query(`max by (${label}) (timestamp(${API_TIME}_count${sel}))`, 'the time of the last mattermost_api_time sample'),
    api.query(`min by (${label}) (up${sel})`, 'the scrape state (up) of the pods'),
    api.queryRange(`sum by (${label}) (${API_TIME}_count${sel})`, new Date(end.getTime() - windowS * 1000), end, Math.max(1, Math.round(windowS / 10)), 'the mattermost_api_time samples over the window'),
    api.query(`sum by (${label}, __name__) ({__name__=~"${[GAUGES.dbMasterConnections, GAUGES.clusterHealthScore, GAUGES.websockets].join('|')}", ${sel.slice(1)})`, 'the Mattermost gauges'),
    api.query(`sum by (${label}) (increase(${GAUGES.loginFailures}${sel}[${windowS}s]))`, 'the failed logins'),
  ]);
  const staleMs = parseDuration(p.staleAfter);
  const out = new Map<string, PodReading>();
  for (const pod of pods) {
    const mine = <T extends { metric: Readonly<Record<string, string>> }>(xs: readonly T[]) => xs.filter((x) => x.metric[label] === pod);
    const g: Partial<Record<GaugeName, number>> = {};
    for (const s of mine(gauges)) {
      const k = (Object.entries(GAUGES).find(([, n]) => n === s.metric['__name__'])?.[0]) as GaugeName | undefined;
      if (k) g[k] = s.value;
    }
    const lf = mine(logins)[0];
    if (lf) g.loginFailures = Math.round(lf.value);
    const series: ApiSeries[] = [];
    const byKey = new Map<string, [number, number][]>();
    for (const s of mine(buckets)) {
      const key = `${s.metric['handler'] ?? ''}\u0000${s.metric['status_code'] ?? ''}`;
      const le = s.metric['le'] === '+Inf' ? Infinity : Number(s.metric['le']);
      byKey.set(key, [...(byKey.get(key) ?? []), [le, s.value]]);
    }
    for (const [key, b] of byKey) {
      const [handler, statusCode] = key.split('\u0000') as [string, string];
      series.push({ pod, handler, statusCode, buckets: b.sort((x, y) => x[0] - y[0]) });
    }
    const lastAt = mine(last)[0]?.value;
    const points = mine(range)[0]?.values.length ?? 0;
    const scrapeUp = mine(up)[0]?.value;
    const reading = (state: PodMetricsState, detail?: string): PodReading => ({ state, ...(detail ? { detail } : {}), series: state === 'ok' ? series : [], gauges: g });
    if (lastAt === undefined) {
      out.set(pod, scrapeUp === 0
        ? reading('unreachable', `Prometheus cannot scrape this pod (up == 0): its target fails; a 404 on /metrics means no licence with metrics`)
        : reading('no-series', `Prometheus has no ${API_TIME} series for ${label}="${pod}" matching ${sel}: is the pod scraped (prometheus.io annotations, a ServiceMonitor), and do prometheus.selector and prometheus.podLabel match its labels?`));
    } else if (end.getTime() - lastAt * 1000 > staleMs) {
      out.set(pod, reading('stale', `the last ${API_TIME} sample is ${Math.round((end.getTime() - lastAt * 1000) / 1000)}s old (prometheus.staleAfter ${p.staleAfter})`));
    } else if (points < 2) {
      out.set(pod, reading('too-few-samples', `${points} sample(s) of ${API_TIME} in the last ${windowS}s: increase() needs at least two (raise metrics.window or scrape more often)`));
    } else {
      out.set(pod, reading('ok'));
    }
  }
  return out;
}

export const serverMetricsCollector: Collector<'serverMetrics'> = {
  key: 'serverMetrics',
  source: 'Mattermost metrics: Prometheus (prometheus.url) or each pod\'s /metrics through the pod proxy',
  budgetMs: (config) => parseDuration(config.metrics.scrapeInterval) + (config.metrics.traffic ? parseDuration(config.metrics.window) : 0) + parseDuration(config.timeouts.collector),
  async collect(env) {
    const all = await env.need('pods');
    const pods = mattermostPods(all, env.scope).filter(isPodReady).map((p) => p.metadata.name).sort();
    const source = metricsSource(env);
    const read = (): Promise<Map<string, PodReading>> => pods.length === 0 ? Promise.resolve(new Map()) : source === 'prometheus' ? readByPrometheus(env, pods) : readByScrape(env, pods);
    // --traffic (verify only): the smoke user's requests fill the window; Prometheus needs a whole window of them first.
    const withLoad = env.config.metrics.traffic && env.phase === 'post';
    const { result: readings, traffic } = withLoad
      ? await withTraffic(env, async () => { if (source === 'prometheus') await sleep(parseDuration(env.config.metrics.window), env.signal); return read(); })
      : { result: await read(), traffic: undefined };
    if (env.signal.aborted) throw new CollectFailure('TIMEOUT', 'stopped before the second scrape');
    const groups = env.config.metrics.handlerGroups;
    const ok = [...readings.values()].filter((r) => r.state === 'ok').flatMap((r) => r.series);
    const podMetrics: PodServerMetrics[] = pods.map((pod) => {
      const r = readings.get(pod)!;
      return { pod, state: r.state, ...(r.detail ? { detail: r.detail } : {}), groups: summarise(seriesOf(r.series, pod), groups), gauges: r.gauges };
    });
    return {
      source,
      where: source === 'prometheus' ? env.config.prometheus!.url : `pod proxy :${env.config.mattermost?.metricsPort ?? 8067}/metrics`,
      collectedAt: env.now().toISOString(),
      minRequests: env.config.metrics.minRequests,
      windowSeconds: Math.round(parseDuration(source === 'prometheus' ? env.config.metrics.window : env.config.metrics.scrapeInterval) / 1000),
      pods: podMetrics,
      groups: summarise(ok, groups),
      ...(traffic ? { traffic } : {}),
    };
  },
};

/**
 * The direct source: each Ready Mattermost pod's `/metrics` on `mattermost.metricsPort` (8067),
 * read through the API server's pod proxy (RBAC: get pods/proxy) twice, `metrics.scrapeInterval`
 * apart. Counters only ever grow, so the second scrape minus the first is what the pod served in
 * between; a counter that went down means the server restarted, and then the second scrape alone
 * is the window. The text format is parsed by prom2javascript, not by hand.
 */
import { getMetricsFromIterator, type PromHistogramData, type PromMetrics } from 'prom2javascript';
import type { CollectEnv } from '../../core/collector.js';
import { errorMessage } from '../../core/errors.js';
import { API_TIME, GAUGES, type ApiSeries, type GaugeName, type PodMetricsState } from '../../core/metrics-types.js';
import { kubeClient } from '../kube/client.js';
import { excerpt, proxyFailure } from '../mattermost/http.js';

export type Scrape = { readonly ok: true; readonly metrics: PromMetrics } | { readonly ok: false; readonly state: PodMetricsState; readonly detail: string };

const LICENCE = 'Mattermost serves its metrics only with a licence that includes them (Enterprise) and MetricsSettings.Enable=true';

/** Parses the Prometheus text exposition format. */
export function parseExposition(text: string): Promise<PromMetrics> {
  return getMetricsFromIterator(text.split('\n')[Symbol.iterator]());
}

/** One GET of a pod's /metrics through the pod proxy, classified. */
export async function scrapePod(env: CollectEnv, namespace: string, pod: string): Promise<Scrape> {
  const port = env.config.mattermost?.metricsPort ?? 8067;
  const where = `GET pods/${pod}:${port}/proxy/metrics`;
  let res;
  try {
    const kube = await kubeClient(env);
    res = await kube.podProxy(namespace, pod, port, '/metrics', { headers: { Accept: 'text/plain' } });
  } catch (err) {
    return { ok: false, state: 'unreachable', detail: `${where} failed: ${errorMessage(err)}` };
  }
  const refused = proxyFailure(res, pod);
  if (refused) {
    // Nothing listens on the metrics port: the listener starts only with MetricsSettings.Enable.
    const disabled = /connection refused/i.test(refused.message);
    return { ok: false, state: disabled ? 'disabled' : 'unreachable', detail: disabled ? `${where}: nothing listens on port ${port} (${refused.message}); ${LICENCE}` : refused.message };
  }
  const text = res.body.toString('utf8');
  if (res.status === 404) return { ok: false, state: 'unlicensed', detail: `${where} answered 404: ${LICENCE}` };
  if (res.status !== 200) return { ok: false, state: 'unreachable', detail: `${where} answered ${res.status}: ${excerpt(text, 200)}` };
  let metrics: PromMetrics;
  try {
    metrics = await parseExposition(text);
  } catch (err) {
    return { ok: false, state: 'unreachable', detail: `${where}: not the Prometheus text format (${errorMessage(err)})` };
  }
  if (!Object.keys(metrics).some((n) => n.startsWith('mattermost_'))) {
    return { ok: false, state: 'unlicensed', detail: `${where} answered only Go runtime metrics, no mattermost_* series: ${LICENCE}` };
  }
  return { ok: true, metrics };
}

const labelKey = (l: Readonly<Record<string, string>>): string => JSON.stringify(Object.entries(l).filter(([k]) => k !== 'le').sort());
const bounds = (h: PromHistogramData): [number, number][] =>
  Object.entries(h.buckets).map(([le, c]) => [le === '+Inf' ? Infinity : Number(le), Number(c)] as [number, number]).sort((a, b) => a[0] - b[0]);

function histograms(m: PromMetrics): PromHistogramData[] {
  const f = m[API_TIME];
  return f && f.type === 'histogram' ? (f.data as PromHistogramData[]) : [];
}

const startTime = (m: PromMetrics): number | undefined => (m['mattermost_process_start_time_seconds']?.data[0] as { value?: number } | undefined)?.value;

/** What the pod served between two scrapes, per label set of mattermost_api_time. */
export function apiDelta(pod: string, first: PromMetrics, second: PromMetrics): ApiSeries[] {
  const before = new Map(histograms(first).map((h) => [labelKey(h.labels), bounds(h)]));
  const restarted = startTime(first) !== startTime(second);
  const out: ApiSeries[] = [];
  for (const h of histograms(second)) {
    const now = bounds(h);
    const then = restarted ? undefined : before.get(labelKey(h.labels));
    let delta = now.map(([le, c]) => [le, c - (then?.find(([l]) => l === le)?.[1] ?? 0)] as const);
    // A counter that went down was reset (a restart): the second scrape alone is the window.
    if (delta.some(([, c]) => c < 0)) delta = now;
    out.push({ pod, handler: h.labels['handler'] ?? '', statusCode: h.labels['status_code'] ?? '', buckets: delta });
  }
  return out;
}

/** The gauges at the second scrape (summed over label sets); failed logins as a difference. */
export function gaugesOf(first: PromMetrics, second: PromMetrics): Partial<Record<GaugeName, number>> {
  const total = (m: PromMetrics, name: string): number | undefined => {
    const f = m[name];
    return f ? (f.data as { value?: number }[]).reduce((s, d) => s + Number(d.value ?? 0), 0) : undefined;
  };
  const out: Partial<Record<GaugeName, number>> = {};
  for (const [k, name] of Object.entries(GAUGES) as [GaugeName, string][]) {
    const v = total(second, name);
    if (v === undefined) continue;
    const before = total(first, name);
    out[k] = k === 'loginFailures' && before !== undefined && v >= before ? v - before : v;
  }
  return out;
}

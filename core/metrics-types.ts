/**
 * What mmgate knows about the Mattermost servers' own metrics, and the maths both sources share.
 *
 * Names and labels are Mattermost's (docs/metrics.md cites the source): the histogram
 * `mattermost_api_time{handler,method,status_code,origin_client,page_load_context}` in seconds,
 * one per pod. The 5xx ratio is `_count{status_code=~"5.."}` over `_count`;
 * `mattermost_http_errors_total` is not used because it counts 4xx too. p50/p99 come from the
 * `_bucket` series with Prometheus's `histogram_quantile` interpolation, done here for both
 * sources: Prometheus answers the bucket increases, the direct scrape subtracts two scrapes.
 */

/** One label set of `mattermost_api_time` over the window: cumulative bucket counts, +Inf last. */
export interface ApiSeries {
  readonly pod: string;
  readonly handler: string;
  readonly statusCode: string;
  /** [upper bound in seconds (Infinity for +Inf), requests ≤ it during the window]. */
  readonly buckets: readonly (readonly [number, number])[];
}

export interface GroupStats {
  readonly requests: number;
  /** Requests answered 5xx. */
  readonly errors: number;
  /** errors / requests, null without requests. */
  readonly ratio: number | null;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

/**
 * Why a pod gave (or did not give) numbers. Anything but `ok` is "no data": never a pass.
 * unlicensed: /metrics answered 404 or carried no Mattermost metric (no licence with metrics);
 * disabled: nothing listens on the metrics port (MetricsSettings.Enable is off);
 * unreachable: the pod proxy or Prometheus could not be asked about this pod;
 * no-series: Prometheus has no mattermost_api_time series for it; stale: its last sample is
 * too old; too-few-samples: fewer than two samples in the window.
 */
export type PodMetricsState = 'ok' | 'unlicensed' | 'disabled' | 'unreachable' | 'no-series' | 'stale' | 'too-few-samples';

export interface PodServerMetrics {
  readonly pod: string;
  readonly state: PodMetricsState;
  /** What was seen, for the finding ("GET …/metrics answered 404"). */
  readonly detail?: string;
  /** Per handler group, plus ALL_HANDLERS. */
  readonly groups: Readonly<Record<string, GroupStats>>;
  /** Gauges read at the end of the window (absent when the server does not export them). */
  readonly gauges: Readonly<Partial<Record<GaugeName, number>>>;
}

export const GAUGES = {
  dbMasterConnections: 'mattermost_db_master_connections_total',
  clusterHealthScore: 'mattermost_cluster_cluster_health_score',
  websockets: 'mattermost_http_websockets_total',
  loginFailures: 'mattermost_login_logins_fail_total',
} as const;
export type GaugeName = keyof typeof GAUGES;

export interface ServerMetrics {
  readonly source: 'prometheus' | 'scrape';
  /** Prometheus URL, or "pod proxy :8067/metrics". */
  readonly where: string;
  readonly collectedAt: string;
  /** The window the numbers cover, in seconds. */
  readonly windowSeconds: number;
  /** metrics.minRequests when collected: fewer requests are too few to judge. */
  readonly minRequests?: number;
  /** The Ready Mattermost pods judged (not-Ready pods serve no users and are left out). */
  readonly pods: readonly PodServerMetrics[];
  /** Every pod with data together, per handler group: the baseline post checks compare with. */
  readonly groups: Readonly<Record<string, GroupStats>>;
  /** What verify --traffic sent through the front door during the window. */
  readonly traffic?: { readonly requests: number; readonly failed: number; readonly rate: number };
}

export interface RolloutMetrics {
  readonly source: 'prometheus' | 'scrape';
  /** API requests the servers answered during the watch, and how many with 5xx, per pod. */
  readonly pods: Readonly<Record<string, { readonly requests: number; readonly errors: number }>>;
  readonly requests: number;
  readonly errors: number;
  /** metrics.minRequests when collected. */
  readonly minRequests?: number;
  /** Pods whose metrics could not be read at some point (their requests are missing then). */
  readonly unreadable: readonly string[];
}

/** The group every request of a pod belongs to, whatever its handler. */
export const ALL_HANDLERS = '*';
export const API_TIME = 'mattermost_api_time';

/**
 * Prometheus's `histogram_quantile` (promql/quantile.go `bucketQuantile`): find the bucket the
 * rank falls in and interpolate linearly inside it; the lowest bucket starts at 0; a rank in the
 * +Inf bucket answers the highest finite bound. Counts are made monotonic first, as Prometheus
 * does for buckets scraped at slightly different moments. Null without observations.
 */
export function histogramQuantile(q: number, buckets: readonly (readonly [number, number])[]): number | null {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  if (sorted.length < 2 || sorted[sorted.length - 1]![0] !== Infinity) return null;
  let max = 0;
  const fixed = sorted.map(([le, c]) => { max = Math.max(max, c); return [le, max] as const; });
  const total = fixed[fixed.length - 1]![1];
  if (!(total > 0)) return null;
  if (q <= 0) return 0;
  const rank = q * total;
  const i = fixed.findIndex(([, c]) => c >= rank);
  if (i === fixed.length - 1) return fixed[fixed.length - 2]![0];
  const [end, count] = fixed[i]!;
  if (i === 0 && end <= 0) return end;
  const [start, before] = i === 0 ? [0, 0] : fixed[i - 1]!;
  return start + (end - start) * ((rank - before) / (count - before));
}

/** Bucket-wise sum of cumulative histograms that share bounds (a missing bound counts 0). */
export function addBuckets(a: readonly (readonly [number, number])[], b: readonly (readonly [number, number])[]): [number, number][] {
  const m = new Map<number, number>();
  for (const [le, c] of [...a, ...b]) m.set(le, (m.get(le) ?? 0) + c);
  return [...m.entries()].sort((x, y) => x[0] - y[0]);
}

/** The handler group a handler belongs to: the first matching pattern, else the handler itself. */
export function groupOf(handler: string, groups: Readonly<Record<string, string>>): string {
  for (const [name, pattern] of Object.entries(groups)) if (new RegExp(`^(?:${pattern})$`).test(handler)) return name;
  return handler;
}

const is5xx = (code: string): boolean => /^5\d\d$/.test(code);
const ms = (s: number | null): number | null => (s === null ? null : Math.round(s * 10_000) / 10);

/** Per handler group (and ALL_HANDLERS): requests, 5xx, their ratio, p50 and p99. */
export function summarise(series: readonly ApiSeries[], handlerGroups: Readonly<Record<string, string>>): Record<string, GroupStats> {
  const acc = new Map<string, { requests: number; errors: number; buckets: [number, number][] }>();
  for (const s of series) {
    const count = s.buckets.find(([le]) => le === Infinity)?.[1] ?? 0;
    if (count <= 0) continue;
    for (const g of [ALL_HANDLERS, groupOf(s.handler, handlerGroups)]) {
      const a = acc.get(g) ?? { requests: 0, errors: 0, buckets: [] };
      a.requests += count;
      if (is5xx(s.statusCode)) a.errors += count;
      a.buckets = addBuckets(a.buckets, s.buckets);
      acc.set(g, a);
    }
  }
  const out: Record<string, GroupStats> = {};
  for (const [g, a] of [...acc.entries()].sort((x, y) => x[0].localeCompare(y[0]))) {
    out[g] = {
      requests: round(a.requests), errors: round(a.errors), ratio: a.requests > 0 ? a.errors / a.requests : null,
      p50Ms: ms(histogramQuantile(0.5, a.buckets)), p99Ms: ms(histogramQuantile(0.99, a.buckets)),
    };
  }
  return out;
}

/** Prometheus's increase() extrapolates, so its counts are not whole: keep them readable. */
const round = (n: number): number => Math.round(n * 100) / 100;

/** Series of one pod only. */
export const seriesOf = (series: readonly ApiSeries[], pod: string): ApiSeries[] => series.filter((s) => s.pod === pod);

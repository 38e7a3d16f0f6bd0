/** Builders of serverMetrics and of the preflight baseline holding it, for the metrics checks' tests. */
import { preflightBaseline } from './fixtures.js';
import { ALL_HANDLERS, type GroupStats, type PodMetricsState, type PodServerMetrics, type ServerMetrics } from '../core/metrics-types.js';

export const stats = (requests: number, errors: number, p99Ms: number, p50Ms = p99Ms / 4): GroupStats =>
  ({ requests, errors, ratio: requests ? errors / requests : null, p50Ms, p99Ms });

export const pod = (name: string, groups: Record<string, GroupStats>, state: PodMetricsState = 'ok', detail?: string): PodServerMetrics =>
  ({ pod: name, state, ...(detail ? { detail } : {}), groups: state === 'ok' ? { [ALL_HANDLERS]: groups[ALL_HANDLERS] ?? Object.values(groups)[0]!, ...groups } : {}, gauges: {} });

export const metrics = (pods: PodServerMetrics[], groups: Record<string, GroupStats> = {}): ServerMetrics =>
  ({ source: 'scrape', where: 'pod proxy :8067/metrics', collectedAt: '2026-11-20T12:00:00Z', windowSeconds: 30, pods, groups });

/** The preflight baseline holding serverMetrics with these groups; null: a preflight that did not record any. */
export const baseline = (groups: Record<string, GroupStats> | null) => preflightBaseline(groups ? { serverMetrics: metrics([], groups) } : {});

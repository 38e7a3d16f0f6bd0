/**
 * The stable side's server metrics, for a canary run: the same reading as `serverMetrics` (same
 * source, window and handler groups), of the CR's own Deployment's Ready pods instead of the
 * canary's, read at the same time, so canary-analysis compares like with like. Null when the run
 * judges no canary.
 */
import type { Collector } from '../../core/collector.js';
import type { ServerMetrics } from '../../core/metrics-types.js';
import { serverMetricsCollector } from '../metrics/index.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** A canary run: the stable Deployment's pods' metrics, read like serverMetrics; null otherwise. */
    stableServerMetrics: ServerMetrics | null;
  }
}

export const stableServerMetricsCollector: Collector<'stableServerMetrics'> = {
  key: 'stableServerMetrics',
  source: 'Mattermost metrics of the stable Deployment\'s pods (canary comparison): Prometheus or /metrics, read like serverMetrics',
  budgetMs: (config) => serverMetricsCollector.budgetMs?.(config) ?? 0,
  async collect(env) {
    if (env.scope.strategy !== 'canary' || env.scope.side !== 'canary') return null;
    const { workload: _canary, ...stable } = env.scope;
    // verify --traffic loads the canary through the cookie once (serverMetrics does); the stable
    // pods carry the users' traffic and are read without sending more.
    const config = { ...env.config, metrics: { ...env.config.metrics, traffic: false } };
    return serverMetricsCollector.collect({ ...env, scope: stable, config });
  },
};

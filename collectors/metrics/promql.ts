/** promqlResults: the answers to this phase's metrics.queries (the user's own PromQL checks). */
import type { Collector } from '../../core/collector.js';
import { prometheusApi } from './prometheus.js';

export const promqlResultsCollector: Collector<'promqlResults'> = {
  key: 'promqlResults',
  source: 'Prometheus: the PromQL of metrics.queries',
  async collect(env) {
    const api = await prometheusApi(env);
    const queries = env.config.metrics.queries.filter((q) => q.phase === env.phase);
    const answers = await Promise.all(queries.map(async (q) => [q.name, { expr: q.expr, samples: await api.query(q.expr, `metrics.queries[${env.config.metrics.queries.indexOf(q)}] (${q.name})`) }] as const));
    return Object.fromEntries(answers);
  },
};

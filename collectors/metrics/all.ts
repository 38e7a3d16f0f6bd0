/** The metrics collectors (see each file). */
import { serverMetricsCollector } from './index.js';
import { promqlResultsCollector } from './promql.js';
import { rolloutMetricsCollector } from './rollout.js';

export const metricsCollectors = [serverMetricsCollector, promqlResultsCollector, rolloutMetricsCollector] as const;

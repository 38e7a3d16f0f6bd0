/** The metrics collectors (see each file). */
import { baselineMetricsCollector, serverMetricsCollector } from './index.js';
import { promqlResultsCollector } from './promql.js';
import { rolloutMetricsCollector } from './rollout.js';

export const metricsCollectors = [serverMetricsCollector, baselineMetricsCollector, promqlResultsCollector, rolloutMetricsCollector] as const;

/** Every built-in collector, by snapshot key. Light to import: clients load inside collect(). */
import type { Collector } from '../core/collector.js';
import { backupCollectors } from './backups/index.js';
import { baselineCollector } from './baseline.js';
import { driftCollectors } from './drift/index.js';
import { kubeCollectors } from './kube/collectors.js';
import { mattermostCollectors } from './mattermost/index.js';
import { metricsCollectors } from './metrics/all.js';
import { browserJourneyCollector } from './smoke/browser.js';
import { routingProbeCollector } from './strategy/routing.js';
import { siteStatesCollector } from './strategy/sites.js';
import { stablePodLogsCollector } from './strategy/stable-logs.js';
import { stableServerMetricsCollector } from './strategy/stable-metrics.js';
import { rolloutWatchCollector } from './watch/rollout.js';

export const builtinCollectors: readonly Collector[] = [
  baselineCollector,
  ...backupCollectors,
  ...driftCollectors,
  ...kubeCollectors,
  ...mattermostCollectors,
  ...metricsCollectors,
  browserJourneyCollector,
  rolloutWatchCollector,
  routingProbeCollector,
  stablePodLogsCollector,
  stableServerMetricsCollector,
  siteStatesCollector,
] as readonly Collector[];

/** Drift, site and replication collectors (see each file). */
import type { Collector } from '../../core/collector.js';
import { clusterConfigsCollector } from './cluster-configs.js';
import { replicationStatusCollector, siteInstallationsCollector } from './sites.js';

export const driftCollectors: readonly Collector[] = [
  clusterConfigsCollector, siteInstallationsCollector, replicationStatusCollector,
] as readonly Collector[];

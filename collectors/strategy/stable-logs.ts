/**
 * The stable side's pod logs, for a canary run: the same reading as `podLogs` (same window, same
 * grouping), of the CR's own Deployment instead of the canary's, so canary-analysis compares like
 * with like. Null when the run judges no canary.
 */
import type { Collector } from '../../core/collector.js';
import type { PodLogs } from '../../core/mattermost-types.js';
import { podLogsCollector } from '../mattermost/pod-logs.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** A canary run: the stable Deployment's pod logs, read like podLogs; null otherwise. */
    stablePodLogs: PodLogs | null;
  }
}

export const stablePodLogsCollector: Collector<'stablePodLogs'> = {
  key: 'stablePodLogs',
  source: 'Kubernetes API: logs of the stable Deployment\'s pods (canary comparison)',
  async collect(env) {
    if (env.scope.strategy !== 'canary' || env.scope.side !== 'canary') return null;
    const { workload: _canary, ...stable } = env.scope;
    return podLogsCollector.collect({ ...env, scope: stable });
  },
};

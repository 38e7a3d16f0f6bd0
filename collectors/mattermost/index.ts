/** The Mattermost collectors: per-pod pings, admin questions at the front door, the smoke journey, pod logs. */
import { clusterStatusCollector, pluginStatusesCollector } from './admin.js';
import { identityCollectors } from './identity.js';
import { podLogsCollector } from './pod-logs.js';
import { serverPingsCollector } from './server-pings.js';
import { smokeJourneyCollector } from './smoke.js';

export const mattermostCollectors = [
  serverPingsCollector, clusterStatusCollector, pluginStatusesCollector, smokeJourneyCollector, podLogsCollector,
  ...identityCollectors,
] as const;

/**
 * The only registry of built-in checks: id → module, sorted by id. A test enforces that it is
 * sorted, complete (every checks/<phase>/<id>.ts is here), and that each id is its file name.
 */
import type { Check } from '../core/types.js';
import rolloutAvailability from './during/rollout-availability.js';
import rolloutCompletion from './during/rollout-completion.js';
import apiLatency from './post/api-latency.js';
import bluegreenProduction from './post/bluegreen-production.js';
import bluegreenRouting from './post/bluegreen-routing.js';
import browserJourney from './post/browser-journey.js';
import canaryAnalysis from './post/canary-analysis.js';
import clusterCoherence from './post/cluster-coherence.js';
import clusterMembership from './post/cluster-membership.js';
import configChanges from './post/config-changes.js';
import dataIntegrity from './post/data-integrity.js';
import errorRate from './post/error-rate.js';
import fileRoundtrip from './post/file-roundtrip.js';
import imageVersion from './post/image-version.js';
import incomingWebhook from './post/incoming-webhook.js';
import logErrors from './post/log-errors.js';
import login from './post/login.js';
import navigation from './post/navigation.js';
import licenseUnchanged from './post/license-unchanged.js';
import pluginChanges from './post/plugin-changes.js';
import pluginHealth from './post/plugin-health.js';
import podRestarts from './post/pod-restarts.js';
import postRoundtrip from './post/post-roundtrip.js';
import rolloutState from './post/rollout-state.js';
import serverHealth from './post/server-health.js';
import serverVersion from './post/server-version.js';
import siteIsolation from './post/site-isolation.js';
import siteReplication from './post/site-replication.js';
import backupIntegrity from './pre/backup-integrity.js';
import backupRecency from './pre/backup-recency.js';
import bluegreenState from './pre/bluegreen-state.js';
import configDrift from './pre/config-drift.js';
import helmRelease from './pre/helm-release.js';
import installationState from './pre/installation-state.js';
import license from './pre/license.js';
import metricsHealth from './pre/metrics-health.js';
import nodeReadiness from './pre/node-readiness.js';
import operatorHealth from './pre/operator-health.js';
import podHealth from './pre/pod-health.js';
import replicaCount from './pre/replica-count.js';
import replicationHealth from './pre/replication-health.js';
import rolloutHeadroom from './pre/rollout-headroom.js';
import singleWriter from './pre/single-writer.js';
import siteReadiness from './pre/site-readiness.js';
import upgradePath from './pre/upgrade-path.js';

export const builtinChecks: readonly Check[] = [
  apiLatency,
  backupIntegrity,
  backupRecency,
  bluegreenProduction,
  bluegreenRouting,
  bluegreenState,
  browserJourney,
  canaryAnalysis,
  clusterCoherence,
  clusterMembership,
  configChanges,
  configDrift,
  dataIntegrity,
  errorRate,
  fileRoundtrip,
  helmRelease,
  imageVersion,
  incomingWebhook,
  installationState,
  license,
  licenseUnchanged,
  logErrors,
  login,
  metricsHealth,
  navigation,
  nodeReadiness,
  operatorHealth,
  pluginChanges,
  pluginHealth,
  podHealth,
  podRestarts,
  postRoundtrip,
  replicaCount,
  replicationHealth,
  rolloutAvailability,
  rolloutCompletion,
  rolloutHeadroom,
  rolloutState,
  serverHealth,
  serverVersion,
  singleWriter,
  siteIsolation,
  siteReadiness,
  siteReplication,
  upgradePath,
] as unknown as readonly Check[];

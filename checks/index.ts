/**
 * The only registry of built-in checks: id → module, sorted by id. A test enforces that it is
 * sorted, complete (every checks/<phase>/<id>.ts is here), and that each id is its file name.
 */
import type { Check } from '../core/types.js';
import dataIntegrity from './post/data-integrity.js';
import backupIntegrity from './pre/backup-integrity.js';
import backupRecency from './pre/backup-recency.js';
import configDrift from './pre/config-drift.js';
import helmRelease from './pre/helm-release.js';
import installationState from './pre/installation-state.js';
import nodeReadiness from './pre/node-readiness.js';
import operatorHealth from './pre/operator-health.js';
import podHealth from './pre/pod-health.js';
import replicaCount from './pre/replica-count.js';
import replicationHealth from './pre/replication-health.js';
import rolloutHeadroom from './pre/rollout-headroom.js';
import singleWriter from './pre/single-writer.js';
import upgradePath from './pre/upgrade-path.js';

export const builtinChecks: readonly Check[] = [
  backupIntegrity,
  backupRecency,
  configDrift,
  dataIntegrity,
  helmRelease,
  installationState,
  nodeReadiness,
  operatorHealth,
  podHealth,
  replicaCount,
  replicationHealth,
  rolloutHeadroom,
  singleWriter,
  upgradePath,
] as unknown as readonly Check[];

/**
 * Every module that declares snapshot keys (declaration merging into SnapshotData), named so that
 * the public entry point (core/index.ts) puts their declarations in a plugin's program: a
 * TypeScript plugin's `requires: ['pods']` type-checks against 'mmgate'. Types only: nothing here
 * loads at run time. A collector module with a `declare module` block is listed here;
 * test/plugin-typing.test.ts fails when one is missing.
 */
export type * as backupsCounts from './backups/data-counts.js';
export type * as backupsFiles from './backups/files.js';
export type * as backupsRestore from './backups/restore-test.js';
export type * as backupsVolumes from './backups/volume-snapshots.js';
export type * as drift from './drift/cluster-configs.js';
export type * as driftSites from './drift/sites.js';
export type * as kube from './kube/collectors.js';
export type * as mattermostAdmin from './mattermost/admin.js';
export type * as mattermostIdentity from './mattermost/identity.js';
export type * as mattermostLogs from './mattermost/pod-logs.js';
export type * as mattermostPings from './mattermost/server-pings.js';
export type * as mattermostSmoke from './mattermost/smoke.js';
export type * as metrics from './metrics/index.js';
export type * as metricsRollout from './metrics/rollout.js';
export type * as browser from './smoke/browser.js';
export type * as strategyRouting from './strategy/routing.js';
export type * as strategySites from './strategy/sites.js';
export type * as strategyStableLogs from './strategy/stable-logs.js';
export type * as strategyStableMetrics from './strategy/stable-metrics.js';
export type * as promqlQueries from '../checks/promql-query.js';
export type * as watch from './watch/rollout.js';

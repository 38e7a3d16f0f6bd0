/**
 * mmgate's public API, for plugin authors and programmatic use:
 *   import { defineCheck, z } from 'mmgate';
 * A plugin module lists checks (and collectors for new snapshot keys) and is named in mmgate.yaml
 * under `plugins:`; its checks run exactly like the built-ins.
 */
export { z } from 'zod';
export { defineCheck } from './check.js';
export { CollectFailure } from './collector.js';
export type { Collector, CollectEnv } from './collector.js';
export { isCollectError, present } from './types.js';
export { fromBaseline } from './baseline.js';
export type { Baseline, BaselineMiss, BaselineValue } from './baseline.js';
export type {
  Check, CheckContext, CheckInput, CheckMeta, CheckResult, CollectError, Finding, Level, Measurements, Outcome, Phase,
  ResultStatus, RunReport, Scope, Snapshot, SnapshotData, SnapshotKey, Target, Verdict,
} from './types.js';
export type * from './kube-types.js';
export type * from './mattermost-types.js';
export type * from './backup-types.js';
export type * from './drift-types.js';
export type * from './rollout-types.js';
export type * from './browser-types.js';
// The built-in collectors declare their snapshot keys by declaration merging into SnapshotData:
// naming their modules here puts those declarations in every plugin's program, so
// `requires: ['pods']` type-checks against 'mmgate'. Types only.
export type * as builtinCollectors from '../collectors/snapshot-keys.js';
export { runGate } from './runner.js';
export type { RunOptions, RunOutput } from './runner.js';
export { decide } from './policy.js';
export { loadConfig, parseConfig } from './config/load.js';
export type { MmgateConfig } from './config/schema.js';
export { runCheck, TEST_NOW, TEST_SCOPE } from './testing.js';
export { parseVersion, compareVersions, parseVersionId, parseImage, imageVersion } from './version.js';
export { parseQuantity } from './quantity.js';
export { parseDuration } from './duration.js';

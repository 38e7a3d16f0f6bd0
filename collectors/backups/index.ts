/** Backup and data-count collectors (see each file). */
import type { Collector } from '../../core/collector.js';
import { dataCountsCollector } from './data-counts.js';
import { databaseBackupsCollector, filestoreBackupsCollector } from './files.js';
import { restoreTestCollector } from './restore-test.js';
import { volumeSnapshotsCollector } from './volume-snapshots.js';

export const backupCollectors: readonly Collector[] = [
  databaseBackupsCollector, filestoreBackupsCollector, volumeSnapshotsCollector, restoreTestCollector,
  dataCountsCollector,
] as readonly Collector[];

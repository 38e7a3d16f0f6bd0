/**
 * What the backup and data collectors store in the snapshot (collectors/backups). Plain JSON,
 * no secret values: servers are described as user@host:port/db, never with a password.
 * Each shape carries the configured limits it is judged against, so a saved snapshot is
 * self-contained.
 */

/** The four row counts compared before and after, and between a restored dump and the live database. */
export const COUNT_NAMES = ['users', 'teams', 'channels', 'posts'] as const;
export type CountName = (typeof COUNT_NAMES)[number];
/** A count, or null when the table (or analytics row) does not exist. */
export type Counts = { readonly [K in CountName]: number | null };

/** Tables whose presence proves Mattermost's schema history came along (morph, then older releases). */
export const MIGRATION_TABLES = ['db_migrations', 'schema_migrations'] as const;

export type DumpFormat = 'custom' | 'tar' | 'plain' | 'unknown';

/** `pg_restore --list` of a custom/tar dump, or a line scan of a plain one. */
export interface DumpListing {
  readonly ok: boolean;
  /** pg_restore's error (first lines), when not ok. */
  readonly error?: string;
  /** TOC entries (custom/tar) or SQL statements that create something (plain). */
  readonly tocEntries: number;
  /** Every table in the dump (schema-qualified names lose their schema: `users`), sorted. */
  readonly tables: readonly string[];
  /** Tables whose rows are in the dump (TABLE DATA entries, or COPY statements), sorted. */
  readonly tablesWithData: readonly string[];
}

export interface DumpFile {
  readonly name: string;
  readonly path: string;
  readonly sizeBytes: number;
  /** File mtime, ISO 8601. */
  readonly modifiedAt: string;
  /** From the first bytes: PGDMP = custom, ustar = tar, text = plain. */
  readonly format: DumpFormat;
  /** Only for the newest dump. */
  readonly listing?: DumpListing;
  /**
   * Only for the newest dump, when backups.database.readWholeDump is on: every block read back
   * (`pg_restore -f /dev/null`), or a plain dump that ends with pg_dump's completion line.
   */
  readonly wholeRead?: { readonly ok: boolean; readonly error?: string };
}

export interface DatabaseBackups {
  /** backups.database.path, resolved. */
  readonly location: string;
  readonly isDirectory: boolean;
  readonly pattern?: string;
  /** Files that matched (directories), 1 for a file path, 0 when the path does not exist. */
  readonly candidates: number;
  readonly latest: DumpFile | null;
  readonly previous: DumpFile | null;
  readonly maxAge: string;
  readonly sizeTolerance: number;
}

/** One snapshot.storage.k8s.io/v1 VolumeSnapshot. */
export interface VolumeSnapshotInfo {
  readonly name: string;
  readonly namespace: string;
  readonly sourcePVC?: string;
  readonly readyToUse: boolean;
  /** status.creationTime (when the snapshot was cut), else metadata.creationTimestamp. */
  readonly takenAt?: string;
  readonly restoreSize?: string;
  readonly error?: string;
  readonly deleting?: boolean;
}

export interface VolumeSnapshots {
  readonly namespace: string;
  readonly volumes: readonly string[];
  readonly maxAge: string;
  /** False when the API server does not serve snapshot.storage.k8s.io/v1 (no CSI snapshot CRDs). */
  readonly apiAvailable: boolean;
  readonly reason?: string;
  readonly items: readonly VolumeSnapshotInfo[];
}

export interface FilestoreBackups {
  readonly path: string;
  readonly maxAge: string;
  readonly exists: boolean;
  readonly entries: number;
  readonly newest: {
    readonly name: string;
    readonly modifiedAt: string;
    readonly isDirectory: boolean;
    readonly sizeBytes: number;
    /** False when a directory had too many entries to add up. */
    readonly sizeComplete: boolean;
  } | null;
}

export interface RestoreTest {
  /** The restore server, user@host:port. */
  readonly server: string;
  /** The dump restored (file name), null when there was none. */
  readonly dump: string | null;
  /** The scratch database's name. */
  readonly database: string;
  readonly tolerance: number;
  readonly restored: boolean;
  readonly error?: string;
  readonly durationMs: number;
  /** Row counts in the restored database; null counts: the table is missing. */
  readonly counts: Counts | null;
  /** The migrations table found in the restored database, and its rows. */
  readonly migrations: { readonly table: string; readonly rows: number } | null;
  /** The same counts from database.dsn; null when no DSN is configured. */
  readonly live: { readonly counts: Counts } | { readonly error: string } | null;
  /** Whether the scratch database is gone afterwards (checked, not assumed). */
  readonly dropped: boolean;
  readonly dropError?: string;
  /** Scratch databases of earlier runs, older than leftoverAge, still on the server. */
  readonly leftovers: readonly string[];
}

/** Row counts of the live installation. */
export interface DataCounts {
  /** sql: count(*) from database.dsn · api: /api/v4/analytics/old (different meanings: never mix). */
  readonly source: 'sql' | 'api';
  /** user@host:port/db or the Mattermost URL. */
  readonly where: string;
  readonly collectedAt: string;
  readonly counts: Counts;
  /** database.countTolerance. */
  readonly tolerance: number;
}

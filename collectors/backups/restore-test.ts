/**
 * The restore test (backups.database.restoreTest): the newest dump is restored into a scratch
 * database on a separate server, counted, compared with the live database, and the scratch
 * database is dropped in a finally block, whatever failed before. Whether it is really gone is
 * checked, not assumed, and scratch databases of earlier runs still on the server are reported.
 */
import { randomBytes } from 'node:crypto';
import type { RestoreTest } from '../../core/backup-types.js';
import type { Collector } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { parseDuration } from '../../core/duration.js';
import { errorMessage } from '../../core/errors.js';
import { countTables } from './counts.js';
import { connFromConfig, describeConn, firstLines, pgEnv, psql, quoteIdent, quoteLiteral, run, type PgConn } from './pg.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** The newest dump restored into a scratch database and counted; null when backups.database.restoreTest is not configured. */
    restoreTest: RestoreTest | null;
  }
}

export const SCRATCH_PREFIX = 'mmgate_restore_';

/** `mmgate_restore_20261120120000_1a2b3c`: time first, so leftovers can be aged from their name. */
export function scratchName(now: Date): string {
  const t = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${SCRATCH_PREFIX}${t}_${randomBytes(3).toString('hex')}`;
}

/** When a scratch database was created, from its name; undefined for a name mmgate did not make. */
export function scratchTime(name: string): Date | undefined {
  const m = /^mmgate_restore_(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})_[0-9a-f]+$/.exec(name);
  if (!m) return undefined;
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}

/** What a test may observe: called after a successful restore, before the drop. */
export interface RestoreHooks {
  onRestored?(scratch: { conn: PgConn; database: string }): Promise<void> | void;
}

export interface RestoreTestInput {
  readonly server: PgConn;
  readonly live?: PgConn;
  readonly dump: { readonly name: string; readonly path: string; readonly format: string } | null;
  readonly tolerance: number;
  readonly leftoverAgeMs: number;
  readonly now: Date;
  readonly signal: AbortSignal;
  readonly hooks?: RestoreHooks;
}

/** Budget of the drop: it runs even after the collector's deadline passed (its own clock). */
const DROP_TIMEOUT_MS = 60_000;

export async function runRestoreTest(input: RestoreTestInput): Promise<RestoreTest> {
  const { server, now, signal } = input;
  const maintenanceDb = server.database ?? 'postgres';
  const database = scratchName(now);
  const started = performance.now();
  const base = { server: describeConn(server, ''), dump: input.dump?.name ?? null, database, tolerance: input.tolerance };

  // Earlier runs' scratch databases (a crash or kill -9 skips any finally block).
  const existing = (await psql(server, `SELECT datname FROM pg_database WHERE datname LIKE 'mmgate\\_restore\\_%'`, { signal, database: maintenanceDb })).map((r) => r[0] ?? '');
  const leftovers = existing.filter((n) => {
    const t = scratchTime(n);
    return t === undefined || now.getTime() - t.getTime() > input.leftoverAgeMs;
  }).sort();

  const live = async (): Promise<RestoreTest['live']> => {
    if (!input.live) return null;
    try {
      return { counts: (await countTables(input.live, { signal })).counts };
    } catch (err) {
      return { error: errorMessage(err) };
    }
  };

  const done = (r: Omit<RestoreTest, keyof typeof base | 'durationMs' | 'leftovers'>): RestoreTest =>
    ({ ...base, ...r, durationMs: Math.round(performance.now() - started), leftovers });

  if (!input.dump) {
    return done({ restored: false, error: 'there is no dump to restore', counts: null, migrations: null, live: await live(), dropped: true });
  }
  if (input.dump.format !== 'custom' && input.dump.format !== 'tar') {
    return done({ restored: false, error: `the restore test needs a custom or tar dump (pg_dump -Fc); ${input.dump.name} is ${input.dump.format}`, counts: null, migrations: null, live: await live(), dropped: true });
  }

  let restored = false;
  let error: string | undefined;
  let counts: RestoreTest['counts'] = null;
  let migrations: RestoreTest['migrations'] = null;
  let dropped: boolean;
  let dropError: string | undefined;
  let created = false;
  let thrown: unknown;
  try {
    await psql(server, `CREATE DATABASE ${quoteIdent(database)}`, { signal, database: maintenanceDb });
    created = true;
    // --no-owner/--no-acl: the restore role need not own what production's roles own.
    const res = await run('pg_restore', ['--no-owner', '--no-acl', '--exit-on-error', `--dbname=${database}`, input.dump.path], { signal, env: pgEnv(server, database) });
    if (res.code !== 0) {
      error = `pg_restore failed: ${firstLines(res.stderr) || `exit ${res.code}`}`;
    } else {
      const t = await countTables(server, { signal, database });
      counts = t.counts;
      migrations = t.migrations;
      await input.hooks?.onRestored?.({ conn: server, database });
      restored = true;
    }
  } catch (err) {
    if (!created) error = `cannot create the scratch database: ${errorMessage(err)}`;
    else if (err instanceof CollectFailure && err.code === 'TIMEOUT') thrown = err;
    else error = `the restore test failed: ${errorMessage(err)}`;
  } finally {
    // Always, also after a failed or interrupted restore: its own timeout, not the run's signal.
    try {
      await psql(server, `DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`, { timeoutMs: DROP_TIMEOUT_MS, database: maintenanceDb });
    } catch (err) {
      dropError = errorMessage(err);
    }
    try {
      const rows = await psql(server, `SELECT count(*) FROM pg_database WHERE datname = ${quoteLiteral(database)}`, { timeoutMs: DROP_TIMEOUT_MS, database: maintenanceDb });
      dropped = rows[0]?.[0] === '0';
      if (!dropped && !dropError) dropError = 'the scratch database is still there after DROP DATABASE';
    } catch (err) {
      dropped = false;
      dropError ??= `cannot tell whether the scratch database is gone: ${errorMessage(err)}`;
    }
  }
  if (thrown) throw thrown;
  return done({
    restored, ...(error ? { error } : {}), counts, migrations, live: await live(), dropped, ...(dropError ? { dropError } : {}),
  });
}

/** The collector; `hooks` is for tests that query the scratch database before it is dropped. */
export function makeRestoreTestCollector(hooks?: RestoreHooks): Collector<'restoreTest'> {
  return {
    key: 'restoreTest', source: 'restore of the newest dump into a scratch PostgreSQL database (backups.database.restoreTest)',
    async collect(env) {
      const cfg = env.config.backups?.database;
      if (!cfg?.restoreTest) return null;
      const server = connFromConfig(cfg.restoreTest.dsn, 'backups.database.restoreTest.dsn', env.redactor);
      const liveDsn = env.config.database?.dsn;
      const live = liveDsn ? connFromConfig(liveDsn, 'database.dsn', env.redactor) : undefined;
      const backups = await env.need('databaseBackups');
      const latest = backups?.latest ?? null;
      return runRestoreTest({
        server, ...(live ? { live } : {}), dump: latest, tolerance: cfg.restoreTest.tolerance,
        leftoverAgeMs: parseDuration(cfg.restoreTest.leftoverAge), now: env.now(), signal: env.signal, ...(hooks ? { hooks } : {}),
      });
    },
  };
}

export const restoreTestCollector = makeRestoreTestCollector();

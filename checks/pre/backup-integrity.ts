/**
 * Prevents discovering, after a failed upgrade, that the backup does not restore. Migrations
 * are forward-only, so the newest pg_dump is the way back: it must be non-empty, about the
 * size of the previous one, readable by pg_restore to its last block (a dump cut in half still
 * lists), and carry Mattermost's tables. With backups.database.restoreTest, it must really
 * restore: the scratch copy has users, teams, channels and posts close to the live counts, has
 * its migrations table, and is dropped afterwards.
 */
import { z } from 'zod';
import { COUNT_NAMES, type DatabaseBackups, type RestoreTest } from '../../core/backup-types.js';
import { defineCheck } from '../../core/check.js';
import { outcomeOf, type NotLooked } from '../../core/outcome.js';
import type { Finding } from '../../core/types.js';

const WHY = 'Mattermost migrations are forward-only: if the upgrade fails, this dump is the way back.';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function judgeDump(db: DatabaseBackups, opts: { requiredTables: readonly string[]; migrationTables: readonly string[] }, findings: Finding[], measured: Record<string, number | string | boolean>): void {
  const latest = db.latest;
  if (!latest) {
    findings.push({
      message: `There is no database dump to verify in ${db.location}`,
      subject: { kind: 'File', name: db.location }, expected: 'a pg_dump file', actual: db.isDirectory ? `no file matches ${db.pattern ?? '*'}` : 'the file does not exist',
      remediation: `Take a dump with pg_dump -Fc into ${db.location} (or fix backups.database.path/pattern). ${WHY}`,
    });
    return;
  }
  const subject = { kind: 'File', name: latest.path };
  measured['database.file'] = latest.name;
  measured['database.format'] = latest.format;
  measured['database.sizeBytes'] = latest.sizeBytes;
  if (latest.sizeBytes === 0) {
    findings.push({
      message: `The newest database dump ${latest.name} is empty`, subject, expected: 'a non-empty pg_dump file', actual: '0 bytes',
      remediation: `The backup job wrote nothing: check its logs (disk full, pg_dump failed), then take a new dump. ${WHY}`,
    });
    return;
  }
  if (db.previous && db.previous.sizeBytes > 0) {
    const change = (latest.sizeBytes - db.previous.sizeBytes) / db.previous.sizeBytes;
    measured['database.previousSizeBytes'] = db.previous.sizeBytes;
    measured['database.sizeChange'] = Number(change.toFixed(4));
    if (Math.abs(change) > db.sizeTolerance) {
      findings.push({
        message: `The newest dump ${latest.name} is ${pct(Math.abs(change))} ${change < 0 ? 'smaller' : 'larger'} than the previous one (${db.previous.name})`,
        subject, expected: `within ${pct(db.sizeTolerance)} of ${db.previous.sizeBytes} bytes`, actual: `${latest.sizeBytes} bytes`,
        remediation: change < 0
          ? `A much smaller dump is often cut short or missing tables: check the backup job's logs and restore-test it. ${WHY}`
          : 'Make sure the growth is real (a bulk import), then raise backups.database.sizeTolerance or take another dump to compare with.',
      });
    }
  }
  const listing = latest.listing;
  if (!listing || !listing.ok) {
    findings.push({
      message: `pg_restore cannot read the newest dump ${latest.name}`, subject,
      expected: 'a readable custom, tar or plain pg_dump', actual: listing?.error ?? `format ${latest.format}`,
      remediation: `The file is corrupt or not a pg_dump archive: take a new dump with pg_dump -Fc and verify it with pg_restore --list. ${WHY}`,
      ...(listing?.error ? { evidence: [listing.error] } : {}),
    });
    return;
  }
  measured['database.tocEntries'] = listing.tocEntries;
  const withRows = new Set(latest.format === 'plain' ? [...listing.tables, ...listing.tablesWithData] : listing.tablesWithData);
  const missing = opts.requiredTables.filter((t) => !withRows.has(t));
  if (listing.tocEntries === 0 || missing.length) {
    findings.push({
      message: listing.tocEntries === 0 ? `The dump ${latest.name} is empty inside (no table of contents entries)` : `The dump ${latest.name} lacks the rows of ${missing.join(', ')}`,
      subject, expected: `table data for ${opts.requiredTables.join(', ')}`, actual: listing.tocEntries === 0 ? '0 entries' : `missing: ${missing.join(', ')}`,
      remediation: `Dump the whole Mattermost database (not schema-only, no --table/--exclude-table filters) with pg_dump -Fc. ${WHY}`,
    });
  }
  if (opts.migrationTables.length && !opts.migrationTables.some((t) => listing.tables.includes(t) || listing.tablesWithData.includes(t))) {
    findings.push({
      message: `The dump ${latest.name} has no migrations table (${opts.migrationTables.join(' or ')})`, subject,
      expected: `one of ${opts.migrationTables.join(', ')}`, actual: 'none',
      remediation: `Without its schema history a restored database cannot tell Mattermost which migrations ran: dump the whole database. ${WHY}`,
    });
  }
  if (latest.wholeRead && !latest.wholeRead.ok) {
    findings.push({
      message: `The dump ${latest.name} cannot be read to its end: it is truncated or corrupt`, subject,
      expected: 'every block readable (pg_restore -f /dev/null succeeds)', actual: latest.wholeRead.error ?? 'read failed',
      remediation: `Take a new dump and make sure the backup job waits for pg_dump to finish before copying the file. ${WHY}`,
      ...(latest.wholeRead.error ? { evidence: [latest.wholeRead.error] } : {}),
    });
  }
}

function judgeRestore(r: RestoreTest, requiredCounts: readonly string[], findings: Finding[], errors: NotLooked[], measured: Record<string, number | string | boolean>): void {
  const subject = { kind: 'Database', name: `${r.server}/${r.database}` };
  measured['restore.ok'] = r.restored;
  measured['restore.durationMs'] = r.durationMs;
  measured['restore.dropped'] = r.dropped;
  if (r.leftovers.length) {
    findings.push({
      message: `${r.leftovers.length} scratch database(s) of earlier restore tests are still on ${r.server}`,
      subject: { kind: 'Database', name: r.server }, expected: 'none', actual: r.leftovers.join(', '),
      remediation: `Drop them (DROP DATABASE … WITH (FORCE)) so they do not fill the restore server's disk; a killed run cannot clean up.`,
    });
  }
  if (!r.dropped) {
    findings.push({
      message: `The scratch database ${r.database} was left behind on ${r.server}`, subject, expected: 'dropped after the restore test', actual: r.dropError ?? 'still there',
      remediation: `Drop it by hand (DROP DATABASE "${r.database}" WITH (FORCE)) and give the restore role the right to drop what it creates.`,
    });
  }
  if (!r.restored) {
    findings.push({
      message: `The newest dump${r.dump ? ` ${r.dump}` : ''} does not restore`, subject, expected: 'pg_restore into a scratch database succeeds', actual: r.error ?? 'restore failed',
      remediation: `Fix or replace the dump (pg_restore -l, then a restore by hand), and check that the restore role has CREATEDB. ${WHY}`,
      ...(r.error ? { evidence: [r.error] } : {}),
    });
    return;
  }
  for (const n of COUNT_NAMES) {
    const v = r.counts?.[n];
    if (typeof v === 'number') measured[`restore.${n}`] = v;
  }
  const missing = requiredCounts.filter((n) => r.counts?.[n as keyof NonNullable<RestoreTest['counts']>] == null);
  if (missing.length) {
    findings.push({
      message: `The restored database has no ${missing.join(', ')} table`, subject, expected: `tables ${requiredCounts.join(', ')}`, actual: `missing: ${missing.join(', ')}`,
      remediation: `The dump is not of the Mattermost database, or is filtered: dump the whole database. ${WHY}`,
    });
  } else if ((r.counts?.users ?? 0) === 0) {
    findings.push({
      message: 'The restored database has no users', subject, expected: 'users > 0', actual: '0',
      remediation: `The dump holds an empty database: check which database the backup job dumps (database name in its DSN). ${WHY}`,
    });
  }
  if (!r.migrations) {
    findings.push({
      message: 'The restored database has no migrations table', subject, expected: 'db_migrations (or schema_migrations)', actual: 'none',
      remediation: `Dump the whole Mattermost database, schema history included. ${WHY}`,
    });
  } else {
    measured['restore.migrations'] = r.migrations.rows;
  }
  if (r.live === null) { measured['restore.liveCompared'] = false; return; }
  // The live side could not be read: the comparison was not made, which is could-not-look.
  if ('error' in r.live) {
    errors.push({
      code: 'LIVE_UNREADABLE', message: 'The restored counts could not be compared with the live database', subject: { kind: 'Database', name: 'database.dsn' },
      expected: 'live counts readable', actual: r.live.error,
      remediation: 'Make database.dsn reachable from mmgate with a role that may SELECT count(*) from users, teams, channels and posts.',
    });
    return;
  }
  measured['restore.liveCompared'] = true;
  for (const n of COUNT_NAMES) {
    const live = r.live.counts[n];
    const got = r.counts?.[n];
    if (typeof live !== 'number' || typeof got !== 'number') continue;
    measured[`live.${n}`] = live;
    const diff = Math.abs(live - got) / Math.max(live, 1);
    if (diff > r.tolerance) {
      findings.push({
        message: `The restored dump has ${got} ${n}, the live database ${live} (${pct(diff)} apart)`, subject,
        expected: `within ${pct(r.tolerance)} of ${live}`, actual: String(got),
        remediation: got < live
          ? `The dump is old or incomplete: take a fresh dump right before the upgrade and restore-test it again. ${WHY}`
          : 'The live database has fewer rows than its own backup: find out what deleted them before upgrading.',
      });
    }
  }
}

export const backupIntegrity = defineCheck({
  meta: {
    id: 'backup-integrity',
    phase: 'pre',
    title: 'The newest database backup is intact',
    failureTitle: 'The newest database backup may not restore',
    description: 'Mattermost migrations are forward-only, so the newest pg_dump is the way back from a failed upgrade. It must be non-empty, within sizeTolerance of the previous dump, readable by pg_restore to its end, and hold Mattermost\'s tables; with a restore test it must restore into a scratch database with row counts close to the live ones, and the scratch database must be dropped.',
    requires: ['databaseBackups', 'restoreTest'],
    recommended: 'error',
  },
  options: z.strictObject({
    requiredTables: z.array(z.string().min(1)).default(['users', 'teams', 'channels', 'posts']).describe('Tables whose rows must be in the dump.'),
    migrationTables: z.array(z.string().min(1)).default(['db_migrations', 'schema_migrations']).describe('At least one of these must be in the dump; [] to skip.'),
  }),
  evaluate(input, ctx) {
    const findings: Finding[] = [];
    const errors: NotLooked[] = [];
    const measured: Record<string, number | string | boolean> = {};
    const db = input.databaseBackups;
    if (!db) {
      findings.push({
        message: 'No database dump is configured, so nothing shows the upgrade can be rolled back',
        subject: { kind: 'Config', name: 'backups.database' }, expected: 'backups.database.path', actual: 'not configured',
        remediation: `Configure backups.database (a pg_dump -Fc file or directory) and, ideally, backups.database.restoreTest. ${WHY}`,
      });
      return { status: 'fail', findings, measured };
    }
    judgeDump(db, ctx.options, findings, measured);
    if (input.restoreTest) judgeRestore(input.restoreTest, ctx.options.requiredTables.filter((t) => (COUNT_NAMES as readonly string[]).includes(t)), findings, errors, measured);
    if (findings.length || errors.length) return outcomeOf({ fails: findings, errors, measured });
    return { status: 'pass', summary: `${db.latest?.name} is intact${input.restoreTest ? ' and restores' : ''}`, measured };
  },
});

export default backupIntegrity;

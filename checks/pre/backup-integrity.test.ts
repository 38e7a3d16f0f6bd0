import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DatabaseBackups, DumpFile, RestoreTest } from '../../core/backup-types.js';
import { runCheck } from '../../core/testing.js';
import check from './backup-integrity.js';

const TABLES = ['channels', 'db_migrations', 'fileinfo', 'posts', 'teams', 'users'];
const dump = (over: Partial<DumpFile> = {}): DumpFile => ({
  name: 'mm-2.dump', path: '/backups/mm-2.dump', sizeBytes: 1000, modifiedAt: '2026-11-20T10:00:00Z', format: 'custom',
  listing: { ok: true, tocEntries: 20, tables: TABLES, tablesWithData: TABLES }, wholeRead: { ok: true }, ...over,
});
const db = (latest: DumpFile | null, previous: Partial<DumpFile> | null = { sizeBytes: 1050 }): DatabaseBackups => ({
  location: '/backups', isDirectory: true, pattern: '*.dump', candidates: 2, maxAge: '24h', sizeTolerance: 0.5, latest,
  previous: previous ? { name: 'mm-1.dump', path: '/backups/mm-1.dump', sizeBytes: 1050, modifiedAt: '2026-11-19T10:00:00Z', format: 'custom', ...previous } : null,
});
const counts = { users: 240, teams: 6, channels: 48, posts: 720 };
const restore = (over: Partial<RestoreTest> = {}): RestoreTest => ({
  server: 'restore@127.0.0.1:5432', dump: 'mm-2.dump', database: 'mmgate_restore_20261120115900_abcdef', tolerance: 0.05,
  restored: true, durationMs: 1200, counts, migrations: { table: 'db_migrations', rows: 121 }, live: { counts }, dropped: true, leftovers: [], ...over,
});

describe('backup-integrity', () => {
  const failing: { name: string; data: Record<string, unknown>; message: RegExp; expected: RegExp; actual: RegExp }[] = [
    { name: 'no database dump configured', data: { databaseBackups: null, restoreTest: null }, message: /No database dump is configured/, expected: /backups\.database\.path/, actual: /not configured/ },
    { name: 'no dump file', data: { databaseBackups: db(null), restoreTest: null }, message: /no database dump to verify/, expected: /pg_dump/, actual: /no file matches/ },
    { name: 'empty dump', data: { databaseBackups: db(dump({ sizeBytes: 0, listing: { ok: false, error: 'input file is too short', tocEntries: 0, tables: [], tablesWithData: [] } })), restoreTest: null }, message: /is empty/, expected: /non-empty/, actual: /0 bytes/ },
    { name: 'much smaller than the previous dump', data: { databaseBackups: db(dump({ sizeBytes: 400 }), { sizeBytes: 1000 }), restoreTest: null }, message: /60\.0% smaller than the previous one/, expected: /within 50\.0% of 1000 bytes/, actual: /400 bytes/ },
    { name: 'corrupt (pg_restore cannot list)', data: { databaseBackups: db(dump({ format: 'unknown', listing: { ok: false, error: 'pg_restore: error: input file does not appear to be a valid archive', tocEntries: 0, tables: [], tablesWithData: [] } })), restoreTest: null }, message: /pg_restore cannot read/, expected: /readable/, actual: /valid archive/ },
    { name: 'truncated (cannot be read to the end)', data: { databaseBackups: db(dump({ wholeRead: { ok: false, error: 'pg_restore: error: could not read from input file: end of file' } })), restoreTest: null }, message: /cannot be read to its end: it is truncated or corrupt/, expected: /every block readable/, actual: /end of file/ },
    { name: 'schema-only dump', data: { databaseBackups: db(dump({ listing: { ok: true, tocEntries: 10, tables: TABLES, tablesWithData: [] } })), restoreTest: null }, message: /lacks the rows of users, teams, channels, posts/, expected: /table data/, actual: /missing: users/ },
    { name: 'no migrations table', data: { databaseBackups: db(dump({ listing: { ok: true, tocEntries: 10, tables: ['users', 'teams', 'channels', 'posts'], tablesWithData: ['users', 'teams', 'channels', 'posts'] } })), restoreTest: null }, message: /no migrations table/, expected: /db_migrations/, actual: /none/ },
    { name: 'restore failed', data: { databaseBackups: db(dump()), restoreTest: restore({ restored: false, error: 'pg_restore failed: could not read from input file', counts: null, migrations: null }) }, message: /does not restore/, expected: /pg_restore into a scratch database/, actual: /pg_restore failed/ },
    { name: 'scratch database left behind', data: { databaseBackups: db(dump()), restoreTest: restore({ dropped: false, dropError: 'permission denied' }) }, message: /was left behind/, expected: /dropped/, actual: /permission denied/ },
    { name: 'leftovers of earlier runs', data: { databaseBackups: db(dump()), restoreTest: restore({ leftovers: ['mmgate_restore_20200101000000_abcdef'] }) }, message: /still on restore@/, expected: /none/, actual: /mmgate_restore_20200101000000_abcdef/ },
    { name: 'restored counts far from live', data: { databaseBackups: db(dump()), restoreTest: restore({ counts: { ...counts, posts: 500 } }) }, message: /has 500 posts, the live database 720/, expected: /within 5\.0% of 720/, actual: /^500$/ },
    { name: 'restored database without users', data: { databaseBackups: db(dump()), restoreTest: restore({ counts: { ...counts, users: 0 }, live: null }) }, message: /no users/, expected: /users > 0/, actual: /^0$/ },
    { name: 'restored database without a table', data: { databaseBackups: db(dump()), restoreTest: restore({ counts: { ...counts, teams: null }, live: null }) }, message: /has no teams table/, expected: /tables users/, actual: /missing: teams/ },
  ];
  it('live counts it could not read are error LIVE_UNREADABLE naming database.dsn, not a backup found wrong', async () => {
    const r = await runCheck(check, { data: { databaseBackups: db(dump()), restoreTest: restore({ live: { error: 'connection refused' } }) } });
    assert.equal(r.status, 'error');
    assert.deepEqual(r.error, { code: 'LIVE_UNREADABLE', message: 'could not look at Database database.dsn (LIVE_UNREADABLE)' });
    assert.equal(r.findings.length, 1);
    assert.deepEqual(r.findings[0]!.subject, { kind: 'Database', name: 'database.dsn' });
    assert.equal(r.findings[0]!.expected, 'live counts readable');
    assert.equal(r.findings[0]!.actual, 'connection refused');
    assert.match(r.findings[0]!.remediation ?? '', /SELECT count/);
    const mixed = await runCheck(check, { data: { databaseBackups: db(dump()), restoreTest: restore({ live: { error: 'connection refused' }, dropped: false, dropError: 'permission denied' }) } });
    assert.equal(mixed.status, 'fail');
    assert.equal(mixed.error?.code, 'LIVE_UNREADABLE');
  });
  for (const c of failing) {
    it(`fails: ${c.name}`, async () => {
      const r = await runCheck(check, { data: c.data });
      assert.equal(r.status, 'fail', JSON.stringify(r));
      const f = r.findings.find((x) => c.message.test(x.message));
      assert.ok(f, `no finding matches ${c.message}: ${r.findings.map((x) => x.message).join(' | ')}`);
      assert.ok(f.subject?.name);
      assert.match(f.expected ?? '', c.expected);
      assert.match(f.actual ?? '', c.actual);
      assert.ok(f.remediation);
    });
  }

  it('passes on an intact dump that restores with counts close to live', async () => {
    const r = await runCheck(check, {
      data: { databaseBackups: db(dump()), restoreTest: restore({ live: { counts: { ...counts, posts: 740 } } }) },
    });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['restore.users'], 240);
    assert.equal(r.measured?.['live.posts'], 740);
    // Row counts reach verify through the baseline contract (data-integrity's meta.baseline), not measured data.*.
    assert.equal(Object.keys(r.measured ?? {}).some((k) => k.startsWith('data.')), false);
  });

  it('passes without a restore test on an intact dump; a plain dump is judged by its CREATE TABLEs', async () => {
    assert.equal((await runCheck(check, { data: { databaseBackups: db(dump(), null), restoreTest: null } })).status, 'pass');
    const plain = dump({ format: 'plain', listing: { ok: true, tocEntries: 12, tables: TABLES, tablesWithData: [] } });
    assert.equal((await runCheck(check, { data: { databaseBackups: db(plain, null), restoreTest: null } })).status, 'pass');
  });

  it('a failed dataCounts (optional) does not change the verdict', async () => {
    const r = await runCheck(check, { data: { databaseBackups: db(dump()), restoreTest: null, dataCounts: { $collectError: true, key: 'dataCounts', code: 'NOT_CONFIGURED', message: 'no source' } } });
    assert.equal(r.status, 'pass');
  });

  it('is error when the restore test could not run at all, or data is missing', async () => {
    const r = await runCheck(check, { data: { databaseBackups: db(dump()), restoreTest: { $collectError: true, key: 'restoreTest', code: 'UNREACHABLE', message: 'PostgreSQL restore@db:5432: connection refused' } } });
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /connection refused/);
    assert.equal((await runCheck(check, { data: { restoreTest: null } })).status, 'error');
  });

  const judge = (databaseBackups: DatabaseBackups, restoreTest: RestoreTest | null = null, options: Record<string, unknown> = {}) =>
    runCheck(check, { data: { databaseBackups, restoreTest }, options });

  it('a directory without a pattern says no file matches *', async () => {
    const { pattern: _, ...noPattern } = db(null);
    const r = await judge(noPattern);
    assert.equal(r.findings[0]?.actual, 'no file matches *');
  });
  it('a configured file that does not exist says so', async () => {
    const r = await judge({ ...db(null), isDirectory: false });
    assert.equal(r.findings[0]?.actual, 'the file does not exist');
  });
  it('an empty previous dump is no yardstick: the size is not compared', async () => {
    const r = await judge(db(dump(), { sizeBytes: 0 }));
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['database.previousSizeBytes'], undefined);
  });
  it('a dump exactly sizeTolerance larger than the previous one passes', async () => {
    const r = await judge(db(dump({ sizeBytes: 1500 }), { sizeBytes: 1000 }));
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['database.sizeChange'], 0.5);
  });
  it('a much larger dump fails as larger and asks whether the growth is real', async () => {
    const r = await judge(db(dump({ sizeBytes: 2600 }), { sizeBytes: 1000 }));
    assert.equal(r.findings[0]?.message, 'The newest dump mm-2.dump is 160.0% larger than the previous one (mm-1.dump)');
    assert.match(r.findings[0]?.remediation ?? '', /^Make sure the growth is real/);
  });
  it('a much smaller dump is suspected of being cut short', async () => {
    const r = await judge(db(dump({ sizeBytes: 400 }), { sizeBytes: 1000 }));
    assert.match(r.findings[0]?.remediation ?? '', /^A much smaller dump is often cut short/);
  });
  it('a dump pg_restore could not list gives the format when there is no error, and no evidence', async () => {
    const { listing: _, ...unlisted } = dump({ format: 'tar' });
    const r = await judge(db(unlisted));
    assert.equal(r.findings[0]?.actual, 'format tar');
    assert.equal(r.findings[0]?.evidence, undefined);
  });
  it('pg_restore\'s error is the evidence for an unreadable dump', async () => {
    const error = 'pg_restore: error: input file does not appear to be a valid archive';
    const r = await judge(db(dump({ listing: { ok: false, error, tocEntries: 0, tables: [], tablesWithData: [] } })));
    assert.deepEqual(r.findings[0]?.evidence, [error]);
  });
  it('a dump with no table of contents entries is empty inside, even if tables are named', async () => {
    const r = await judge(db(dump({ listing: { ok: true, tocEntries: 0, tables: TABLES, tablesWithData: TABLES } })));
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'The dump mm-2.dump is empty inside (no table of contents entries)');
    assert.equal(r.findings[0]?.actual, '0 entries');
  });
  it('a truncated dump quotes the read error as evidence; without one it says read failed', async () => {
    const error = 'pg_restore: error: could not read from input file: end of file';
    assert.deepEqual((await judge(db(dump({ wholeRead: { ok: false, error } })))).findings[0]?.evidence, [error]);
    const bare = (await judge(db(dump({ wholeRead: { ok: false } })))).findings[0];
    assert.equal(bare?.actual, 'read failed');
    assert.equal(bare?.evidence, undefined);
  });
  it('a restore that failed quotes its error as evidence', async () => {
    const r = await judge(db(dump()), restore({ restored: false, error: 'pg_restore failed: out of disk', counts: null, migrations: null }));
    assert.deepEqual(r.findings.find((f) => /does not restore/.test(f.message))?.evidence, ['pg_restore failed: out of disk']);
  });
  it('a restore whose counts could not be read misses every counted table and measures none', async () => {
    const r = await judge(db(dump()), restore({ counts: null, live: null }));
    assert.equal(r.findings[0]?.actual, 'missing: users, teams, channels, posts');
    assert.equal(Object.keys(r.measured ?? {}).some((k) => /^restore\.(users|teams|channels|posts)$/.test(k)), false);
  });
  it('a table the restore could not count is not measured', async () => {
    const r = await judge(db(dump()), restore({ counts: { ...counts, teams: null }, live: null }));
    assert.equal(r.measured?.['restore.users'], 240);
    assert.equal('restore.teams' in (r.measured ?? {}), false);
  });
  it('a restored database without its migrations table fails', async () => {
    const r = await judge(db(dump()), restore({ migrations: null }));
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'The restored database has no migrations table');
    assert.equal(r.findings[0]?.actual, 'none');
  });
  it('a passing restore measures the migrations rows and that live counts were compared', async () => {
    const r = await judge(db(dump()), restore());
    assert.equal(r.status, 'pass');
    assert.equal(r.summary, 'mm-2.dump is intact and restores');
    assert.equal(r.measured?.['restore.migrations'], 121);
    assert.equal(r.measured?.['restore.liveCompared'], true);
  });
  it('without live counts the measurements say nothing was compared', async () => {
    const r = await judge(db(dump()), restore({ live: null }));
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['restore.liveCompared'], false);
  });
  it('a table counted on only one side is not compared', async () => {
    const r = await judge(db(dump()), restore({ counts: { ...counts, teams: null }, live: { counts: { ...counts, channels: null } } }), { requiredTables: ['users', 'posts'] });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal('live.teams' in (r.measured ?? {}), false);
    assert.equal('live.channels' in (r.measured ?? {}), false);
  });
  it('restored counts exactly the tolerance below live pass', async () => {
    const r = await judge(db(dump()), restore({ counts: { ...counts, posts: 95 }, live: { counts: { ...counts, posts: 100 } } }));
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });
  it('a restore with fewer rows than live asks for a fresh dump', async () => {
    const r = await judge(db(dump()), restore({ counts: { ...counts, posts: 500 } }));
    assert.match(r.findings[0]?.remediation ?? '', /^The dump is old or incomplete: take a fresh dump/);
  });
  it('a live database with fewer rows than its backup fails and asks what deleted them', async () => {
    const r = await judge(db(dump()), restore({ live: { counts: { ...counts, posts: 500 } } }));
    assert.equal(r.findings[0]?.message, 'The restored dump has 720 posts, the live database 500 (44.0% apart)');
    assert.match(r.findings[0]?.remediation ?? '', /^The live database has fewer rows than its own backup/);
  });
  it('a required table that is not counted (fileinfo) is checked in the dump, not in the restore', async () => {
    const r = await judge(db(dump()), restore(), { requiredTables: ['users', 'fileinfo'] });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });
  it('table names in the options must not be empty', () => {
    assert.deepEqual(check.options.parse({ requiredTables: ['users'], migrationTables: ['db_migrations'] }).requiredTables, ['users']);
    assert.throws(() => check.options.parse({ requiredTables: [''] }));
    assert.throws(() => check.options.parse({ migrationTables: [''] }));
  });
});

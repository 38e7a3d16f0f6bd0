/**
 * Backup and count collectors against a real PostgreSQL 15 (test/postgres.ts): real pg_dump
 * files, broken on purpose (cut in half, random bytes, empty, bytes overwritten), a real
 * restore into a scratch database, and the live counts.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, open, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { CollectFailure } from '../../core/collector.js';
import { readReplication } from '../drift/sites.js';
import { startPostgres, SEED_COUNTS, SEED_MIGRATIONS, type PgServer } from '../../lab/postgres.js';
import { testEnv } from '../../test/collect-env.js';
import { countsFromAnalytics, dataCountsCollector } from './data-counts.js';
import { databaseBackupsCollector, filestoreBackupsCollector, globRegExp, parseTocList } from './files.js';
import { parseDsn } from './pg.js';
import { makeRestoreTestCollector, scratchName, scratchTime, SCRATCH_PREFIX } from './restore-test.js';

const HOUR = 3_600_000;

let pg: PgServer;
let dir: string;
let good: string;

async function setAge(file: string, ms: number): Promise<void> {
  const t = new Date(Date.now() - ms);
  await utimes(file, t, t);
}

async function copy(from: string, to: string, mutate?: (b: Buffer) => Buffer): Promise<string> {
  const b = await readFile(from);
  await writeFile(to, mutate ? mutate(b) : b);
  return to;
}

const scratchDbs = async () => (await pg.databases()).filter((d) => d.startsWith(SCRATCH_PREFIX));

before(async () => {
  pg = await startPostgres();
  await pg.createDatabase('mm');
  dir = await mkdtemp(join(tmpdir(), 'mmgate-backups-'));
  good = join(dir, 'good.dump');
  await pg.dump('mm', good);
});

after(async () => {
  await pg?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('pg DSN parsing', () => {
  it('reads URIs (Mattermost style, unknown params dropped) and key=value pairs', () => {
    const u = parseDsn('postgres://mmuser:p%40ss@db.example:6432/mattermost?sslmode=require&connect_timeout=10&binary_parameters=yes', 'x');
    assert.deepEqual(u, { hosts: 'db.example', ports: '6432', user: 'mmuser', password: 'p@ss', database: 'mattermost', settings: { PGSSLMODE: 'require', PGCONNECT_TIMEOUT: '10' } });
    const k = parseDsn("host=10.0.0.5 port=5432 user=mm password='a b\\'c' dbname=mattermost sslmode=disable", 'x');
    assert.equal(k.password, "a b'c");
    assert.equal(k.hosts, '10.0.0.5');
    assert.equal(parseDsn('postgresql://h1:5432,h2:5433/db', 'x').ports, '5432,5433');
  });
  it('refuses a MySQL DSN without echoing it', () => {
    assert.throws(() => parseDsn('mmuser:secretpw@tcp(db:3306)/mattermost', 'database.dsn'), (e: Error) => e instanceof CollectFailure && e.code === 'CONFIG' && !e.message.includes('secretpw'));
  });
});

describe('databaseBackups', () => {
  const collect = (path: string, extra: Record<string, unknown> = {}) =>
    databaseBackupsCollector.collect(testEnv({ config: { backups: { database: { path, ...extra } } }, configDir: dir }));

  it('is null when backups.database is not configured', async () => {
    assert.equal(await databaseBackupsCollector.collect(testEnv({ config: {} })), null);
  });

  it('picks the newest matching dump in a directory, keeps the previous, lists its tables and reads it whole', async () => {
    const d = await mkdtemp(join(dir, 'set-'));
    await copy(good, join(d, 'mm-1.dump'));
    await setAge(join(d, 'mm-1.dump'), 26 * HOUR);
    await copy(good, join(d, 'mm-2.dump'));
    await setAge(join(d, 'mm-2.dump'), 2 * HOUR);
    await writeFile(join(d, 'notes.txt'), 'not a dump');
    const r = await collect(d);
    assert.ok(r);
    assert.equal(r.isDirectory, true);
    assert.equal(r.candidates, 2);
    assert.equal(r.latest?.name, 'mm-2.dump');
    assert.equal(r.previous?.name, 'mm-1.dump');
    assert.equal(r.latest?.format, 'custom');
    assert.equal(r.latest?.listing?.ok, true);
    for (const t of ['users', 'teams', 'channels', 'posts', 'fileinfo', 'db_migrations']) {
      assert.ok(r.latest?.listing?.tables.includes(t), t);
      assert.ok(r.latest?.listing?.tablesWithData.includes(t), t);
    }
    assert.ok((r.latest?.listing?.tocEntries ?? 0) >= 12);
    assert.deepEqual(r.latest?.wholeRead, { ok: true });
    assert.equal(r.previous?.listing, undefined);
  });

  it('a dump cut in half still lists, but cannot be read to its end', async () => {
    const half = await copy(good, join(dir, 'half.dump'), (b) => b.subarray(0, Math.floor(b.length / 2)));
    const r = await collect(half);
    assert.equal(r?.latest?.listing?.ok, true);
    assert.equal(r?.latest?.wholeRead?.ok, false);
    assert.match(r?.latest?.wholeRead?.error ?? '', /could not read|end of file|unexpected/i);
    const off = await collect(half, { readWholeDump: false });
    assert.equal(off?.latest?.wholeRead, undefined);
  });

  it('random bytes and an empty file are not readable archives', async () => {
    const rnd = join(dir, 'random.dump');
    await writeFile(rnd, randomBytes(4096));
    const r = await collect(rnd);
    assert.equal(r?.latest?.format, 'unknown');
    assert.equal(r?.latest?.listing?.ok, false);
    assert.match(r?.latest?.listing?.error ?? '', /valid archive|too short|pg_restore/);
    const empty = join(dir, 'empty.dump');
    await writeFile(empty, '');
    const e = await collect(empty);
    assert.equal(e?.latest?.sizeBytes, 0);
    assert.equal(e?.latest?.listing?.ok, false);
  });

  it('scans plain and gzipped plain dumps, and notices a cut plain dump', async () => {
    const plain = join(dir, 'plain.sql');
    await pg.dump('mm', plain, 'p');
    const p = await collect(plain);
    assert.equal(p?.latest?.format, 'plain');
    assert.ok(p?.latest?.listing?.tables.includes('users'));
    assert.ok(p?.latest?.listing?.tablesWithData.includes('posts'));
    assert.deepEqual(p?.latest?.wholeRead, { ok: true });
    const gz = await copy(plain, join(dir, 'plain.sql.gz'), (b) => gzipSync(b));
    const g = await collect(gz);
    assert.equal(g?.latest?.format, 'plain');
    assert.deepEqual(g?.latest?.wholeRead, { ok: true });
    const cut = await copy(plain, join(dir, 'cut.sql'), (b) => b.subarray(0, Math.floor(b.length * 0.6)));
    assert.equal((await collect(cut))?.latest?.wholeRead?.ok, false);
    const cutGz = await copy(gz, join(dir, 'cut.sql.gz'), (b) => b.subarray(0, Math.floor(b.length / 2)));
    assert.equal((await collect(cutGz))?.latest?.wholeRead?.ok, false);
  });

  it('a path that does not exist is a fact (no dump), not a collector failure', async () => {
    const r = await collect(join(dir, 'nope'));
    assert.equal(r?.latest, null);
    assert.equal(r?.candidates, 0);
  });

  it('parses pg_restore --list lines and globs', () => {
    const t = parseTocList(';\n; Archive\n214; 1259 16385 TABLE public users mm\n3350; 0 16385 TABLE DATA public users mm\n3205; 2606 16391 CONSTRAINT public users users_pkey mm\n');
    assert.deepEqual(t, { tocEntries: 3, tables: ['users'], tablesWithData: ['users'] });
    assert.ok(globRegExp('mm-*.dump').test('mm-2026.dump'));
    assert.ok(!globRegExp('mm-*.dump').test('mm-2026.dump.tmp'));
    assert.ok(globRegExp('a?c').test('abc'));
    assert.ok(!globRegExp('a.c').test('abc'));
  });
});

describe('filestoreBackups', () => {
  it('finds the newest entry (file or directory) and its size, ignoring dot-entries', async () => {
    const d = await mkdtemp(join(dir, 'files-'));
    await writeFile(join(d, 'old.tar'), 'x'.repeat(10));
    await setAge(join(d, 'old.tar'), 30 * HOUR);
    await mkdir(join(d, '2026-11-20'));
    await writeFile(join(d, '2026-11-20', 'a.bin'), 'y'.repeat(100));
    await writeFile(join(d, '2026-11-20', 'b.bin'), 'z'.repeat(50));
    await setAge(join(d, '2026-11-20'), HOUR);
    await writeFile(join(d, '.partial'), 'tmp');
    const r = await filestoreBackupsCollector.collect(testEnv({ config: { backups: { filestore: { path: d } } } }));
    assert.equal(r?.entries, 2);
    assert.equal(r?.newest?.name, '2026-11-20');
    assert.equal(r?.newest?.isDirectory, true);
    assert.equal(r?.newest?.sizeBytes, 150);
    const missing = await filestoreBackupsCollector.collect(testEnv({ config: { backups: { filestore: { path: join(d, 'nope') } } } }));
    assert.equal(missing?.exists, false);
  });
});

describe('restoreTest (real restore)', () => {
  const run = async (dumpPath: string, opts: { live?: boolean; hooks?: Parameters<typeof makeRestoreTestCollector>[0]; dsn?: string } = {}) => {
    const env = testEnv({
      config: {
        backups: { database: { path: dumpPath, restoreTest: { dsn: opts.dsn ?? pg.dsn('postgres'), tolerance: 0.05 } } },
        ...(opts.live ? { database: { dsn: pg.dsn('mm') } } : {}),
      },
      collectors: [databaseBackupsCollector],
    });
    return makeRestoreTestCollector(opts.hooks).collect(env);
  };

  it('really restores the dump, counts what came back, compares with live, and drops the scratch database', async () => {
    let observed: { database: string; users: string | undefined; migrations: string | undefined; listed: boolean } | undefined;
    const r = await run(good, {
      live: true,
      hooks: {
        async onRestored({ database }) {
          const [[users]] = await pg.psql('SELECT count(*) FROM users', database) as [[string]];
          const [[migrations]] = await pg.psql('SELECT count(*) FROM db_migrations', database) as [[string]];
          observed = { database, users, migrations, listed: (await pg.databases()).includes(database) };
        },
      },
    });
    assert.ok(r);
    assert.equal(r.restored, true, r.error);
    assert.ok(observed, 'the hook saw the scratch database');
    assert.equal(observed.database, r.database);
    assert.equal(observed.listed, true);
    assert.equal(observed.users, String(SEED_COUNTS.users));
    assert.equal(observed.migrations, String(SEED_MIGRATIONS));
    assert.deepEqual(r.counts, SEED_COUNTS);
    assert.deepEqual(r.migrations, { table: 'db_migrations', rows: SEED_MIGRATIONS });
    assert.deepEqual(r.live, { counts: SEED_COUNTS });
    assert.equal(r.dropped, true);
    assert.match(r.database, /^mmgate_restore_\d{14}_[0-9a-f]{6}$/);
    assert.deepEqual(await scratchDbs(), [], 'no scratch database left behind');
    assert.ok(!JSON.stringify(r).includes(pg.password));
  });

  it('a dump cut in half fails to restore and still leaves no scratch database', async () => {
    const half = await copy(good, join(dir, 'restore-half.dump'), (b) => b.subarray(0, Math.floor(b.length / 2)));
    const r = await run(half);
    assert.equal(r?.restored, false);
    assert.match(r?.error ?? '', /pg_restore failed/);
    assert.equal(r?.dropped, true);
    assert.deepEqual(await scratchDbs(), []);
  });

  it('a dump with corrupt bytes in its data fails to restore and leaves no scratch database', async () => {
    const bad = await copy(good, join(dir, 'restore-corrupt.dump'));
    const size = (await stat(bad)).size;
    const fh = await open(bad, 'r+');
    await fh.write(randomBytes(2048), 0, 2048, Math.floor(size * 0.55));
    await fh.close();
    const r = await run(bad);
    assert.equal(r?.restored, false);
    assert.equal(r?.dropped, true);
    assert.deepEqual(await scratchDbs(), []);
  });

  it('random bytes are refused before any database is created; a hook failure still drops', async () => {
    const rnd = join(dir, 'restore-random.dump');
    await writeFile(rnd, randomBytes(4096));
    const r = await run(rnd);
    assert.equal(r?.restored, false);
    assert.match(r?.error ?? '', /custom or tar/);
    const thrown = await run(good, { hooks: { onRestored() { throw new Error('observer broke'); } } });
    assert.equal(thrown?.restored, false);
    assert.match(thrown?.error ?? '', /observer broke/);
    assert.equal(thrown?.dropped, true);
    assert.deepEqual(await scratchDbs(), []);
  });

  it('reports scratch databases of earlier runs that were left behind', async () => {
    await pg.psql('CREATE DATABASE mmgate_restore_20200101000000_abcdef');
    try {
      const r = await run(good);
      assert.deepEqual(r?.leftovers, ['mmgate_restore_20200101000000_abcdef']);
    } finally {
      await pg.psql('DROP DATABASE mmgate_restore_20200101000000_abcdef');
    }
  });

  it('a wrong password fails the collector without showing any password', async () => {
    const wrong = `postgres://${pg.user}:not-the-password-42@127.0.0.1:${pg.port}/postgres`;
    await assert.rejects(run(good, { dsn: wrong }), (e: Error) => e instanceof CollectFailure && e.code === 'FORBIDDEN' && !e.message.includes('not-the-password-42') && !e.message.includes(pg.password));
  });

  it('names scratch databases by time so leftovers can be aged', () => {
    const n = scratchName(new Date('2026-11-20T12:34:56Z'));
    assert.match(n, /^mmgate_restore_20261120123456_[0-9a-f]{6}$/);
    assert.equal(scratchTime(n)?.toISOString(), '2026-11-20T12:34:56.000Z');
    assert.equal(scratchTime('mmgate_restore_by_hand'), undefined);
  });
});

describe('dataCounts', () => {
  let api: Server;
  let apiUrl = '';
  let seenAuth = '';
  before(async () => {
    api = createServer((req, res) => {
      seenAuth = req.headers.authorization ?? '';
      if (req.url !== '/api/v4/analytics/old?name=standard') { res.writeHead(404).end(); return; }
      if (seenAuth !== 'Bearer admin-token-1234') { res.writeHead(401).end('{}'); return; }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify([
        { name: 'channel_open_count', value: 30 }, { name: 'channel_private_count', value: 12 }, { name: 'post_count', value: 700 },
        { name: 'unique_user_count', value: 230 }, { name: 'team_count', value: 6 }, { name: 'total_websocket_connections', value: 3 },
      ]));
    });
    await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
    const a = api.address();
    apiUrl = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
  });
  after(() => new Promise<void>((r) => { api.closeAllConnections(); api.close(() => r()); }));

  it('counts rows by SQL from database.dsn', async () => {
    const r = await dataCountsCollector.collect(testEnv({ config: { database: { dsn: pg.dsn('mm'), countTolerance: 0.02 } } }));
    assert.equal(r.source, 'sql');
    assert.deepEqual(r.counts, SEED_COUNTS);
    assert.equal(r.tolerance, 0.02);
    assert.equal(r.where, `${pg.user}@127.0.0.1:${pg.port}/mm`);
    assert.ok(!JSON.stringify(r).includes(pg.password));
  });

  it('a missing table counts as null', async () => {
    await pg.createDatabase('mm_partial');
    await pg.psql('DROP TABLE teams', 'mm_partial');
    const r = await dataCountsCollector.collect(testEnv({ config: { database: { dsn: pg.dsn('mm_partial') } } }));
    assert.equal(r.counts.teams, null);
    assert.equal(r.counts.users, SEED_COUNTS.users);
  });

  it('falls back to /api/v4/analytics/old with the admin token', async () => {
    const r = await dataCountsCollector.collect(testEnv({ config: { mattermost: { url: apiUrl, admin: { token: 'admin-token-1234' } } } }));
    assert.equal(seenAuth, 'Bearer admin-token-1234');
    assert.deepEqual(r, { source: 'api', where: apiUrl, collectedAt: r.collectedAt, counts: { users: 230, teams: 6, channels: 42, posts: 700 }, tolerance: 0.01 });
    await assert.rejects(dataCountsCollector.collect(testEnv({ config: { mattermost: { url: apiUrl, admin: { token: 'wrong-token' } } } })), /FORBIDDEN|401/);
    assert.deepEqual(countsFromAnalytics([{ name: 'post_count', value: 5 }]), { users: null, teams: null, channels: null, posts: 5 });
  });

  it('without a DSN or admin token it cannot count', async () => {
    await assert.rejects(dataCountsCollector.collect(testEnv({ config: {} })), (e: Error) => e instanceof CollectFailure && e.code === 'NOT_CONFIGURED');
  });
});

describe('replication on a standalone server', () => {
  it('reads pg_stat_replication for real: a primary with zero standbys', async () => {
    const r = await readReplication(parseDsn(pg.dsn('postgres'), 'x'));
    assert.deepEqual(r, { inRecovery: false, standbys: [] });
  });
});

/**
 * A throwaway PostgreSQL cluster for tests and lab scenarios: initdb into a temp dir, start on a
 * free 127.0.0.1 port (its unix socket in the same dir), stop and remove it after; optionally a
 * streaming standby (replication scenarios). PostgreSQL refuses to run
 * as root, so as root the dir is given to the `postgres` user and initdb/pg_ctl run through
 * `runuser -u postgres --`. One cluster per test file; databases per case.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync, statSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const SEED_SQL = fileURLToPath(new URL('../../fixtures/postgres/mattermost-schema.sql', import.meta.url));
/** Rows fixtures/postgres/mattermost-schema.sql inserts. */
export const SEED_COUNTS = { users: 240, teams: 6, channels: 48, posts: 720 } as const;
export const SEED_MIGRATIONS = 121;

export interface PgServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly dir: string;
  /** postgres://user:password@127.0.0.1:port/db */
  dsn(database?: string): string;
  /** Runs SQL with psql; rows as tab-separated fields. */
  psql(sql: string, database?: string): Promise<string[][]>;
  /** Creates a database, seeded with the Mattermost-like schema unless `empty`. */
  createDatabase(name: string, opts?: { empty?: boolean }): Promise<void>;
  databases(): Promise<string[]>;
  /** pg_dump of a database into a file (-Fc custom by default, p plain). */
  dump(database: string, file: string, format?: 'c' | 'p' | 't'): Promise<void>;
  /**
   * A streaming standby of this server (pg_basebackup -R), on its own port; `applyDelay`
   * (recovery_min_apply_delay, e.g. '10min') makes it replay behind on purpose. Stopped with the primary.
   */
  startStandby(opts?: { applyDelay?: string }): Promise<{ port: number }>;
  stop(): Promise<void>;
}

function exec(bin: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env: env ?? process.env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${bin} ${args.filter((a) => !a.includes('password')).join(' ')} failed: ${stderr || err.message}`));
      else resolve({ stdout, stderr });
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

const isExecutable = (file: string): boolean => { try { accessSync(file, constants.X_OK); return statSync(file).isFile(); } catch { return false; } };

/**
 * A PostgreSQL server binary (initdb, pg_ctl, pg_basebackup): on PATH first, then where Debian's
 * packages keep them off PATH, /usr/lib/postgresql/<major>/bin (the newest major that has it).
 */
export function findPgBinary(name: string, opts: { path?: string; libDir?: string } = {}): string {
  const path = opts.path ?? process.env['PATH'] ?? '';
  const libDir = opts.libDir ?? '/usr/lib/postgresql';
  for (const dir of path.split(delimiter).filter(Boolean)) if (isExecutable(join(dir, name))) return join(dir, name);
  const majors = existsSync(libDir) ? readdirSync(libDir).filter((m) => /^\d+$/.test(m)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const major of majors) if (isExecutable(join(libDir, major, 'bin', name))) return join(libDir, major, 'bin', name);
  throw new Error(`PostgreSQL's ${name} is neither on PATH nor in ${libDir}/<major>/bin: install postgresql-15 (scripts/install-system-deps.sh)`);
}

/** initdb, pg_ctl and pg_basebackup, as the postgres user when we are root. */
function server(name: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  const bin = name === 'sh' ? name : findPgBinary(name);
  return asRoot ? exec('runuser', ['-u', 'postgres', '--', bin, ...args]) : exec(bin, args);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** A private dir (and the file in it) for the server: as root, owned by the postgres user it runs as. */
async function ownedByServer(dir: string, file: string): Promise<void> {
  if (asRoot) {
    const uid = Number((await exec('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await exec('id', ['-g', 'postgres'])).stdout.trim());
    await chown(dir, uid, gid);
    await chown(file, uid, gid);
  }
  await chmod(dir, 0o700);
}

export async function startPostgres(): Promise<PgServer> {
  const dir = await mkdtemp(join(tmpdir(), 'mmgate-pg-'));
  const user = 'mmgate_test';
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const data = join(dir, 'data');
  let port = 0;
  try {
    const pwfile = join(dir, 'pwfile');
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    await ownedByServer(dir, pwfile);
    await server('initdb', ['-D', data, '-A', 'scram-sha-256', '--pwfile', pwfile, '-U', user, '--no-sync', '-E', 'UTF8', '--locale=C', '--no-instructions']);
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      try {
        await server('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', '-o',
          `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`, 'start']);
        break;
      } catch (err) {
        if (attempt >= 2) throw err;
      }
    }
  } catch (err) {
    // A server that never started leaves nothing behind either.
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const env = (database: string): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG')) e[k] = v;
    return { ...e, PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: user, PGPASSWORD: password, PGDATABASE: database };
  };
  const psql = async (sql: string, database = 'postgres') => {
    const { stdout } = await exec('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-A', '-t', '-F', '\t', '-c', sql], env(database));
    return stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  };
  let stopped = false;
  const standbys: { dir: string; data: string }[] = [];
  return {
    host: '127.0.0.1', port, user, password, dir,
    dsn: (database = 'postgres') => `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}?sslmode=disable`,
    psql,
    async createDatabase(name, opts = {}) {
      await psql(`CREATE DATABASE "${name}"`);
      if (!opts.empty) await exec('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', SEED_SQL], env(name));
    },
    async databases() {
      return (await psql('SELECT datname FROM pg_database ORDER BY datname')).map((r) => r[0] ?? '');
    },
    async dump(database, file, format = 'c') {
      await exec('pg_dump', [`-F${format}`, '-f', file], env(database));
    },
    async startStandby(opts = {}) {
      const sdir = await mkdtemp(join(tmpdir(), 'mmgate-pg-standby-'));
      const sdata = join(sdir, 'data');
      // Listed at once, so stop() removes the dir even when the standby never starts.
      standbys.push({ dir: sdir, data: sdata });
      // The password goes through a passfile, never a command line (ps would show it).
      const passfile = join(sdir, 'pgpass');
      await writeFile(passfile, `127.0.0.1:${port}:*:${user}:${password}\n`, { mode: 0o600 });
      await ownedByServer(sdir, passfile);
      await server('pg_basebackup', ['-d', `host=127.0.0.1 port=${port} user=${user} passfile=${passfile}`, '-D', sdata, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
      if (opts.applyDelay) await server('sh', ['-c', `echo "recovery_min_apply_delay = '${opts.applyDelay.replace(/[^0-9a-z]/gi, '')}'" >> ${sdata}/postgresql.auto.conf`]);
      const sport = await freePort();
      await server('pg_ctl', ['-D', sdata, '-l', join(sdir, 'log'), '-w', '-t', '30', '-o', `-p ${sport} -k ${sdir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
      return { port: sport };
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const s of standbys) {
        try { await server('pg_ctl', ['-D', s.data, '-m', 'immediate', '-w', 'stop']); } catch { /* already gone */ }
        await rm(s.dir, { recursive: true, force: true });
      }
      try { await server('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

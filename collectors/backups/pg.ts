/**
 * PostgreSQL through its own client binaries (psql, pg_restore): no driver. Connection details go
 * to the child as libpq environment variables (PGHOST, PGUSER, PGPASSWORD, …), so no password is
 * ever on a command line (visible in `ps`) or in an error message built here.
 */
import { execFile } from 'node:child_process';
import { CollectFailure } from '../../core/collector.js';
import type { Redactor } from '../../core/secrets.js';

export interface PgConn {
  readonly hosts?: string;
  readonly ports?: string;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  /** Other libpq settings by environment variable (PGSSLMODE, PGCONNECT_TIMEOUT, …). */
  readonly settings: Readonly<Record<string, string>>;
}

/** libpq parameters mmgate passes on (as their environment variables); others (binary_parameters…) are dropped. */
const PARAM_ENV: Record<string, string> = {
  host: 'PGHOST', hostaddr: 'PGHOSTADDR', port: 'PGPORT', user: 'PGUSER', password: 'PGPASSWORD', dbname: 'PGDATABASE',
  sslmode: 'PGSSLMODE', sslrootcert: 'PGSSLROOTCERT', sslcert: 'PGSSLCERT', sslkey: 'PGSSLKEY', sslcrl: 'PGSSLCRL',
  connect_timeout: 'PGCONNECT_TIMEOUT', application_name: 'PGAPPNAME', options: 'PGOPTIONS',
  target_session_attrs: 'PGTARGETSESSIONATTRS', channel_binding: 'PGCHANNELBINDING', gssencmode: 'PGGSSENCMODE',
};

/**
 * Parses a PostgreSQL DSN: a URI (`postgres://user:pass@host:5432/db?sslmode=disable`, as in
 * Mattermost's SqlSettings.DataSource) or libpq key=value pairs. Throws CONFIG (without echoing
 * the DSN) for anything else, e.g. a MySQL DSN.
 */
export function parseDsn(dsn: string, what: string): PgConn {
  const text = dsn.trim();
  const uri = /^postgres(?:ql)?:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?]*)(?:\/([^?]*))?(?:\?(.*))?$/.exec(text);
  const settings: Record<string, string> = {};
  const values: Record<string, string> = {};
  const dec = (s: string): string => { try { return decodeURIComponent(s); } catch { return s; } };
  if (uri) {
    const [, user, password, hostspec, db, query] = uri;
    if (user) values['user'] = dec(user);
    if (password !== undefined && password !== '') values['password'] = dec(password);
    if (db) values['dbname'] = dec(db);
    if (hostspec) {
      const hosts: string[] = [];
      const ports: string[] = [];
      for (const h of hostspec.split(',')) {
        const m = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(h);
        if (!m) throw new CollectFailure('CONFIG', `${what} has a host part libpq cannot read: write postgres://user:password@host:5432/dbname`);
        hosts.push(dec(m[1] ?? '').replace(/^\[|\]$/g, ''));
        ports.push(m[2] ?? '');
      }
      if (hosts.some((h) => h)) values['host'] = hosts.join(',');
      if (ports.some((p) => p)) values['port'] = ports.map((p) => p || '5432').join(',');
    }
    for (const pair of (query ?? '').split('&')) {
      if (!pair) continue;
      const i = pair.indexOf('=');
      const k = dec(i === -1 ? pair : pair.slice(0, i));
      const v = dec(i === -1 ? '' : pair.slice(i + 1));
      values[k] = v;
    }
  } else if (/^\s*[a-z_]+\s*=/.test(text)) {
    const re = /([a-z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\S*))/g;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      values[m[1] as string] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    }
  } else {
    throw new CollectFailure('CONFIG', `${what} is not a PostgreSQL DSN: write postgres://user:password@host:5432/dbname (or libpq key=value pairs)`);
  }
  for (const [k, v] of Object.entries(values)) {
    const env = PARAM_ENV[k];
    if (env && !['PGHOST', 'PGPORT', 'PGUSER', 'PGPASSWORD', 'PGDATABASE'].includes(env)) settings[env] = v;
  }
  return {
    ...(values['host'] ? { hosts: values['host'] } : {}),
    ...(values['port'] ? { ports: values['port'] } : {}),
    ...(values['user'] ? { user: values['user'] } : {}),
    ...(values['password'] ? { password: values['password'] } : {}),
    ...(values['dbname'] ? { database: values['dbname'] } : {}),
    settings,
  };
}

/** Parses a DSN from config and teaches the Redactor the DSN and its password. */
export function connFromConfig(dsn: string, what: string, redactor: Redactor): PgConn {
  redactor.add(dsn);
  const conn = parseDsn(dsn, what);
  redactor.add(conn.password);
  return conn;
}

/** `user@host:port/db`: how a server is named in snapshots and messages (never with the password). */
export function describeConn(conn: PgConn, database = conn.database): string {
  return `${conn.user ? `${conn.user}@` : ''}${conn.hosts ?? 'localhost'}:${conn.ports ?? '5432'}${database ? `/${database}` : ''}`;
}

/** The child's environment: the parent's minus every PG* variable, plus this connection's. */
export function pgEnv(conn: PgConn, database = conn.database): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PG')) env[k] = v;
  if (conn.hosts) env['PGHOST'] = conn.hosts;
  if (conn.ports) env['PGPORT'] = conn.ports;
  if (conn.user) env['PGUSER'] = conn.user;
  if (conn.password) env['PGPASSWORD'] = conn.password;
  if (database) env['PGDATABASE'] = database;
  env['PGCONNECT_TIMEOUT'] = '10';
  env['PGAPPNAME'] = 'mmgate';
  Object.assign(env, conn.settings);
  return env;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export interface RunResult { readonly code: number; readonly stdout: string; readonly stderr: string }

/** Runs a client binary; resolves with its exit code and output (never rejects on a non-zero exit). */
export function run(bin: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, {
      env: opts.env ?? process.env, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8',
      ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.timeoutMs ? { timeout: opts.timeoutMs, killSignal: 'SIGKILL' } : {}),
    }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new CollectFailure('CONFIG', `${bin} is not installed or not on PATH: install the PostgreSQL client (postgresql-client) of the server's major version`));
        return;
      }
      if (err && (err.name === 'AbortError' || (err as { killed?: boolean }).killed)) {
        reject(new CollectFailure('TIMEOUT', `${bin} was stopped before it finished (deadline or interrupt)`));
        return;
      }
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as unknown as { code: number }).code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The first meaningful lines of a client's stderr, for a message. */
export function firstLines(text: string, n = 3): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, n).join(' | ').slice(0, 500);
}

export const NULL_MARK = '\\N';

/**
 * Runs one SQL statement with psql (-X no psqlrc, ON_ERROR_STOP) and returns its rows as
 * tab-separated fields; NULL is `\N`. Throws a CollectFailure naming the server on error.
 */
export async function psql(conn: PgConn, sql: string, opts: RunOptions & { database?: string } = {}): Promise<string[][]> {
  const database = opts.database ?? conn.database;
  const res = await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-A', '-t', '-F', '\t', '-P', `null=${NULL_MARK}`, '-c', sql], {
    ...opts, env: pgEnv(conn, database),
  });
  if (res.code !== 0) {
    const msg = firstLines(res.stderr) || `psql exited with ${res.code}`;
    const unreachable = /could not connect|connection refused|could not translate host|timeout expired|Connection timed out/i.test(msg);
    throw new CollectFailure(unreachable ? 'UNREACHABLE' : /password authentication failed|no pg_hba|permission denied/i.test(msg) ? 'FORBIDDEN' : 'FAILED',
      `PostgreSQL ${describeConn(conn, database)}: ${msg}`, unreachable);
  }
  return res.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const quoteLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`;

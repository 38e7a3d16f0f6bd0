/**
 * Backup files on disk: pg_dump files (databaseBackups) and file-store backups (filestoreBackups).
 * The newest dump is opened: its format from the first bytes, its table of contents with
 * `pg_restore --list`, and (readWholeDump) every block read back with `pg_restore -f /dev/null`,
 * because a dump cut in half still has a readable table of contents.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { DatabaseBackups, DumpFile, DumpFormat, DumpListing, FilestoreBackups } from '../../core/backup-types.js';
import type { Collector } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { errorMessage } from '../../core/errors.js';
import { firstLines, run } from './pg.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** The newest pg_dump file (and the one before it), opened and listed; null when backups.database is not configured. */
    databaseBackups: DatabaseBackups | null;
    /** The newest entry of the file-store backup directory; null when backups.filestore is not configured. */
    filestoreBackups: FilestoreBackups | null;
  }
}

/** A file-name glob where only * and ? are special, as a RegExp. */
export function globRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

function fsFailure(err: unknown, what: string): CollectFailure {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return new CollectFailure('FORBIDDEN', `cannot read ${what} (${code}): let mmgate's user read it`);
  return new CollectFailure('FAILED', `cannot read ${what}: ${errorMessage(err)}`);
}

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR';

interface Head { format: DumpFormat; gzip: boolean }

/** Reads the first bytes: custom dumps start with PGDMP, tar archives have ustar at 257, gzip 1f8b. */
async function sniff(path: string): Promise<Head> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(512);
    const { bytesRead } = await fh.read(buf, 0, 512, 0);
    const b = buf.subarray(0, bytesRead);
    if (bytesRead === 0) return { format: 'unknown', gzip: false };
    if (b.subarray(0, 5).toString('latin1') === 'PGDMP') return { format: 'custom', gzip: false };
    if (bytesRead >= 262 && b.subarray(257, 262).toString('latin1') === 'ustar') return { format: 'tar', gzip: false };
    if (b[0] === 0x1f && b[1] === 0x8b) return { format: 'plain', gzip: true };
    // Plain SQL: text without control bytes other than whitespace.
    const text = !b.some((c) => c < 0x09 || (c > 0x0d && c < 0x20));
    return { format: text ? 'plain' : 'unknown', gzip: false };
  } finally {
    await fh.close();
  }
}

/** Parses `pg_restore --list` output: `214; 1259 16385 TABLE public users owner`. */
export function parseTocList(text: string): Pick<DumpListing, 'tocEntries' | 'tables' | 'tablesWithData'> {
  let tocEntries = 0;
  const tables = new Set<string>();
  const data = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^\s*\d+;\s+\d+\s+\d+\s+(.*)$/.exec(line);
    if (!m || !m[1]) continue;
    tocEntries++;
    const rest = m[1];
    const d = /^TABLE DATA (\S+) (\S+)/.exec(rest);
    if (d?.[2]) { data.add(d[2]); continue; }
    const t = /^TABLE (\S+) (\S+)/.exec(rest);
    if (t?.[2]) tables.add(t[2]);
  }
  return { tocEntries, tables: [...tables].sort(), tablesWithData: [...data].sort() };
}

const unquote = (name: string): string => {
  const last = name.split('.').pop() ?? name;
  return last.replace(/^"|"$/g, '').replace(/""/g, '"');
};

/**
 * Scans a plain (optionally gzipped) SQL dump to its end: the tables it creates, the tables it
 * copies rows into, and whether it ends with pg_dump's "dump complete" line (a cut file does not).
 */
async function scanPlain(path: string, gzip: boolean, signal: AbortSignal): Promise<{ listing: DumpListing; wholeRead: { ok: boolean; error?: string } }> {
  const tables = new Set<string>();
  const data = new Set<string>();
  let statements = 0;
  let lines = 0;
  let completeAt = -1;
  try {
    const file = createReadStream(path, { signal });
    const input = gzip ? file.pipe(createGunzip()) : file;
    if (gzip) file.on('error', (e) => input.destroy(e));
    const rl = createInterface({ input, crlfDelay: Infinity });
    for await (const line of rl) {
      lines++;
      if (line.startsWith('CREATE ')) statements++;
      const t = /^CREATE (?:UNLOGGED )?TABLE (\S+) \(/.exec(line);
      if (t?.[1]) tables.add(unquote(t[1]));
      const c = /^COPY (\S+) /.exec(line);
      if (c?.[1]) data.add(unquote(c[1]));
      if (line.includes('PostgreSQL database dump complete')) completeAt = lines;
    }
  } catch (err) {
    const error = `the dump cannot be read to its end: ${errorMessage(err)}`;
    return { listing: { ok: false, error, tocEntries: statements, tables: [...tables].sort(), tablesWithData: [...data].sort() }, wholeRead: { ok: false, error } };
  }
  // pg_dump writes the completion comment last (15.14+ adds a \unrestrict line after it).
  const complete = completeAt > 0 && lines - completeAt <= 5;
  const listing: DumpListing = { ok: true, tocEntries: statements, tables: [...tables].sort(), tablesWithData: [...data].sort() };
  return { listing, wholeRead: complete ? { ok: true } : { ok: false, error: 'the plain dump does not end with pg_dump\'s "PostgreSQL database dump complete" line: it was cut short' } };
}

async function inspectDump(path: string, readWhole: boolean, signal: AbortSignal): Promise<Pick<DumpFile, 'format' | 'listing' | 'wholeRead'>> {
  const head = await sniff(path);
  if (head.format === 'plain') {
    const scan = await scanPlain(path, head.gzip, signal);
    return { format: 'plain', listing: scan.listing, wholeRead: scan.wholeRead };
  }
  if (head.format === 'unknown') {
    // pg_restore names the problem best ("does not appear to be a valid archive", "too short").
    const res = await run('pg_restore', ['--list', path], { signal });
    const error = firstLines(res.stderr) || 'not a pg_dump archive (custom, tar or plain SQL)';
    return { format: 'unknown', listing: { ok: false, error, tocEntries: 0, tables: [], tablesWithData: [] } };
  }
  const list = await run('pg_restore', ['--list', path], { signal });
  const parsed = parseTocList(list.stdout);
  const listing: DumpListing = list.code === 0
    ? { ok: true, ...parsed }
    : { ok: false, error: firstLines(list.stderr) || `pg_restore --list exited with ${list.code}`, ...parsed };
  if (!readWhole || !listing.ok) return { format: head.format, listing };
  const read = await run('pg_restore', ['--file=/dev/null', path], { signal });
  return {
    format: head.format, listing,
    wholeRead: read.code === 0 ? { ok: true } : { ok: false, error: firstLines(read.stderr) || `pg_restore exited with ${read.code}` },
  };
}

export const databaseBackupsCollector: Collector<'databaseBackups'> = {
  key: 'databaseBackups', source: 'pg_dump files (backups.database.path) read with pg_restore',
  async collect(env) {
    const cfg = env.config.backups?.database;
    if (!cfg) return null;
    const location = resolve(env.configDir, cfg.path);
    const base = { location, maxAge: cfg.maxAge, sizeTolerance: cfg.sizeTolerance };
    let st;
    try { st = await stat(location); } catch (err) {
      if (isMissing(err)) return { ...base, isDirectory: false, candidates: 0, latest: null, previous: null };
      throw fsFailure(err, `backups.database.path ${location}`);
    }
    let files: { name: string; path: string; sizeBytes: number; mtimeMs: number }[];
    if (st.isDirectory()) {
      const re = globRegExp(cfg.pattern);
      let names: string[];
      try { names = await readdir(location); } catch (err) { throw fsFailure(err, `the backup directory ${location}`); }
      files = [];
      for (const name of names.filter((n) => re.test(n))) {
        const p = join(location, name);
        try {
          const s = await stat(p);
          if (s.isFile()) files.push({ name, path: p, sizeBytes: s.size, mtimeMs: s.mtimeMs });
        } catch (err) {
          if (!isMissing(err)) throw fsFailure(err, p); // a file rotated away meanwhile is simply gone
        }
      }
      files.sort((a, b) => b.mtimeMs - a.mtimeMs || b.name.localeCompare(a.name));
    } else {
      files = [{ name: basename(location), path: location, sizeBytes: st.size, mtimeMs: st.mtimeMs }];
    }
    const plain = (f: (typeof files)[number]) => ({ name: f.name, path: f.path, sizeBytes: f.sizeBytes, modifiedAt: new Date(f.mtimeMs).toISOString() });
    const [newest, before] = files;
    let latest: DumpFile | null = null;
    if (newest) {
      try {
        latest = { ...plain(newest), ...(await inspectDump(newest.path, cfg.readWholeDump, env.signal)) };
      } catch (err) {
        if (err instanceof CollectFailure) throw err;
        throw fsFailure(err, newest.path);
      }
    }
    let previous: DumpFile | null = null;
    if (before) previous = { ...plain(before), format: (await sniff(before.path).catch(() => ({ format: 'unknown' as const }))).format };
    return { ...base, isDirectory: st.isDirectory(), ...(st.isDirectory() ? { pattern: cfg.pattern } : {}), candidates: files.length, latest, previous };
  },
};

const MAX_WALK = 10_000;

/** Adds up a directory's file sizes, stopping after MAX_WALK entries. */
async function dirSize(path: string): Promise<{ bytes: number; complete: boolean }> {
  let bytes = 0;
  let seen = 0;
  const stack = [path];
  while (stack.length) {
    const dir = stack.pop() as string;
    let entries;
    try { entries = await readdir(dir, { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      if (++seen > MAX_WALK) return { bytes, complete: false };
      const p = join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.isFile()) { try { bytes += (await stat(p)).size; } catch { /* gone meanwhile */ } }
    }
  }
  return { bytes, complete: true };
}

export const filestoreBackupsCollector: Collector<'filestoreBackups'> = {
  key: 'filestoreBackups', source: 'file-store backup directory (backups.filestore.path)',
  async collect(env) {
    const cfg = env.config.backups?.filestore;
    if (!cfg) return null;
    const path = resolve(env.configDir, cfg.path);
    let names: string[];
    try { names = await readdir(path); } catch (err) {
      if (isMissing(err)) return { path, maxAge: cfg.maxAge, exists: false, entries: 0, newest: null };
      throw fsFailure(err, `backups.filestore.path ${path}`);
    }
    // Dot-entries are partial uploads and tool state (.tmp, .DS_Store), not backups.
    let newest: { name: string; mtimeMs: number; isDirectory: boolean; size: number } | undefined;
    let entries = 0;
    for (const name of names.filter((n) => !n.startsWith('.'))) {
      try {
        const s = await stat(join(path, name));
        if (!s.isFile() && !s.isDirectory()) continue;
        entries++;
        if (!newest || s.mtimeMs > newest.mtimeMs) newest = { name, mtimeMs: s.mtimeMs, isDirectory: s.isDirectory(), size: s.size };
      } catch (err) {
        if (!isMissing(err)) throw fsFailure(err, join(path, name));
      }
    }
    if (!newest) return { path, maxAge: cfg.maxAge, exists: true, entries, newest: null };
    const size = newest.isDirectory ? await dirSize(join(path, newest.name)) : { bytes: newest.size, complete: true };
    return {
      path, maxAge: cfg.maxAge, exists: true, entries,
      newest: { name: newest.name, modifiedAt: new Date(newest.mtimeMs).toISOString(), isDirectory: newest.isDirectory, sizeBytes: size.bytes, sizeComplete: size.complete },
    };
  },
};

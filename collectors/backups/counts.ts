/**
 * Row counts of a Mattermost database (users, teams, channels, posts, and the migrations
 * table), by SQL through psql. Used on the live database and on a restored scratch copy, so the
 * two are counted the same way. Exact count(*): on a very large posts table this takes a while,
 * which the collector deadline (timeouts.collector) bounds.
 */
import { COUNT_NAMES, MIGRATION_TABLES, type Counts } from '../../core/backup-types.js';
import { NULL_MARK, psql, quoteIdent, quoteLiteral, type PgConn, type RunOptions } from './pg.js';

export interface TableCounts {
  readonly counts: Counts;
  readonly migrations: { readonly table: string; readonly rows: number } | null;
}

/** Counts the tables that exist (in the search path); a missing table counts as null. */
export async function countTables(conn: PgConn, opts: RunOptions & { database?: string } = {}): Promise<TableCounts> {
  const wanted = [...COUNT_NAMES, ...MIGRATION_TABLES];
  const present = new Set((await psql(conn,
    `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r','p') AND n.nspname = ANY (current_schemas(false)) AND c.relname IN (${wanted.map(quoteLiteral).join(',')})`, opts))
    .map((r) => r[0]));
  const toCount = wanted.filter((t) => present.has(t));
  const values = new Map<string, number>();
  if (toCount.length) {
    const [row] = await psql(conn, `SELECT ${toCount.map((t) => `(SELECT count(*) FROM ${quoteIdent(t)})`).join(', ')}`, opts);
    toCount.forEach((t, i) => {
      const v = row?.[i];
      if (v !== undefined && v !== NULL_MARK) values.set(t, Number(v));
    });
  }
  const counts = Object.fromEntries(COUNT_NAMES.map((n) => [n, values.get(n) ?? null])) as unknown as Counts;
  const mig = MIGRATION_TABLES.find((t) => values.has(t));
  return { counts, migrations: mig ? { table: mig, rows: values.get(mig) ?? 0 } : null };
}

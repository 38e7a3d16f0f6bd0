/**
 * Row counts of the live installation (dataCounts), and the ones preflight recorded
 * (baselineCounts, from the --baseline file), for data-integrity.
 *
 * Counts come from SQL (database.dsn: count(*) of users, teams, channels, posts) or, without a
 * DSN, from GET /api/v4/analytics/old (standard rows: unique_user_count, team_count,
 * channel_open_count + channel_private_count, post_count; mattermost/server app/analytics.go).
 * The two count different things (the API leaves out deleted users and bots), so each count
 * carries its source and the check never compares across sources.
 */
import type { BaselineCounts, Counts, DataCounts } from '../../core/backup-types.js';
import { COUNT_NAMES, COUNTS_MEASURED_PREFIX } from '../../core/backup-types.js';
import type { Collector } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { isCollectError } from '../../core/types.js';
import { readBaselineDocument } from '../baseline.js';
import { analyticsStandard } from '../mattermost/identity.js';
import { countTables } from './counts.js';
import { connFromConfig, describeConn } from './pg.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** Row counts of the live installation (SQL or the analytics API). */
    dataCounts: DataCounts;
    /** The row counts recorded at preflight, from --baseline; null when verify got no --baseline. */
    baselineCounts: BaselineCounts | null;
  }
}

interface AnalyticsRow { name?: unknown; value?: unknown }

/** Maps /api/v4/analytics/old?name=standard rows to the four counts. */
export function countsFromAnalytics(rows: unknown): Counts {
  if (!Array.isArray(rows)) throw new CollectFailure('BAD_RESPONSE', '/api/v4/analytics/old did not answer a list of {name, value} rows');
  const byName = new Map<string, number>();
  for (const r of rows as AnalyticsRow[]) {
    if (r && typeof r.name === 'string' && typeof r.value === 'number' && r.value >= 0) byName.set(r.name, r.value);
  }
  const open = byName.get('channel_open_count');
  const priv = byName.get('channel_private_count');
  return {
    users: byName.get('unique_user_count') ?? null,
    teams: byName.get('team_count') ?? null,
    channels: open === undefined && priv === undefined ? null : (open ?? 0) + (priv ?? 0),
    posts: byName.get('post_count') ?? null,
  };
}

export const dataCountsCollector: Collector<'dataCounts'> = {
  key: 'dataCounts', source: 'row counts: database.dsn (SQL), else GET /api/v4/analytics/old', retries: 1,
  async collect(env) {
    const tolerance = env.config.database?.countTolerance ?? 0.01;
    const collectedAt = env.now().toISOString();
    const dsn = env.config.database?.dsn;
    if (dsn) {
      const conn = connFromConfig(dsn, 'database.dsn', env.redactor);
      const { counts } = await countTables(conn, { signal: env.signal });
      return { source: 'sql', where: describeConn(conn), collectedAt, counts, tolerance };
    }
    if (!env.config.mattermost?.admin?.token) {
      throw new CollectFailure('NOT_CONFIGURED', 'no source of row counts: set database.dsn (a read-only DSN) or mattermost.admin.token (with mattermost.url, or the CR\'s status.endpoint)');
    }
    // The same admin call as every other: front door from mattermost.url or the CR, token redacted.
    const { data, url } = await analyticsStandard(env);
    return { source: 'api', where: url, collectedAt, counts: countsFromAnalytics(data), tolerance };
  },
};

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

const MEASURED_PREFIX = COUNTS_MEASURED_PREFIX;

/** Reads the counts out of a saved snapshot or a preflight JSON report. */
export function baselineFrom(parsed: unknown, path: string): BaselineCounts {
  const doc = parsed as Record<string, unknown> | null;
  if (doc && typeof doc === 'object' && doc['meta'] && typeof doc['data'] === 'object' && doc['data'] !== null) {
    const meta = doc['meta'] as { collectedAt?: unknown; phase?: unknown };
    if (meta.phase !== undefined && meta.phase !== 'pre') throw new CollectFailure('CONFIG', `--baseline ${path} is a snapshot of phase "${String(meta.phase)}", not of preflight; give preflight.snapshot.json`);
    const collectedAt = typeof meta.collectedAt === 'string' ? meta.collectedAt : undefined;
    const d = (doc['data'] as Record<string, unknown>)['dataCounts'];
    const base = { path, kind: 'snapshot' as const, ...(collectedAt ? { collectedAt } : {}) };
    if (d === undefined) return { ...base, counts: null, reason: 'the snapshot holds no dataCounts: the preflight run did not collect row counts' };
    if (isCollectError(d)) return { ...base, counts: null, reason: `preflight could not count rows: ${d.message}` };
    const dc = d as Partial<DataCounts>;
    if ((dc.source !== 'sql' && dc.source !== 'api') || !dc.counts) return { ...base, counts: null, reason: 'the snapshot\'s dataCounts is malformed' };
    const counts = Object.fromEntries(COUNT_NAMES.map((n) => [n, isCount(dc.counts?.[n]) ? dc.counts[n] : null])) as unknown as Counts;
    return { ...base, counts: { source: dc.source, ...(dc.where ? { where: dc.where } : {}), counts } };
  }
  if (doc && typeof doc === 'object' && Array.isArray(doc['results'])) {
    const collectedAt = typeof doc['startedAt'] === 'string' ? doc['startedAt'] : undefined;
    const base = { path, kind: 'report' as const, ...(collectedAt ? { collectedAt } : {}) };
    if (doc['phase'] !== undefined && doc['phase'] !== 'pre') return { ...base, counts: null, reason: `the report is of phase "${String(doc['phase'])}", not preflight` };
    for (const r of doc['results'] as { measured?: Record<string, unknown> }[]) {
      const m = r?.measured;
      const source = m?.[`${MEASURED_PREFIX}source`];
      if (!m || (source !== 'sql' && source !== 'api')) continue;
      const counts = Object.fromEntries(COUNT_NAMES.map((n) => [n, isCount(m[`${MEASURED_PREFIX}${n}`]) ? m[`${MEASURED_PREFIX}${n}`] : null])) as unknown as Counts;
      const where = m[`${MEASURED_PREFIX}where`];
      return { ...base, counts: { source, ...(typeof where === 'string' ? { where } : {}), counts } };
    }
    return { ...base, counts: null, reason: 'the report carries no row counts (measured data.*): backup-integrity did not run at preflight, or preflight could not count rows' };
  }
  throw new CollectFailure('CONFIG', `--baseline ${path} is neither an mmgate snapshot nor a preflight JSON report; give preflight.snapshot.json or preflight.json`);
}

export const baselineCountsCollector: Collector<'baselineCounts'> = {
  key: 'baselineCounts', source: 'row counts recorded at preflight (--baseline)',
  async collect(env) {
    const parsed = await readBaselineDocument(env);
    if (parsed === null || !env.baselinePath) return null;
    return baselineFrom(parsed, env.baselinePath);
  },
};

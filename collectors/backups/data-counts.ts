/**
 * Row counts of the live installation (dataCounts), for data-integrity, which compares them with
 * the dataCounts of the preflight snapshot (its declared baseline key).
 *
 * Counts come from SQL (database.dsn: count(*) of users, teams, channels, posts) or, without a
 * DSN, from GET /api/v4/analytics/old (standard rows: unique_user_count, team_count,
 * channel_open_count + channel_private_count, post_count; mattermost/server app/analytics.go).
 * The two count different things (the API leaves out deleted users and bots), so each count
 * carries its source and the check never compares across sources.
 */
import type { Counts, DataCounts } from '../../core/backup-types.js';
import type { Collector } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { analyticsStandard } from '../mattermost/identity.js';
import { countTables } from './counts.js';
import { connFromConfig, describeConn } from './pg.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** Row counts of the live installation (SQL or the analytics API). */
    dataCounts: DataCounts;
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

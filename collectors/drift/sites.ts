/**
 * Active/active collectors: each site's Mattermost CR and its declared role (siteInstallations,
 * for single-writer), and streaming replication between the sites' databases
 * (replicationStatus, for replication-health) from pg_stat_replication on each site's primary,
 * or from a PromQL query.
 */
import type { Collector } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { ROLE_KEY } from '../../core/config/site-sections.js';
import type { ReplicationStatus, SiteInstallation, Standby } from '../../core/drift-types.js';
import { errorMessage } from '../../core/errors.js';
import { connFromConfig, describeConn, NULL_MARK, psql, type PgConn, type RunOptions } from '../backups/pg.js';
import { atSite, configuredSites, getInstallation } from './targets.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** Each sites[] entry's Mattermost CR: found, declared role, and the role the cluster says (mmgate.io/role). */
    siteInstallations: SiteInstallation[];
    /** Standbys streaming from each site's primary (pg_stat_replication), or lag series from Prometheus. */
    replicationStatus: ReplicationStatus;
  }
}

export const siteInstallationsCollector: Collector<'siteInstallations'> = {
  key: 'siteInstallations', source: 'Kubernetes API of each site: get the Mattermost custom resource', retries: 2,
  async collect(env) {
    return Promise.all(configuredSites(env).map((t) => atSite(t, async () => {
      const cr = await getInstallation(t);
      const role = cr?.metadata.annotations?.[ROLE_KEY] ?? cr?.metadata.labels?.[ROLE_KEY];
      const s: SiteInstallation = {
        site: t.site, context: t.context, namespace: t.namespace, installation: t.installation,
        ...(t.declaredActive !== undefined ? { declaredActive: t.declaredActive } : {}),
        found: cr !== undefined,
        ...(role !== undefined ? { role } : {}),
        ...(typeof cr?.spec?.replicas === 'number' ? { replicas: cr.spec.replicas } : {}),
      };
      return s;
    })));
  },
};

const num = (v: string | undefined): number | null => (v === undefined || v === NULL_MARK || v === '' ? null : Number(v));

/** Rows of the pg_stat_replication query below, as standbys. */
export function parseReplicationRows(rows: readonly (readonly string[])[]): Standby[] {
  return rows.map((r) => {
    const [name, addr, state, sync, lag, bytes] = r;
    return {
      name: name && name !== NULL_MARK ? name : '(unnamed)',
      ...(addr && addr !== NULL_MARK ? { clientAddr: addr } : {}),
      state: state && state !== NULL_MARK ? state : '',
      ...(sync && sync !== NULL_MARK ? { syncState: sync } : {}),
      replayLagSeconds: num(lag),
      replayLagBytes: num(bytes),
    };
  });
}

export const REPLICATION_SQL = `SELECT application_name, client_addr::text, state, sync_state,
  extract(epoch FROM replay_lag), pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)
  FROM pg_stat_replication ORDER BY application_name, client_addr::text`;

/** Reads one primary: whether it is one (not in recovery), and its streaming standbys. */
export async function readReplication(conn: PgConn, opts: RunOptions = {}): Promise<{ inRecovery: boolean; standbys: Standby[] }> {
  const [row] = await psql(conn, 'SELECT pg_is_in_recovery()', opts);
  const inRecovery = row?.[0] === 't';
  if (inRecovery) return { inRecovery, standbys: [] };
  return { inRecovery, standbys: parseReplicationRows(await psql(conn, REPLICATION_SQL, opts)) };
}

interface PromResponse { status?: string; error?: string; data?: { resultType?: string; result?: { metric?: Record<string, string>; value?: [number, string] }[] } }

export const replicationStatusCollector: Collector<'replicationStatus'> = {
  key: 'replicationStatus', source: 'pg_stat_replication on each site\'s primary (sites[].replicationDsn), or Prometheus (database.replication.query)', retries: 1,
  async collect(env) {
    const sites = configuredSites(env);
    const repl = env.config.database?.replication ?? { maxLag: '30s' };
    const base = { siteCount: sites.length, maxLag: repl.maxLag };
    const prom = env.config.prometheus?.url;
    if (repl.query && prom) {
      const url = `${prom.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(repl.query)}`;
      let body: PromResponse;
      try {
        const res = await fetch(url, { signal: AbortSignal.any([env.signal, AbortSignal.timeout(15_000)]) });
        body = (await res.json()) as PromResponse;
        if (!res.ok || body.status !== 'success') throw new CollectFailure('BAD_RESPONSE', `Prometheus answered ${res.status}${body.error ? `: ${body.error}` : ''} for database.replication.query`);
      } catch (err) {
        if (err instanceof CollectFailure) throw err;
        throw new CollectFailure('UNREACHABLE', `cannot query Prometheus at ${prom}: ${errorMessage(err)}`, true);
      }
      if (body.data?.resultType !== 'vector') throw new CollectFailure('BAD_RESPONSE', `database.replication.query must return an instant vector (one series per standby), not ${body.data?.resultType ?? 'nothing'}`);
      const series = (body.data.result ?? []).map((s) => ({ labels: s.metric ?? {}, lagSeconds: Number.isFinite(Number(s.value?.[1])) ? Number(s.value?.[1]) : null }));
      return { ...base, source: 'prometheus', primaries: [], prometheus: { query: repl.query, series } };
    }
    const withDsn = sites.filter((s) => s.replicationDsn);
    if (withDsn.length === 0) return { ...base, source: 'none', primaries: [] };
    const primaries = await Promise.all(withDsn.map(async (s) => {
      const conn = connFromConfig(s.replicationDsn as string, `sites[${s.site}].replicationDsn`, env.redactor);
      const server = describeConn(conn);
      try {
        const r = await atSite(s, () => readReplication(conn, { signal: env.signal }));
        return { site: s.site, server, ...r };
      } catch (err) {
        if (err instanceof CollectFailure && err.code === 'TIMEOUT') throw err;
        return { site: s.site, server, error: errorMessage(err), standbys: [] };
      }
    }));
    return { ...base, source: 'sql', primaries };
  },
};

/**
 * Cluster-wide questions, asked once at the front door with the admin token (mattermost.admin.token):
 * `GET /api/v4/cluster/status` (one ClusterInfo per node; empty without HA or licence) and
 * `GET /api/v4/plugins/statuses` (one PluginStatus per plugin per node).
 */
import type { Collector } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import type { ClusterNode, ClusterStatus, PluginStatusEntry, PluginStatuses } from '../../core/mattermost-types.js';
import { parseVersionId } from '../../core/version.js';
import { adminGet } from './http.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** `GET /api/v4/cluster/status` at the front door (admin token). */
    clusterStatus: ClusterStatus;
    /** `GET /api/v4/plugins/statuses` at the front door (admin token). */
    pluginStatuses: PluginStatuses;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

export const clusterStatusCollector: Collector<'clusterStatus'> = {
  key: 'clusterStatus',
  source: 'Mattermost API at the front door: cluster/status (admin token)',
  retries: 2,
  async collect(env) {
    const { data, url, headers } = await adminGet<unknown>(env, '/api/v4/cluster/status');
    if (data === undefined) throw new CollectFailure('BAD_RESPONSE', `${url}/api/v4/cluster/status gave no answer`);
    // A server without HA answers [] (or, on some versions, null).
    if (data !== null && !Array.isArray(data)) throw new CollectFailure('BAD_RESPONSE', `${url}/api/v4/cluster/status did not answer a list`);
    const nodes: ClusterNode[] = (data ?? []).map((n: Record<string, unknown>) => ({
      id: str(n['id']), version: str(n['version']), schema_version: str(n['schema_version']), config_hash: str(n['config_hash']),
      ipaddress: str(n['ipaddress']), hostname: str(n['hostname']),
    }));
    const versionId = headers.get('x-version-id') ?? undefined;
    const licensed = parseVersionId(versionId)?.licensed;
    return env.redactor.redactDeep({ url, nodes, ...(versionId ? { versionId } : {}), ...(licensed !== undefined ? { licensed } : {}) });
  },
};

export const pluginStatusesCollector: Collector<'pluginStatuses'> = {
  key: 'pluginStatuses',
  source: 'Mattermost API at the front door: plugins/statuses (admin token)',
  retries: 2,
  async collect(env) {
    const { data, url, status } = await adminGet<unknown>(env, '/api/v4/plugins/statuses', { factStatuses: [501] });
    // 501: PluginSettings.Enable is false — no plugin runs (app.plugin.disabled.app_error).
    if (status === 501) return { url, statuses: [], pluginsDisabled: true };
    if (data !== null && !Array.isArray(data)) throw new CollectFailure('BAD_RESPONSE', `${url}/api/v4/plugins/statuses did not answer a list`);
    const statuses: PluginStatusEntry[] = (data ?? []).map((s: Record<string, unknown>) => ({
      plugin_id: str(s['plugin_id']), cluster_id: str(s['cluster_id']),
      // The spec says a string enum; the server sends ints (https://github.com/mattermost/mattermost/blob/master/server/public/model/plugin_status.go). Anything else is -1: unknown.
      state: typeof s['state'] === 'number' ? s['state'] : -1,
      ...(typeof s['error'] === 'string' && s['error'] ? { error: s['error'] } : {}),
      ...(typeof s['name'] === 'string' ? { name: s['name'] } : {}),
      version: str(s['version']),
    }));
    return env.redactor.redactDeep({ url, statuses });
  },
};

/**
 * Plugins and cluster: the per-node views an upgrade gate compares. Plugin statuses and cluster
 * status gather one entry per node, each with that node's own state, as a real HA cluster does.
 */
import { json } from '../http.js';
import type { PodServer } from '../pod.js';
import type { Route, RouteContext } from '../router.js';
import { requireAdmin } from '../router.js';
import type { PluginSpec } from '../spec.js';

const manifest = (p: PluginSpec) => ({
  id: p.id,
  name: p.name ?? p.id,
  description: '',
  version: p.version,
  min_server_version: '',
  server: { executables: { 'linux-amd64': 'server/dist/plugin-linux-amd64' } },
  webapp: { bundle_path: `webapp/dist/main.js` },
  settings_schema: {},
});

/** `getPlugins`: this node's manifests, split by whether the plugin runs here. */
function getPlugins(ctx: RouteContext) {
  requireAdmin(ctx, 'manage_system');
  const plugins = ctx.pod.conf.plugins;
  return json(200, { active: plugins.filter((p) => p.state === 2).map(manifest), inactive: plugins.filter((p) => p.state !== 2).map(manifest) });
}

/** Nodes the serving pod can see: all licensed pods when it is clustered, else itself alone. */
function clusterNodes(ctx: RouteContext): readonly PodServer[] {
  // Each Deployment's servers form their own cluster (spec.cluster: a blue/green colour, a canary).
  return ctx.pod.conf.licensed ? ctx.world.pods().filter((p) => p.conf.licensed && p.spec.cluster === ctx.pod.spec.cluster) : [ctx.pod];
}

/** `getPluginStatuses`: one PluginStatus per plugin per node; `state` is an int, `error` is sent. */
function getPluginStatuses(ctx: RouteContext) {
  requireAdmin(ctx, 'manage_system');
  const out = clusterNodes(ctx).flatMap((node) =>
    node.conf.plugins.map((p) => ({
      plugin_id: p.id,
      cluster_id: ctx.pod.conf.licensed ? node.clusterId : '',
      plugin_path: `/mattermost/plugins/${p.id}`,
      state: p.state,
      error: p.error ?? '',
      name: p.name ?? p.id,
      description: '',
      version: p.version,
    })),
  );
  return json(200, out);
}

/** `getClusterStatus`: one ClusterInfo per node; empty without a licence (no cluster). */
function getClusterStatus(ctx: RouteContext) {
  requireAdmin(ctx, 'sysconsole_read_environment_high_availability');
  if (!ctx.pod.conf.licensed) return json(200, []);
  return json(
    200,
    clusterNodes(ctx).map((node) => ({
      id: node.clusterId,
      version: node.conf.version,
      schema_version: node.conf.schemaVersion,
      config_hash: node.conf.configHash,
      ipaddress: node.conf.ip,
      hostname: node.conf.hostname,
    })),
  );
}

export const pluginClusterRoutes: Route[] = [
  { method: 'GET', path: '/api/v4/plugins', handler: 'getPlugins', kind: 'api', session: true, run: getPlugins },
  { method: 'GET', path: '/api/v4/plugins/statuses', handler: 'getPluginStatuses', kind: 'api', session: true, run: getPluginStatuses },
  { method: 'GET', path: '/api/v4/cluster/status', handler: 'getClusterStatus', kind: 'api', session: true, run: getClusterStatus },
];

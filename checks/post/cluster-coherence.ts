/**
 * Prevents promoting an HA cluster whose nodes do not agree: after a rolling upgrade every node in
 * /api/v4/cluster/status must be one of the current pods and report the same version, schema
 * version and config hash. A node left on another version or schema, a stale node that never left
 * the cluster, or a node with a different config (a ConfigMap or env change that reached only some
 * pods) breaks cache invalidation and websocket events between nodes: users on different pods see
 * different data.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { mattermostPods } from '../../core/installation.js';
import { installationRef, nodeIsPod } from '../../core/mattermost.js';
import { outcomeOf } from '../../core/outcome.js';
import type { ClusterNode } from '../../core/mattermost-types.js';
import type { Finding } from '../../core/types.js';

const FIELDS: readonly (keyof ClusterNode & ('version' | 'schema_version' | 'config_hash'))[] = ['version', 'schema_version', 'config_hash'];

export const clusterCoherenceCheck = defineCheck({
  meta: {
    id: 'cluster-coherence',
    phase: 'post',
    title: 'The Mattermost cluster has one node per pod, all on one version, schema and config',
    failureTitle: 'The Mattermost cluster nodes disagree, or do not match the pods',
    description: 'Reads /api/v4/cluster/status at the front door (admin token): one node per Mattermost pod, and every node on the same version, schema_version and config_hash. Disagreeing nodes break cache invalidation and events between pods after an upgrade. An unlicensed or non-HA server reports no nodes: not applicable with one pod, a warning with more.',
    requires: ['clusterStatus', 'pods'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input, ctx) {
    const { nodes, licensed } = input.clusterStatus;
    const appPods = mattermostPods(input.pods, ctx.scope);
    const pods = appPods.map((p) => p.metadata.name).sort();
    const subject = installationRef(ctx.scope);
    if (nodes.length === 0) {
      const why = licensed === false ? 'the server is not licensed' : licensed === true ? 'clustering (ClusterSettings.Enable) is off or the licence has no high availability' : 'the server is unlicensed or clustering is off';
      // Exactly one server has no peers; zero pods is missing input, never not-applicable.
      if (pods.length === 1) return { status: 'not-applicable', reason: `cluster/status lists no nodes (${why}) and there is ${pods.length} Mattermost pod: a single server has no peers to agree with` };
      return outcomeOf({
        fails: [],
        warns: [{
          message: `cluster/status lists no nodes (${why}) while ${pods.length} Mattermost pods run: they do not form a cluster, so caches and events are not shared between them`,
          subject, expected: `${pods.length} cluster nodes`, actual: '0 nodes',
          remediation: 'run a single replica without an HA licence, or apply an Enterprise licence with high availability (the operator sets MM_CLUSTERSETTINGS_ENABLE=true)',
        }],
        summary: `no cluster nodes reported for ${pods.length} pods`,
        measured: { nodes: 0, pods: pods.length },
      });
    }
    const fails: Finding[] = [];
    const hostnames = nodes.map((n) => n.hostname || n.ipaddress || n.id);
    const isPod = nodeIsPod;
    const missing = appPods.filter((p) => !nodes.some((n) => isPod(n, p))).map((p) => p.metadata.name);
    const stale = nodes.filter((n) => !appPods.some((p) => isPod(n, p)));
    if (nodes.length !== pods.length || missing.length > 0 || stale.length > 0) {
      fails.push({
        message: `cluster/status lists ${nodes.length} nodes for ${pods.length} Mattermost pods${missing.length ? `; pods not in the cluster: ${missing.join(', ')}` : ''}${stale.length ? `; nodes that are no current pod: ${stale.map((n) => n.hostname || n.id).join(', ')}` : ''}`,
        subject, expected: `one node per pod: ${pods.join(', ') || '(no pods)'}`, actual: `nodes: ${hostnames.join(', ')}`,
        remediation: 'a pod that is not in the cluster cannot receive cache invalidations (check its logs for cluster/gossip errors and that pods can reach each other on the gossip port 8074); a stale node should leave within a minute of its pod ending',
      });
    }
    const distinct: Record<string, number> = {};
    for (const f of FIELDS) {
      const groups = new Map<string, string[]>();
      for (const n of nodes) groups.set(n[f], [...(groups.get(n[f]) ?? []), n.hostname || n.id]);
      distinct[f] = groups.size;
      if (groups.size > 1) {
        fails.push({
          message: `cluster nodes disagree on ${f}: ${[...groups.entries()].map(([v, hs]) => `${v || '(empty)'} on ${hs.join(', ')}`).join('; ')}`,
          subject, expected: `one ${f} on every node`, actual: [...groups.keys()].map((v) => v || '(empty)').join(', '),
          remediation: f === 'config_hash'
            ? 'the pods run with different configuration: compare their env (kubectl get pods -o yaml) and the config source; restart the odd node after fixing it'
            : `some nodes run another build: finish the rollout (kubectl -n ${ctx.scope.namespace} rollout status deploy/${ctx.scope.installation}) and check every pod's image`,
        });
      }
    }
    return outcomeOf({
      fails,
      summary: `${nodes.length} nodes for ${pods.length} pods; ${distinct['version']} version, ${distinct['schema_version']} schema, ${distinct['config_hash']} config`,
      measured: { nodes: nodes.length, pods: pods.length, versions: distinct['version'] ?? 0, schemaVersions: distinct['schema_version'] ?? 0, configHashes: distinct['config_hash'] ?? 0 },
    });
  },
});

export default clusterCoherenceCheck;

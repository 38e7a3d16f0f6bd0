/**
 * Catches an upgrade that broke the cluster apart: new pods that came up without the licence or
 * with clustering off each run as a separate server, with their own caches and websocket events,
 * while every journey still works. One cluster node per Mattermost pod, and no fewer nodes than
 * preflight saw; an installation that was clustered at preflight must still be.
 */
import { z } from 'zod';
import { fromBaseline } from '../../core/baseline.js';
import { defineCheck } from '../../core/check.js';
import { withoutBaseline } from '../../core/identity.js';
import { mattermostPods } from '../../core/installation.js';
import { installationRef, nodeIsPod } from '../../core/mattermost.js';
import type { ClusterStatus } from '../../core/mattermost-types.js';
import { outcomeOf } from '../../core/outcome.js';
import type { Change, Finding } from '../../core/types.js';

const distinct = (c: ClusterStatus, f: 'version' | 'schema_version' | 'config_hash'): string => [...new Set(c.nodes.map((n) => n[f]))].sort().join(', ') || '(none)';

export const clusterMembershipCheck = defineCheck({
  meta: {
    id: 'cluster-membership',
    phase: 'post',
    title: 'Every Mattermost pod is a member of the cluster, as before the upgrade',
    failureTitle: 'The upgrade left pods outside the cluster, or fewer cluster nodes than before',
    description: 'Compares /api/v4/cluster/status (admin token) with the cluster view preflight recorded (verify --baseline): an installation that was clustered must still be, with one cluster node per Mattermost pod and no fewer nodes than at preflight. Versions, schema versions and config hashes before and after are listed in "what changed".',
    requires: ['clusterStatus', 'pods'],
    baseline: ['clusterStatus'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input, ctx) {
    const subject = installationRef(ctx.scope);
    const base = fromBaseline(input.baseline, 'clusterStatus');
    if (!base.ok) return withoutBaseline(base, 'cluster view', subject);
    const before = base.value;
    const after = input.clusterStatus;
    const pods = mattermostPods(input.pods, ctx.scope);
    const measured = { nodesBefore: before.nodes.length, nodesAfter: after.nodes.length, pods: pods.length };
    const changes: Change[] = [];
    const change = (item: string, b: string, a: string, judged: Change['judged'] = 'info') => { if (b !== a) changes.push({ area: 'cluster', item, before: b, after: a, judged }); };
    if (before.nodes.length === 0 && after.nodes.length === 0) {
      return { status: 'not-applicable', reason: `not clustered at preflight either (cluster/status listed no nodes then and now, ${pods.length} pod(s)): cluster-coherence judges an installation that never formed a cluster`, measured };
    }
    const fails: Finding[] = [];
    const since = base.baseline.collectedAt ? ` (${base.baseline.collectedAt})` : '';
    const remediation = 'Check the new pods\' licence and ClusterSettings.Enable (the operator sets MM_CLUSTERSETTINGS_ENABLE with a licence), their logs for cluster/gossip errors, and that pods reach each other on the gossip port 8074.';
    // A run that judges one side (the idle colour, the canary) sees that side's servers, while
    // preflight counted production's: the count is compared only when the same servers are judged.
    const sameServers = ctx.scope.side !== 'idle' && ctx.scope.side !== 'canary';
    if (sameServers && after.nodes.length < before.nodes.length) {
      fails.push({
        message: after.nodes.length === 0
          ? `The installation is no longer a cluster: cluster/status listed ${before.nodes.length} nodes at preflight and lists none now${after.licensed === false ? ' (the server is not licensed)' : ''}; its ${pods.length} pods run as separate servers`
          : `cluster/status lists ${after.nodes.length} nodes, fewer than the ${before.nodes.length} at preflight`,
        subject, expected: `at least ${before.nodes.length} nodes, as at preflight${since}`, actual: `${after.nodes.length} nodes`, remediation,
      });
    }
    const outside = pods.filter((p) => !after.nodes.some((n) => nodeIsPod(n, p))).map((p) => p.metadata.name);
    if (after.nodes.length > 0 && outside.length > 0) {
      fails.push({ message: `${outside.length} of ${pods.length} Mattermost pods are not cluster nodes: ${outside.join(', ')}`, subject, expected: 'one cluster node per pod', actual: `nodes: ${after.nodes.map((n) => n.hostname || n.id).join(', ')}`, remediation });
    }
    change('nodes', String(before.nodes.length), String(after.nodes.length), fails.length ? 'finding' : 'info');
    change('licensed (X-Version-Id)', String(before.licensed ?? 'unknown'), String(after.licensed ?? 'unknown'), after.licensed === false ? 'finding' : 'info');
    for (const f of ['version', 'schema_version', 'config_hash'] as const) change(f, distinct(before, f), distinct(after, f));
    return outcomeOf({ fails, changes, measured, summary: `${after.nodes.length} cluster nodes for ${pods.length} pods (${before.nodes.length} at preflight)` });
  },
});

export default clusterMembershipCheck;

/**
 * Prevents promoting servers that answer but cannot work: after an upgrade a pod can be Ready
 * (the probe only needs ping to answer) while its database connection or file store is broken —
 * a migration that left the schema unusable, a file store credential the new version reads
 * differently. Each pod's own ping with get_server_status must say status, database_status and
 * filestore_status OK; a 500 answer (servers that ignore use_rest_semantics) is UNHEALTHY too. A
 * pod that cannot be asked fails closed as `error` (with the call's code), not as unhealthy.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { describeCallError, installationRef } from '../../core/mattermost.js';
import { outcomeOf, type NotLooked } from '../../core/outcome.js';
import type { Finding } from '../../core/types.js';

const FIELDS = [['status', 'status'], ['databaseStatus', 'database_status'], ['filestoreStatus', 'filestore_status']] as const;

export const serverHealthCheck = defineCheck({
  meta: {
    id: 'server-health',
    phase: 'post',
    title: 'Every Mattermost server reports itself, its database and its file store healthy',
    failureTitle: 'Some Mattermost servers report an unhealthy status, database or file store',
    description: 'Asks each Mattermost pod, through the Kubernetes pod proxy, for system/ping?get_server_status=true: status, database_status and filestore_status must be OK on every pod. A pod can pass its readiness probe while its database or file store is broken.',
    requires: ['serverPings'],
    recommended: 'error',
  },
  options: z.strictObject({
    maxLatencyMs: z.number().int().positive().optional().describe('Fail a pod whose ping took longer than this (default: no limit).'),
  }),
  evaluate(input, ctx) {
    const pods = input.serverPings.pods;
    const fails: Finding[] = [];
    const errors: NotLooked[] = [];
    if (pods.length === 0) {
      fails.push({ message: `no Mattermost pods of installation ${ctx.scope.installation} to ask`, subject: installationRef(ctx.scope), expected: 'every pod healthy', actual: 'no pods', remediation: `kubectl -n ${ctx.scope.namespace} get pods -l app=mattermost` });
    }
    let healthy = 0;
    let maxMs = 0;
    for (const p of pods) {
      const subject = { kind: 'Pod', namespace: p.namespace, name: p.pod };
      const logs = `kubectl -n ${p.namespace} logs ${p.pod} -c mattermost | grep -E '"level":"(error|fatal)"'`;
      if (p.latencyMs !== undefined) maxMs = Math.max(maxMs, p.latencyMs);
      // No answer, or an answer that is not the ping's (the proxy's own error, a body that is not
      // JSON): nothing is known about this server, so it is `error`, not unhealthy.
      if (p.httpStatus === undefined || p.error?.code === 'BAD_RESPONSE') {
        const code = p.error?.code ?? 'NO_ANSWER';
        errors.push({
          code, message: `pod ${p.pod} could not be asked: ${describeCallError(p.error)}`, subject, expected: 'an answer from system/ping', actual: code,
          remediation: p.error?.code === 'FORBIDDEN' ? 'grant mmgate "get" on pods/proxy in the namespace (docs/rbac.yaml)' : `kubectl -n ${p.namespace} describe pod ${p.pod}`,
          ...(p.bodyExcerpt ? { evidence: [p.bodyExcerpt] } : {}),
        });
        continue;
      }
      const bad = FIELDS.filter(([k]) => p[k] !== 'OK');
      if (p.httpStatus !== 200 || bad.length > 0) {
        const actual = FIELDS.map(([k, wire]) => `${wire}=${p[k] ?? (p.httpStatus === 500 && k === 'status' ? 'UNHEALTHY' : 'missing')}`).join(', ');
        const which = bad.map(([, wire]) => wire);
        fails.push({
          message: `pod ${p.pod} is unhealthy${p.httpStatus !== 200 ? ` (HTTP ${p.httpStatus})` : ''}: ${which.length ? which.join(', ') : 'status'} not OK`,
          subject, expected: 'status=OK, database_status=OK, filestore_status=OK (HTTP 200)', actual,
          remediation: which.includes('database_status')
            ? `the server cannot write to its database: check the database is up and reachable, and the migration finished (${logs})`
            : which.includes('filestore_status')
              ? `the server cannot reach its file store: check the file store settings, bucket and credentials (${logs})`
              : `the server reports itself unhealthy (goroutine threshold, or a failed dependency): ${logs}`,
          ...(p.bodyExcerpt ? { evidence: [p.bodyExcerpt] } : {}),
        });
        continue;
      }
      // No limit is an infinite one; a ping without a measured time is under any.
      const limitMs = ctx.options.maxLatencyMs ?? Infinity;
      if ((p.latencyMs ?? 0) > limitMs) {
        fails.push({ message: `pod ${p.pod} took ${p.latencyMs} ms to answer ping`, subject, expected: `≤ ${limitMs} ms`, actual: `${p.latencyMs} ms`, remediation: `the server is slow: check its CPU and database latency (${logs})` });
        continue;
      }
      healthy++;
    }
    return outcomeOf({
      fails, errors,
      summary: `${healthy}/${pods.length} servers healthy${errors.length ? `, ${errors.length} could not be asked` : ''}`,
      measured: { servers: pods.length, healthyServers: healthy, maxPingMs: maxMs },
    });
  },
});

export default serverHealthCheck;

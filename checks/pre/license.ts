/**
 * Prevents starting an upgrade the licence cannot carry: an HA installation (more than one
 * replica, here or at any site) runs as one cluster only with a licence that covers clustering;
 * without it every pod is a separate server with its own caches and websocket events. A licence
 * that expires during the change window, or that has fewer seats than active users, turns the
 * upgrade night into a licence incident. Also records what verify compares with: the licence,
 * the cluster view, the plugin set and the effective configuration (the baseline).
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { duration } from '../../core/config/schema.js';
import { parseDuration } from '../../core/duration.js';
import { installationRef } from '../../core/mattermost.js';
import { mattermostPods } from '../../core/installation.js';
import { outcomeOf, type NotLooked } from '../../core/outcome.js';
import { present, type Finding } from '../../core/types.js';

/** The checks that read Mattermost's own metrics, which only a licence with the Metrics feature exposes (docs/metrics.md). */
const METRICS_CHECKS = ['metrics-health', 'error-rate', 'api-latency'] as const;

const days = (ms: number): string => `${(ms / 86_400_000).toFixed(1)} days`;

export const licenseCheck = defineCheck({
  meta: {
    id: 'license',
    phase: 'pre',
    title: 'The licence covers the installation through the upgrade',
    failureTitle: 'The licence does not cover the installation through the upgrade',
    description: 'Reads /api/v4/license/client?format=old with the admin token (the full client licence: expiry, seats, features). With more than one replica (or a site with more than one) the server must be licensed and the licence must cover clustering, and metrics when requireMetrics is on (auto, the default: while metrics-health, error-rate or api-latency is on); it must not expire within expiryMargin, and active users must stay below the licensed seats. The licence, /api/v4/cluster/status, /api/v4/plugins/statuses and /api/v4/config (masked) that license-unchanged, cluster-membership, plugin-changes and config-changes compare with are recorded at preflight whenever those checks are on, with this check on or off.',
    requires: ['license', 'pods'],
    // Read only to count the replicas that need HA (here and at each site). What verify compares with, its checks declare (meta.baseline).
    optional: ['installation', 'siteInstallations'],
    recommended: 'error',
  },
  options: z.strictObject({
    expiryMargin: duration.default('14d').describe('The licence must not expire sooner than this from now.'),
    requireMetrics: z.union([z.boolean(), z.literal('auto')]).default('auto').describe(`The licence must cover performance metrics: true, false, or auto (required when one of ${METRICS_CHECKS.join(', ')} is on — without the feature /metrics exposes no Mattermost metrics and those checks cannot judge).`),
  }),
  evaluate(input, ctx) {
    const l = input.license;
    const subject = installationRef(ctx.scope);
    const cr = present(input.installation);
    const replicas = Math.max(cr?.spec?.replicas ?? 0, mattermostPods(input.pods, ctx.scope).length);
    const haSites = (present(input.siteInstallations) ?? []).filter((s) => (s.replicas ?? 0) > 1).map((s) => s.site);
    const needsHa = replicas > 1 || haSites.length > 0;
    const why = replicas > 1 ? `${replicas} replicas` : `sites with more than one replica: ${haSites.join(', ')}`;
    const measured = { licensed: l.isLicensed, replicas, ...(l.skuShortName ? { sku: l.skuShortName } : {}), ...(l.expiresAt ? { expiresAt: l.expiresAt } : {}), ...(l.users !== undefined ? { seats: l.users } : {}), ...(l.activeUsers !== undefined ? { activeUsers: l.activeUsers } : {}) };
    if (!l.isLicensed) {
      if (!needsHa) return { status: 'not-applicable', reason: `the server is not licensed and runs ${replicas} replica: a single server needs no licence`, measured };
      return outcomeOf({ fails: [{
        message: `The server is not licensed, but the installation runs ${why}: the pods cannot form a cluster`, subject,
        expected: 'a licence with high availability (Cluster)', actual: 'IsLicensed false',
        remediation: 'Apply the Enterprise licence before the upgrade (the operator mounts spec.licenseSecret), or run a single replica.',
      }], measured });
    }
    const fails: Finding[] = [];
    if (needsHa && l.cluster !== true) {
      fails.push({ message: `The licence does not cover clustering, but the installation runs ${why}`, subject, expected: 'Cluster true', actual: `Cluster ${String(l.cluster ?? 'unknown')}`, remediation: 'Apply a licence with high availability (Enterprise), or run a single replica.' });
    }
    const metricsOn = METRICS_CHECKS.filter((id) => ctx.checksOn?.has(id));
    if ((ctx.options.requireMetrics === true || (ctx.options.requireMetrics === 'auto' && metricsOn.length > 0)) && l.metrics !== true) {
      fails.push({
        message: `The licence does not cover performance metrics, which ${metricsOn.length ? metricsOn.join(', ') : 'the metrics checks'} need`, subject, expected: 'Metrics true', actual: `Metrics ${String(l.metrics ?? 'unknown')}`,
        remediation: 'Apply a licence with performance monitoring; or, knowingly, turn the metrics checks off (docs/metrics.md) or set requireMetrics: false.',
      });
    }
    // What the token may not read was not looked at: error, never a licence found wrong.
    const errors: NotLooked[] = [];
    const margin = parseDuration(ctx.options.expiryMargin);
    if (!l.expiresAt) {
      errors.push({ code: 'SANITIZED_LICENSE', message: 'The licence expiry could not be read: the server gave the sanitized licence', subject, expected: 'ExpiresAt in /api/v4/license/client', actual: 'no ExpiresAt', remediation: 'Give mattermost.admin.token a system admin\'s token (read_license_information), so the expiry can be checked.' });
    } else {
      const left = Date.parse(l.expiresAt) - ctx.now.getTime();
      if (left < margin) {
        fails.push({
          message: left <= 0 ? `The licence expired on ${l.expiresAt}` : `The licence expires on ${l.expiresAt}, in ${days(left)}: within the margin of ${ctx.options.expiryMargin}`, subject,
          expected: `expiry after ${new Date(ctx.now.getTime() + margin).toISOString()} (now + ${ctx.options.expiryMargin})`, actual: l.expiresAt,
          remediation: 'Renew the licence and apply it before the upgrade (System Console → Edition and License, or the licence Secret), or raise expiryMargin knowingly.',
        });
      }
    }
    if (l.users !== undefined && l.users > 0) {
      if (l.activeUsers === undefined) {
        errors.push({ code: 'NOT_COUNTED', message: `Active users could not be counted, so the ${l.users} licensed seats cannot be checked`, subject, expected: `fewer than ${l.users} active users`, actual: l.activeUsersError ?? 'no count', remediation: 'Give mattermost.admin.token a system admin\'s token (get_analytics).' });
      } else if (l.activeUsers >= l.users) {
        fails.push({ message: `${l.activeUsers} active users for ${l.users} licensed seats`, subject, expected: `fewer than ${l.users} active users`, actual: `${l.activeUsers} active users`, remediation: 'Add seats to the licence (true-up) or deactivate users before the upgrade.' });
      }
    }
    return outcomeOf({ fails, errors, measured, summary: `licensed (${l.skuShortName ?? 'unknown SKU'})${l.expiresAt ? `, expires ${l.expiresAt.slice(0, 10)}` : ''}${l.users ? `, ${l.activeUsers ?? '?'} of ${l.users} seats` : ''}${needsHa ? `, clustering needed (${why})` : ''}` });
  },
});

export default licenseCheck;

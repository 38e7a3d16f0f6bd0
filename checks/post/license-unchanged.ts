/**
 * Catches an upgrade that lost the licence: new pods that came up without the licence file (a
 * Secret not mounted, a licence that does not cover the new version) serve every journey, but as
 * separate unlicensed servers, without clustering and metrics. The licence at verify is compared
 * with the one preflight recorded: licensed, clustering and metrics must not be lost.
 */
import { z } from 'zod';
import { fromBaseline } from '../../core/baseline.js';
import { defineCheck } from '../../core/check.js';
import { withoutBaseline, type LicenseView } from '../../core/identity.js';
import { installationRef } from '../../core/mattermost.js';
import { outcomeOf } from '../../core/outcome.js';
import type { Change, Finding } from '../../core/types.js';

const FIELDS: readonly [keyof LicenseView, string][] = [['isLicensed', 'IsLicensed'], ['cluster', 'Cluster'], ['metrics', 'Metrics'], ['skuShortName', 'SkuShortName'], ['users', 'Users'], ['expiresAt', 'ExpiresAt']];
const text = (v: unknown): string => (v === undefined ? '(none)' : String(v));

export const licenseUnchangedCheck = defineCheck({
  meta: {
    id: 'license-unchanged',
    phase: 'post',
    title: 'The licence is as it was before the upgrade',
    failureTitle: 'The upgrade lost the licence, clustering or metrics',
    description: 'Compares /api/v4/license/client?format=old (admin token) with the licence preflight recorded (verify --baseline): a server that was licensed must still be, and a licence that covered clustering or metrics must still cover them. Other differences (SKU, seats, expiry) are listed in "what changed".',
    requires: ['license'],
    baseline: ['license'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input, ctx) {
    const subject = installationRef(ctx.scope);
    const base = fromBaseline(input.baseline, 'license');
    if (!base.ok) return withoutBaseline(base, 'licence', subject);
    const before = base.value;
    const after = input.license;
    const fails: Finding[] = [];
    const lostKeys = new Set<string>();
    const lost = (what: string, k: 'isLicensed' | 'cluster' | 'metrics', name: string) => {
      lostKeys.add(name);
      fails.push({
        message: `The upgrade lost ${what}: at preflight ${name} was true, now it is ${text(after[k])}`, subject,
        expected: `${name} true, as at preflight${base.baseline.collectedAt ? ` (${base.baseline.collectedAt})` : ''}`, actual: `${name} ${text(after[k])}`,
        remediation: 'Check that the new pods mount the licence (the Mattermost resource\'s licenseSecret, MM_SERVICESETTINGS_LICENSEFILELOCATION) and that the licence covers the new version; re-apply it, then restart the pods.',
      });
    };
    if (before.isLicensed && !after.isLicensed) lost('the licence', 'isLicensed', 'IsLicensed');
    if (before.cluster === true && after.cluster !== true) lost('clustering (high availability)', 'cluster', 'Cluster');
    if (before.metrics === true && after.metrics !== true) lost('performance metrics', 'metrics', 'Metrics');
    const changes: Change[] = FIELDS.filter(([k]) => before[k] !== after[k]).map(([k, name]) => ({
      area: 'license', item: name, before: text(before[k]), after: text(after[k]), judged: lostKeys.has(name) ? 'finding' : 'info',
    }));
    return outcomeOf({
      fails, changes,
      summary: changes.length ? `${changes.length} licence field(s) changed since preflight` : 'the licence is unchanged since preflight',
      measured: { licensedBefore: before.isLicensed, licensedAfter: after.isLicensed, changes: changes.length },
    });
  },
});

export default licenseUnchangedCheck;

/**
 * After one site's upgrade: the sites that were not upgraded were left untouched — still found,
 * stable, and on the version they ran at preflight. A "one site at a time" upgrade that reached
 * another site (a shared GitOps path, a wrong context) has no healthy site left to fall back on.
 */
import { z } from 'zod';
import { fromBaseline } from '../../core/baseline.js';
import { defineCheck } from '../../core/check.js';
import { outcomeOf, type NotLooked } from '../../core/outcome.js';
import type { Finding } from '../../core/types.js';

export const siteIsolation = defineCheck({
  meta: {
    id: 'site-isolation',
    phase: 'post',
    title: 'The sites not upgraded were left untouched',
    failureTitle: 'A site that was not to be upgraded changed',
    description: 'One site at a time means the others keep serving on their version: a change that reached another site during this site\'s upgrade removes the fallback. Each other site must be stable, on the version it ran at preflight (--baseline) and not mid-change.',
    requires: ['siteStates'],
    // Declared, so preflight records it and verify keeps it (an undeclared key is not in input.baseline).
    baseline: ['siteStates'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input, { scope }) {
    if (!scope.site) return { status: 'not-applicable', reason: 'not a site-by-site run (--site NAME)' };
    const base = fromBaseline(input.baseline, 'siteStates');
    const before = new Map((base.ok ? base.value : []).map((s) => [s.site, s]));
    const fails: Finding[] = [];
    const errors: NotLooked[] = [];
    for (const o of input.siteStates.filter((s) => s.site !== scope.site)) {
      const was = before.get(o.site)?.specVersion;
      const subject = { kind: 'Mattermost', namespace: o.namespace, name: `${o.installation} (site ${o.site})` };
      // A site that could not be read was not looked at: error, not a site found changed.
      if (o.error) {
        errors.push({ code: 'SITE_UNREADABLE', message: `site ${o.site} could not be read: ${o.error}`, subject, expected: `untouched${was ? ` on ${was}` : ''}, stable`, actual: `could not be read: ${o.error}`, remediation: `make site ${o.site} readable (kubectl --context ${o.context} -n ${o.namespace} get mattermost ${o.installation}; the kubeconfig context and RBAC of sites[])` });
        continue;
      }
      const why = !o.found ? 'has no Mattermost CR'
        : was && o.specVersion !== was ? `spec.version changed from ${was} to ${o.specVersion ?? 'unset'}`
          : o.state !== 'stable' ? `is ${o.state ?? 'without a state'}, not stable` : undefined;
      if (why) fails.push({ message: `site ${o.site} ${why}`, subject, expected: `untouched${was ? ` on ${was}` : ''}, stable`, actual: why, remediation: `find what changed site ${o.site} (kubectl --context ${o.context} -n ${o.namespace} get mattermost ${o.installation} -o yaml) and put it back before the next site` });
    }
    return outcomeOf({ fails, errors, summary: `${input.siteStates.length - 1} other site(s) checked${base.ok ? ' against the preflight baseline' : ` for state only, not against preflight's versions: ${base.reason}`}`, measured: { otherSites: input.siteStates.length - 1 } });
  },
});

export default siteIsolation;

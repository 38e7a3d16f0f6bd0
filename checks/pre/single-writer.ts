/**
 * Prevents split-brain during an active/passive (or active/active with one writer) upgrade:
 * exactly one site may write to the database. If none is declared active, nobody knows which
 * site to upgrade first and which database is the source of truth; if two are, both run
 * migrations or write during the switch. The declared roles (sites[].active) must name exactly
 * one writer, and each cluster must say the same with the mmgate.io/role annotation (or label)
 * on its Mattermost CR: `active` or `passive`.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { ROLE_KEY } from '../../core/config/site-sections.js';
import type { Finding } from '../../core/types.js';

export const singleWriter = defineCheck({
  meta: {
    id: 'single-writer',
    phase: 'pre',
    title: 'Exactly one site is the active writer',
    failureTitle: 'The active writer is not unique',
    description: `With two or more sites, exactly one may write: zero writers leaves no source of truth for the upgrade, two mean both write (or migrate) at once. Exactly one sites[] entry must be declared active: true, and each site's Mattermost CR must agree through its ${ROLE_KEY} annotation (or label): active | passive.`,
    requires: ['siteInstallations'],
    recommended: 'error',
  },
  options: z.strictObject({
    requireRoleMarker: z.boolean().default(true).describe(`Fail when a site's CR has no ${ROLE_KEY} annotation or label to cross-check the declared role with.`),
  }),
  evaluate(input, ctx) {
    const sites = input.siteInstallations;
    if (sites.length < 2) return { status: 'not-applicable', reason: `${sites.length} site(s) configured: a single writer matters with two or more sites (sites[])` };
    const findings: Finding[] = [];
    const declared = sites.filter((s) => s.declaredActive === true);
    if (declared.length !== 1) {
      findings.push({
        message: declared.length === 0 ? 'No site is declared the active writer' : `${declared.length} sites are declared active writers: ${declared.map((s) => s.site).join(', ')}`,
        subject: { kind: 'Config', name: 'sites' }, expected: 'exactly one sites[] entry with active: true', actual: declared.length ? declared.map((s) => s.site).join(', ') : 'none',
        remediation: 'Set active: true on the one site that writes to the database and active: false on the others.',
      });
    }
    const clusterActive: string[] = [];
    for (const s of sites) {
      const subject = { kind: 'Mattermost', namespace: s.namespace, name: s.installation };
      if (!s.found) {
        findings.push({
          message: `Site ${s.site} has no Mattermost ${s.namespace}/${s.installation}`, subject, expected: 'the installation exists', actual: 'not found',
          remediation: `Fix sites[${s.site}].namespace/installation, or kube.namespace/installation.`,
        });
        continue;
      }
      const role = s.role?.trim().toLowerCase();
      if (role === 'active') clusterActive.push(s.site);
      if (role === undefined) {
        if (ctx.options.requireRoleMarker) {
          findings.push({
            message: `Site ${s.site}'s Mattermost CR does not say its role`, subject,
            expected: `${ROLE_KEY}: ${s.declaredActive ? 'active' : 'passive'}`, actual: 'no annotation or label',
            remediation: `kubectl --context ${s.context} -n ${s.namespace} annotate mattermost ${s.installation} ${ROLE_KEY}=${s.declaredActive ? 'active' : 'passive'}`,
          });
        }
        continue;
      }
      if (role !== 'active' && role !== 'passive') {
        findings.push({
          message: `Site ${s.site}'s ${ROLE_KEY} is "${s.role}"`, subject, expected: 'active or passive', actual: s.role ?? '',
          remediation: `Set ${ROLE_KEY} to active or passive on ${s.site}'s Mattermost CR.`,
        });
        continue;
      }
      const declaredRole = s.declaredActive ? 'active' : 'passive';
      if (role !== declaredRole) {
        findings.push({
          message: `Site ${s.site} is declared ${declaredRole} but its cluster says ${role}`, subject,
          expected: `${ROLE_KEY}: ${declaredRole} (sites[].active: ${s.declaredActive === true})`, actual: `${ROLE_KEY}: ${role}`,
          remediation: `Find out which site really writes, then make sites[${s.site}].active and the ${ROLE_KEY} annotation agree.`,
        });
      }
    }
    if (clusterActive.length > 1) {
      findings.push({
        message: `${clusterActive.length} clusters say they are the active writer: ${clusterActive.join(', ')}`,
        subject: { kind: 'Config', name: 'sites' }, expected: `one site with ${ROLE_KEY}: active`, actual: clusterActive.join(', '),
        remediation: 'Two writers risk split-brain: make one site passive (stop its writes) before upgrading.',
      });
    }
    const measured = { sites: sites.length, declaredActive: declared.length, clusterActive: clusterActive.length };
    if (findings.length) return { status: 'fail', findings, measured };
    return { status: 'pass', summary: `${declared[0]?.site} is the only writer`, measured };
  },
});

export default singleWriter;

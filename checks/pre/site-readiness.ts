/**
 * Before one site of an active/active installation is upgraded (`--site NAME`): it must not be
 * the writer, it must be drained (read from the source sites[].drain declares — a CR
 * annotation, or a PromQL request rate; "not checked" otherwise, said as a warning), and every
 * other site must be found, stable and on the version it runs (untouched).
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { outcomeOf, type NotLooked } from '../../core/outcome.js';
import type { Finding } from '../../core/types.js';

export const siteReadiness = defineCheck({
  meta: {
    id: 'site-readiness',
    phase: 'pre',
    title: 'The site to upgrade is drained and not the writer; the other sites are healthy and untouched',
    failureTitle: 'The site to upgrade is not ready, or another site is not healthy',
    description: 'Active/active sites are upgraded one at a time with traffic and writes away from the site being upgraded. Upgrading the writer, or a site still taking traffic, or while another site is unhealthy or mid-change, takes users down with nowhere to go.',
    requires: ['siteStates'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate({ siteStates }, { scope, target }) {
    if (!scope.site) return { status: 'not-applicable', reason: 'not a site-by-site run (--site NAME)' };
    const me = siteStates.find((s) => s.site === scope.site);
    const subject = (s: { site: string; namespace: string; installation: string }) => ({ kind: 'Mattermost', namespace: s.namespace, name: `${s.installation} (site ${s.site})` });
    if (!me) return outcomeOf({ fails: [{ message: `site ${scope.site} is not among the sites read`, subject: { kind: 'Config', name: 'sites' }, expected: scope.site, actual: siteStates.map((s) => s.site).join(', ') || 'none', remediation: 'add it to sites[]' }] });
    const fails: Finding[] = [];
    const warns: Finding[] = [];
    if (me.role === 'active' || me.declaredActive) {
      fails.push({ message: `site ${me.site} is the writer (${me.role === 'active' ? 'its CR says mmgate.io/role: active' : 'sites[].active is true'}): move writes to another site first`, subject: subject(me), expected: 'a passive site', actual: 'the writer', remediation: 'fail the writer role over to another site (single-writer names who writes), then upgrade this one' });
    }
    if (me.drain.source === 'none') {
      warns.push({ message: `site ${me.site}: drain not checked — ${me.drain.detail}`, subject: subject(me), expected: 'a drain source: sites[].drain.annotation or .query', actual: 'none declared', remediation: 'declare where your traffic manager records the drain, so the gate reads it instead of trusting the runbook' });
    } else if (!me.drain.drained) {
      fails.push({ message: `site ${me.site} still takes traffic: ${me.drain.detail}`, subject: subject(me), expected: 'drained', actual: me.drain.value ?? 'unset', remediation: 'drain the site in the global load balancer, wait for its request rate to fall, then run preflight again' });
    }
    const errors: NotLooked[] = [];
    for (const o of siteStates.filter((s) => s.site !== me.site)) {
      // A site that could not be read was not looked at: error, not a site found unready.
      if (o.error) {
        errors.push({ code: 'SITE_UNREADABLE', message: `site ${o.site} could not be read: ${o.error}`, subject: subject(o), expected: 'found, stable, on its current version', actual: `could not be read: ${o.error}`, remediation: `make site ${o.site} readable (kubectl --context ${o.context} -n ${o.namespace} get mattermost ${o.installation}; the kubeconfig context and RBAC of sites[])` });
        continue;
      }
      const why = !o.found ? 'has no Mattermost CR' : o.state !== 'stable' ? `is ${o.state ?? 'without a state'}, not stable` : o.statusVersion && o.specVersion && o.statusVersion !== o.specVersion ? `is mid-change (spec ${o.specVersion}, status ${o.statusVersion})` : undefined;
      if (why) fails.push({ message: `site ${o.site} ${why}: it must carry the traffic while ${me.site} upgrades`, subject: subject(o), expected: 'found, stable, on its current version', actual: why, remediation: `fix site ${o.site} first (kubectl --context ${o.context} -n ${o.namespace} describe mattermost ${o.installation})` });
    }
    return outcomeOf({ fails, errors, warns, summary: `site ${me.site}: ${me.role ?? (me.declaredActive ? 'active' : 'passive')}, drain ${me.drain.detail}; ${siteStates.length - 1} other site(s) judged; target ${target.version ?? target.image ?? '?'}`, measured: { site: me.site, drainSource: me.drain.source, drained: me.drain.drained ?? false, otherSites: siteStates.length - 1 } });
  },
});

export default siteReadiness;

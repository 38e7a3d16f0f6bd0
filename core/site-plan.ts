/**
 * `mmgate plan`: the order of a site-by-site upgrade and the commands of each step, from config
 * alone (pure). Passive sites go first, in the order sites[] lists them; the writer goes last,
 * after its writes have moved to an upgraded site (HA guide, step 3).
 */
import type { MmgateConfig } from './config/schema.js';

export function sitePlan(config: MmgateConfig, opts: { configFlag?: string; reportDir?: string } = {}): string[] {
  const sites = config.sites ?? [];
  if (sites.length < 2) return ['mmgate plan: sites[] lists fewer than two sites — upgrade in place (mmgate preflight, watch, verify) or add sites[].'];
  const ordered = [...sites.filter((s) => !s.active), ...sites.filter((s) => s.active)];
  const c = opts.configFlag ? ` -c ${opts.configFlag}` : '';
  const target = config.target?.version ?? '<target version>';
  const out = [`Site-by-site upgrade to ${target}: ${ordered.map((s) => s.name).join(' → ')} (the writer last)`];
  ordered.forEach((s, i) => {
    const reports = `${opts.reportDir ?? config.reports.dir}/${s.name}`;
    const ns = s.namespace ?? config.kube.namespace;
    const name = s.installation ?? config.kube.installation;
    const drain = s.drain?.annotation ? `annotation ${s.drain.annotation}` : s.drain?.query ? 'its PromQL request rate' : 'not checked (declare sites[].drain)';
    out.push('', `Step ${i + 1} — site ${s.name} (context ${s.context}${s.active ? ', the writer: move writes to an upgraded site first' : ''}; drain: ${drain})`);
    out.push(`  mmgate preflight${c} --site ${s.name} --report-dir ${reports}`);
    out.push(`  kubectl --context ${s.context} -n ${ns} patch mattermost ${name} --type merge -p '{"spec":{"version":"${target}"}}'`);
    out.push(`  mmgate watch${c} --site ${s.name} --report-dir ${reports}`);
    out.push(`  mmgate verify${c} --site ${s.name} --report-dir ${reports} --baseline ${reports}/preflight.snapshot.json`);
    out.push(`  # then put site ${s.name} back into the load balancer before the next step`);
  });
  return out;
}

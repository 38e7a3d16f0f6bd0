/**
 * Each site's state for a site-by-site upgrade (`--site NAME`): its CR's role, versions and
 * state, and whether it is drained, read from the source the config declares (sites[].drain: a CR
 * annotation, or a PromQL request rate) — never guessed; without one it is "not checked".
 */
import type { Collector, CollectEnv } from '../../core/collector.js';
import { ROLE_KEY } from '../../core/config/site-sections.js';
import { errorMessage } from '../../core/errors.js';
import type { SiteDrain, SiteState } from '../../core/site-types.js';
import { configuredSites, getInstallation } from '../drift/targets.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** Each sites[] entry's CR (role, versions, state) and drain; empty without sites. */
    siteStates: SiteState[];
  }
}

const DRAINED = new Set(['true', 'drained', 'yes']);

async function promRate(env: CollectEnv, query: string): Promise<number> {
  const base = env.config.prometheus?.url;
  if (!base) throw new Error('sites[].drain.query needs prometheus.url');
  const res = await fetch(`${base.replace(/\/+$/, '')}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.any([env.signal, AbortSignal.timeout(15_000)]) });
  const body = await res.json() as { status?: string; data?: { result?: { value?: [number, string] }[] } };
  if (!res.ok || body.status !== 'success') throw new Error(`Prometheus answered ${res.status} to the drain query`);
  return (body.data?.result ?? []).reduce((n, r) => n + Number(r.value?.[1] ?? 0), 0);
}

export const siteStatesCollector: Collector<'siteStates'> = {
  key: 'siteStates', source: 'Kubernetes API of each site (its CR), and the drain source each site declares', retries: 1,
  async collect(env) {
    const declared = new Map((env.config.sites ?? []).map((s) => [s.name, s.drain]));
    return Promise.all(configuredSites(env).map(async (t): Promise<SiteState> => {
      const base = { site: t.site, context: t.context, namespace: t.namespace, installation: t.installation, ...(t.declaredActive !== undefined ? { declaredActive: t.declaredActive } : {}) };
      try {
        const cr = await getInstallation(t);
        const d = declared.get(t.site);
        let drain: SiteDrain = { source: 'none', detail: 'not checked: sites[].drain declares no source (a CR annotation or a PromQL request rate)' };
        if (d?.annotation) {
          const v = cr?.metadata.annotations?.[d.annotation] ?? cr?.metadata.labels?.[d.annotation];
          drain = { source: 'annotation', drained: v !== undefined && DRAINED.has(v.toLowerCase()), ...(v !== undefined ? { value: v } : {}), detail: `annotation ${d.annotation}=${v ?? '(unset)'}` };
        } else if (d?.query) {
          const rate = await promRate(env, d.query);
          drain = { source: 'prometheus', drained: rate <= d.maxRequestRate, value: String(rate), detail: `${rate.toFixed(2)} requests/s by ${d.query} (drained at ≤ ${d.maxRequestRate})` };
        }
        const role = cr?.metadata.annotations?.[ROLE_KEY] ?? cr?.metadata.labels?.[ROLE_KEY];
        return {
          ...base, found: cr !== undefined, drain, ...(role ? { role } : {}),
          ...(cr?.spec?.version ? { specVersion: cr.spec.version } : {}), ...(cr?.status?.version ? { statusVersion: cr.status.version } : {}), ...(cr?.status?.state ? { state: cr.status.state } : {}),
        };
      } catch (err) {
        return { ...base, found: false, drain: { source: 'none', detail: 'the site could not be read' }, error: errorMessage(err) };
      }
    }));
  },
};

/**
 * The sites mmgate looks at: the main kube context, and each `sites[]` entry (its own context
 * and kubeconfig), with the clients to reach them.
 */
import type { CollectEnv } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import type { SiteRef } from '../../core/drift-types.js';
import type { MattermostCR } from '../../core/kube-types.js';
import { parseDuration } from '../../core/duration.js';
import { errorMessage } from '../../core/errors.js';
import { kubeClient, kubeClientFor, type KubeClient } from '../kube/client.js';

export interface SiteTarget extends SiteRef {
  readonly declaredActive?: boolean;
  readonly replicationDsn?: string;
  client(): Promise<KubeClient>;
}

/** Each sites[] entry, defaults filled from kube.* and the run's scope. */
export function configuredSites(env: CollectEnv): SiteTarget[] {
  const timeoutMs = parseDuration(env.config.kube.requestTimeout);
  return (env.config.sites ?? []).map((s) => ({
    site: s.name, context: s.context,
    namespace: s.namespace ?? env.scope.namespace,
    installation: s.installation ?? env.scope.installation,
    ...(s.active !== undefined ? { declaredActive: s.active } : {}),
    ...(s.replicationDsn ? { replicationDsn: s.replicationDsn } : {}),
    client: () => kubeClientFor(env, { kubeconfig: s.kubeconfig ?? env.config.kube.kubeconfig, context: s.context, timeoutMs }),
  }));
}

/**
 * The main context first (the reference drift is measured from), then the other sites. When
 * the main context, namespace and installation are one of the sites, that site takes its place.
 */
export async function driftTargets(env: CollectEnv): Promise<SiteTarget[]> {
  const main = await kubeClient(env);
  const sites = configuredSites(env);
  const same = sites.find((s) => s.context === main.context && s.namespace === env.scope.namespace && s.installation === env.scope.installation);
  const first: SiteTarget = same ?? { site: 'main', context: main.context, namespace: env.scope.namespace, installation: env.scope.installation, client: async () => main };
  return [first, ...sites.filter((s) => s !== same)];
}

export const crPath = (namespace: string, name: string): string =>
  `/apis/installation.mattermost.com/v1beta1/namespaces/${encodeURIComponent(namespace)}/mattermosts/${encodeURIComponent(name)}`;

/** Runs `fn` for a site and names the site in any failure. */
export async function atSite<T>(t: SiteRef, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const code = err instanceof CollectFailure ? err.code : 'FAILED';
    throw new CollectFailure(code, `site ${t.site} (context ${t.context}): ${errorMessage(err)}`, err instanceof CollectFailure && err.transient);
  }
}

export async function getInstallation(t: SiteTarget): Promise<MattermostCR | undefined> {
  return (await t.client()).get<MattermostCR>(crPath(t.namespace, t.installation));
}

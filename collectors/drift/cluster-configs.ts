/**
 * Configuration of every site, and the desired state from git, for config-drift: each site's
 * Mattermost CR spec (mattermostEnv included), the ConfigMaps and Secrets named in drift.*, and
 * the user-supplied values of the newest Helm release; drift.desired.values and .manifest.
 *
 * Secrets are read first, on every site, so their values are known to the Redactor before
 * anything else is stored; Secret values are kept only as keyed hashes (protect.ts).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import type { Collector, CollectEnv } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import type { ClusterConfigs, SiteConfig } from '../../core/drift-types.js';
import { errorMessage } from '../../core/errors.js';
import type { KubeObject, MattermostCR } from '../../core/kube-types.js';
import type { KubeClient } from '../kube/client.js';
import { learnSecret, learnSecretsIn } from '../../core/secrets.js';
import { protect, runHasher } from './protect.js';
import { atSite, driftTargets, getInstallation, type SiteTarget } from './targets.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** Each site's CR spec, ConfigMaps, Secret hashes and Helm values, and the desired state (secret values hidden). */
    clusterConfigs: ClusterConfigs;
  }
}

interface ConfigMapObject extends KubeObject { data?: Record<string, string>; binaryData?: Record<string, string> }
interface SecretObject extends KubeObject { data?: Record<string, string>; stringData?: Record<string, string> }
interface HelmSecret extends KubeObject { data?: { release?: string } }

const nsPath = (n: string) => `/api/v1/namespaces/${encodeURIComponent(n)}`;

/** The `config` (user-supplied values) of a Helm 3 release Secret: base64(base64(gzip(JSON))). */
export function helmReleaseConfig(secret: HelmSecret): unknown {
  const raw = secret.data?.release;
  if (!raw) return undefined;
  let bytes: Buffer = Buffer.from(Buffer.from(raw, 'base64').toString('utf8'), 'base64');
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const rel = JSON.parse(bytes.toString('utf8')) as { config?: unknown };
  return rel.config ?? {};
}

interface RawSite {
  target: SiteTarget;
  cr: MattermostCR | undefined;
  configMaps: Record<string, ConfigMapObject | undefined>;
  secrets: Record<string, Record<string, string> | null>;
  helm?: { release: string; revision: number; values: unknown } | null;
}

async function readSite(env: CollectEnv, t: SiteTarget): Promise<RawSite> {
  const kube: KubeClient = await t.client();
  const drift = env.config.drift;
  const cr = await getInstallation(t);
  const configMaps: RawSite['configMaps'] = {};
  for (const name of drift?.configMaps ?? []) configMaps[name] = await kube.get<ConfigMapObject>(`${nsPath(t.namespace)}/configmaps/${encodeURIComponent(name)}`);
  const secrets: RawSite['secrets'] = {};
  for (const name of drift?.secrets ?? []) {
    const s = await kube.get<SecretObject>(`${nsPath(t.namespace)}/secrets/${encodeURIComponent(name)}`);
    if (!s) { secrets[name] = null; continue; }
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.data ?? {})) {
      values[k] = Buffer.from(v, 'base64').toString('utf8');
      learnSecret(env.redactor, values[k]);
    }
    secrets[name] = values;
  }
  const raw: RawSite = { target: t, cr, configMaps, secrets };
  const helm = env.config.kube.helm;
  if (helm) {
    const ns = helm.namespace ?? t.namespace;
    const list = await kube.list<HelmSecret>(`${nsPath(ns)}/secrets`, { labelSelector: `owner=helm,name=${helm.release}` });
    const newest = list.sort((a, b) => Number(b.metadata.labels?.['version'] ?? 0) - Number(a.metadata.labels?.['version'] ?? 0))[0];
    if (!newest) raw.helm = null;
    else {
      let values: unknown;
      try { values = helmReleaseConfig(newest); } catch (err) {
        throw new CollectFailure('BAD_RESPONSE', `cannot decode Helm release secret ${ns}/${newest.metadata.name}: ${errorMessage(err)}`);
      }
      raw.helm = { release: helm.release, revision: Number(newest.metadata.labels?.['version'] ?? 0), values };
    }
  }
  return raw;
}

async function readYamlFile(path: string, what: string): Promise<unknown[]> {
  let text: string;
  try { text = await readFile(path, 'utf8'); } catch (err) {
    throw new CollectFailure('CONFIG', `cannot read ${what} ${path}: ${errorMessage(err)}`);
  }
  const docs = parseAllDocuments(text);
  const list = Array.isArray(docs) ? docs : [docs];
  const bad = list.find((d) => d.errors.length > 0);
  if (bad) throw new CollectFailure('CONFIG', `${what} ${path} is not valid YAML: ${bad.errors[0]?.message.split('\n')[0]}`);
  return list.map((d) => d.toJSON() as unknown).filter((d) => d !== null && d !== undefined);
}

export const clusterConfigsCollector: Collector<'clusterConfigs'> = {
  key: 'clusterConfigs', source: 'Kubernetes API of each site: Mattermost CR, ConfigMaps, Secrets (hashed), Helm release; drift.desired files', retries: 1,
  async collect(env) {
    const targets = await driftTargets(env);
    // Every site's Secrets are read (and their values learnt) before anything is protected.
    const raws = await Promise.all(targets.map((t) => atSite(t, () => readSite(env, t))));
    const hash = await runHasher(env);
    // Helm values and desired files are free-form: credentials in URLs or secret-named env entries
    // anywhere in them are learnt first, so protect() hides them too.
    const p = (v: unknown) => { learnSecretsIn(v, env.redactor); return protect(v, hash, env.redactor); };
    const sites: SiteConfig[] = raws.map((r) => {
      const { target: t, cr } = r;
      return {
        site: t.site, context: t.context, namespace: t.namespace, installation: t.installation,
        ...(t.declaredActive !== undefined ? { declaredActive: t.declaredActive } : {}),
        // Annotations are left out: last-applied-configuration repeats the whole spec, secrets included.
        cr: cr ? { found: true, labels: cr.metadata.labels ?? {}, spec: p(cr.spec ?? {}) } : { found: false },
        configMaps: Object.fromEntries(Object.entries(r.configMaps).map(([name, cm]) => [name, cm
          ? p({ ...(cm.data ?? {}), ...Object.fromEntries(Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, hash(v)])) }) as Record<string, string>
          : null])),
        secrets: Object.fromEntries(Object.entries(r.secrets).map(([name, data]) => [name, data
          ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, hash(v)]))
          : null])),
        ...(r.helm !== undefined ? { helm: r.helm ? { ...r.helm, values: p(r.helm.values) } : null } : {}),
      };
    });
    const desiredCfg = env.config.drift?.desired;
    const desired: { -readonly [K in keyof ClusterConfigs['desired']]: ClusterConfigs['desired'][K] } = {};
    if (desiredCfg?.values) {
      const path = resolve(env.configDir, desiredCfg.values);
      const [values] = await readYamlFile(path, 'drift.desired.values');
      desired.valuesPath = path;
      desired.values = p(values ?? {});
    }
    if (desiredCfg?.manifest) {
      const path = resolve(env.configDir, desiredCfg.manifest);
      const docs = (await readYamlFile(path, 'drift.desired.manifest')) as MattermostCR[];
      const mms = docs.filter((d) => d && typeof d === 'object' && d.kind === 'Mattermost');
      const doc = mms.find((d) => d.metadata?.name === env.scope.installation) ?? mms[0];
      if (!doc) throw new CollectFailure('CONFIG', `drift.desired.manifest ${path} holds no kind: Mattermost document`);
      desired.manifestPath = path;
      desired.manifestSpec = p(doc.spec ?? {});
    }
    return { sites, desired, allow: env.config.drift?.allow ?? [] };
  },
};

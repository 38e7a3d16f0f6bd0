/**
 * What `mmgate init` reads from a cluster to write a first mmgate.yaml: the Mattermost
 * installations of both custom-resource kinds, the operator's Deployment (found by its image) and
 * the Helm releases beside them. Read-only, like every collector; a kind or namespace the
 * identity may not list is a note, not a failure, so init still writes what it could find.
 */
import type { KubeDeployment, KubeObject, MattermostCR } from '../../core/kube-types.js';
import { errorMessage } from '../../core/errors.js';
import type { KubeClient } from './client.js';

/** The two custom resources the Mattermost Operator reconciles (v1alpha1 is the deprecated one). */
export const INSTALLATION_KINDS = [
  { kind: 'Mattermost', apiVersion: 'installation.mattermost.com/v1beta1', plural: 'mattermosts' },
  { kind: 'ClusterInstallation', apiVersion: 'mattermost.com/v1alpha1', plural: 'clusterinstallations' },
] as const;
export type InstallationKind = (typeof INSTALLATION_KINDS)[number]['kind'];

export interface FoundInstallation {
  readonly kind: InstallationKind;
  readonly namespace: string;
  readonly name: string;
  readonly version?: string;
  readonly image?: string;
  readonly replicas?: number;
  /** The front door the CR declares: its ingress host (https when TLS is set), else status.endpoint. */
  readonly url?: string;
  /** blue/green (ClusterInstallation only): which colour serves production. */
  readonly blueGreen?: { readonly production: string };
  readonly canary?: boolean;
  /** mmgate's own site-role annotation (mmgate.io/role): active | passive. */
  readonly role?: string;
}

export interface FoundRelease { readonly namespace: string; readonly name: string; readonly revision: number; readonly status: string }

export interface Discovery {
  readonly context: string;
  readonly installations: FoundInstallation[];
  readonly operator?: { readonly namespace: string; readonly name: string; readonly image: string };
  readonly helmReleases: FoundRelease[];
  /** What could not be read, said plainly in the written file. */
  readonly notes: string[];
}

interface ClusterInstallationSpec {
  ingressName?: string;
  useIngressTLS?: boolean;
  blueGreen?: { enable?: boolean; productionDeployment?: string };
  canary?: { enable?: boolean };
}
interface InstallationSpec { ingress?: { host?: string; tlsSecret?: string }; ingressName?: string }

const ROLE_ANNOTATION = 'mmgate.io/role';
const OPERATOR_IMAGE = /(^|\/)mattermost-operator(:|@|$)/;

/** The front door the resource declares: its ingress host (https with TLS), else status.endpoint. */
export function frontDoor(cr: MattermostCR, kind: InstallationKind): string | undefined {
  const spec = (cr.spec ?? {}) as InstallationSpec & ClusterInstallationSpec;
  const host = kind === 'Mattermost' ? spec.ingress?.host ?? spec.ingressName : spec.ingressName;
  const tls = kind === 'Mattermost' ? Boolean(spec.ingress?.tlsSecret) : Boolean(spec.useIngressTLS);
  if (host) return `${tls ? 'https' : 'http'}://${host}`;
  const endpoint = cr.status?.endpoint;
  if (!endpoint) return undefined;
  return /^https?:\/\//.test(endpoint) ? endpoint : `https://${endpoint}`;
}

function describeInstallation(cr: MattermostCR, kind: InstallationKind): FoundInstallation {
  const spec = (cr.spec ?? {}) as ClusterInstallationSpec & MattermostCR['spec'];
  const url = frontDoor(cr, kind);
  const role = cr.metadata.annotations?.[ROLE_ANNOTATION] ?? cr.metadata.labels?.[ROLE_ANNOTATION];
  return {
    kind, namespace: cr.metadata.namespace ?? 'default', name: cr.metadata.name,
    ...(spec?.version ?? cr.status?.version ? { version: spec?.version ?? cr.status?.version } : {}),
    ...(spec?.image ? { image: spec.image } : {}),
    ...(spec?.replicas !== undefined ? { replicas: spec.replicas } : {}),
    ...(url ? { url } : {}),
    ...(spec?.blueGreen?.enable ? { blueGreen: { production: spec.blueGreen.productionDeployment ?? 'blue' } } : {}),
    ...(spec?.canary?.enable ? { canary: true } : {}),
    ...(role ? { role } : {}),
  };
}

/** Lists `path` in every namespace, or in `namespace` when given; null when the kind is not served. */
async function listWhere<T>(kube: KubeClient, group: string, plural: string, namespace: string | undefined): Promise<T[] | null> {
  const base = group === '' ? '/api/v1' : `/apis/${group}`;
  try {
    return await kube.list<T>(namespace ? `${base}/namespaces/${encodeURIComponent(namespace)}/${plural}` : `${base}/${plural}`);
  } catch (err) {
    if ((err as { code?: string }).code === 'NOT_FOUND') return null;
    throw err;
  }
}

async function findInstallations(kube: KubeClient, namespace: string | undefined, notes: string[]): Promise<FoundInstallation[]> {
  const found: FoundInstallation[] = [];
  for (const k of INSTALLATION_KINDS) {
    try {
      const items = await listWhere<MattermostCR>(kube, k.apiVersion, k.plural, namespace);
      for (const cr of items ?? []) found.push(describeInstallation(cr, k.kind));
    } catch (err) {
      notes.push(`could not list ${k.kind} (${k.apiVersion})${namespace ? ` in ${namespace}` : ' in all namespaces'}: ${errorMessage(err)}`);
    }
  }
  return found.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
}

const operatorImage = (d: KubeDeployment): string | undefined =>
  d.spec?.template?.spec?.containers?.find((c) => OPERATOR_IMAGE.test((c.image ?? '').split('@')[0] ?? ''))?.image;

async function findOperator(kube: KubeClient, notes: string[]): Promise<Discovery['operator']> {
  let deployments: KubeDeployment[];
  try {
    deployments = await listWhere<KubeDeployment>(kube, 'apps/v1', 'deployments', undefined) ?? [];
  } catch {
    // docs/rbac.yaml grants only `get` on the operator's Deployment: try the chart's default name.
    try {
      const d = await kube.get<KubeDeployment>('/apis/apps/v1/namespaces/mattermost-operator/deployments/mattermost-operator');
      deployments = d ? [d] : [];
    } catch (err) {
      notes.push(`could not look for the operator's Deployment: ${errorMessage(err)}`);
      return undefined;
    }
  }
  const d = deployments.find(operatorImage);
  if (!d) {
    notes.push('no Deployment running a mattermost-operator image was found: set kube.operator');
    return undefined;
  }
  return { namespace: d.metadata.namespace ?? 'default', name: d.metadata.name, image: operatorImage(d)! };
}

/** Helm 3 keeps a Secret per release revision, labelled owner=helm, name=<release>, status=<state>. */
async function findHelmReleases(kube: KubeClient, namespaces: readonly string[], notes: string[]): Promise<FoundRelease[]> {
  const newest = new Map<string, FoundRelease>();
  for (const namespace of new Set(namespaces)) {
    try {
      const secrets = await kube.list<KubeObject>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets`, { labelSelector: 'owner=helm' });
      for (const s of secrets) {
        const l = s.metadata.labels ?? {};
        const revision = Number(l['version']);
        const name = l['name'];
        if (!name || !Number.isFinite(revision)) continue;
        const key = `${namespace}/${name}`;
        if ((newest.get(key)?.revision ?? -1) < revision) newest.set(key, { namespace, name, revision, status: l['status'] ?? 'unknown' });
      }
    } catch (err) {
      notes.push(`could not list Helm release Secrets in ${namespace}: ${errorMessage(err)}`);
    }
  }
  return [...newest.values()];
}

/** Everything init can learn from one context. */
export async function discover(kube: KubeClient, opts: { namespace?: string }): Promise<Discovery> {
  const notes: string[] = [];
  const installations = await findInstallations(kube, opts.namespace, notes);
  const operator = await findOperator(kube, notes);
  const namespaces = [...installations.map((i) => i.namespace), ...(operator ? [operator.namespace] : [])];
  const helmReleases = await findHelmReleases(kube, namespaces, notes);
  return { context: kube.context, installations, ...(operator ? { operator } : {}), helmReleases, notes };
}

/** The same installation (kind, namespace, name) in another cluster: a site of an active/active pair. */
export async function findSite(kube: KubeClient, of: FoundInstallation): Promise<FoundInstallation | undefined> {
  const k = INSTALLATION_KINDS.find((x) => x.kind === of.kind)!;
  const cr = await kube.get<MattermostCR>(`/apis/${k.apiVersion}/namespaces/${encodeURIComponent(of.namespace)}/${k.plural}/${encodeURIComponent(of.name)}`);
  return cr ? describeInstallation(cr, of.kind) : undefined;
}

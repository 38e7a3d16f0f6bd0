/**
 * Shared judgement helpers over Kubernetes objects: which pods belong to the installation, and
 * how the Mattermost Operator names things (operator https://github.com/mattermost/mattermost-operator/blob/v1.25.9/apis/mattermost/v1beta1/mattermost_utils.go). Pure functions, used by checks.
 */
import type { AppDeployment, ClusterInstallationCR, ContainerStatus, InstallationCR, KubeDeployment, KubePod } from './kube-types.js';
import type { InstallationKind, Scope } from './types.js';

/** The operator labels every pod of an installation with these (MattermostPodLabels). */
export const INSTALLATION_LABEL = 'installation.mattermost.com/installation';
/** The v1alpha1 ClusterInstallation's pods carry this one instead, valued with their Deployment's name (operator https://github.com/mattermost/mattermost-operator/blob/v1.25.9/apis/mattermost/v1alpha1/clusterinstallation_utils.go). */
export const V1ALPHA1_LABEL = 'v1alpha1.mattermost.com/installation';

/** API path pieces of each kind (operator https://github.com/mattermost/mattermost-operator/blob/v1.25.9/config/crd/bases/). */
export const CR_KINDS: Readonly<Record<InstallationKind, { apiVersion: string; plural: string; label: string }>> = {
  Mattermost: { apiVersion: 'installation.mattermost.com/v1beta1', plural: 'mattermosts', label: INSTALLATION_LABEL },
  ClusterInstallation: { apiVersion: 'mattermost.com/v1alpha1', plural: 'clusterinstallations', label: V1ALPHA1_LABEL },
};

/** The kind of a CR as read (its `kind`), else the scope's, else Mattermost. */
export function crKind(cr: { kind?: string } | null | undefined, scope?: Scope): InstallationKind {
  return cr?.kind === 'ClusterInstallation' ? 'ClusterInstallation' : cr?.kind === 'Mattermost' ? 'Mattermost' : scope?.kind ?? 'Mattermost';
}

export const isClusterInstallation = (cr: InstallationCR | null | undefined): cr is ClusterInstallationCR => cr?.kind === 'ClusterInstallation';

/** The Deployment a run judges (and the value of its pods' installation label). */
export const workloadName = (scope: Scope): string => scope.workload ?? scope.installation;

/** kubectl's resource name of the scope's kind, for remediations. */
export const crResource = (scope: Scope): string => (scope.kind === 'ClusterInstallation' ? 'clusterinstallation' : 'mattermost');

/** The blue and green AppDeployments with the operator's defaults (`<ci>-blue`, host `blue.<ingressName>`). */
export function colours(cr: ClusterInstallationCR): Record<'blue' | 'green', Required<Pick<AppDeployment, 'name' | 'ingressName'>> & AppDeployment> {
  const bg = cr.spec?.blueGreen ?? {};
  const host = cr.spec?.ingressName ?? '';
  const of = (c: 'blue' | 'green') => ({ ...(bg[c] ?? {}), name: bg[c]?.name || `${cr.metadata.name}-${c}`, ingressName: bg[c]?.ingressName || `${c}.${host}` });
  return { blue: of('blue'), green: of('green') };
}

/** Which colour serves production: productionDeployment is `blue`/`green` or the colour's Deployment name. */
export function productionColour(cr: ClusterInstallationCR): 'blue' | 'green' | undefined {
  const p = cr.spec?.blueGreen?.productionDeployment;
  const c = colours(cr);
  if (p === 'blue' || p === c.blue.name) return 'blue';
  if (p === 'green' || p === c.green.name) return 'green';
  return undefined;
}

export const otherColour = (c: 'blue' | 'green'): 'blue' | 'green' => (c === 'blue' ? 'green' : 'blue');

/** The canary AppDeployment with its default name `<ci>-canary`. */
export function canaryOf(cr: ClusterInstallationCR): AppDeployment & { name: string } {
  const d = cr.spec?.canary?.deployment ?? {};
  return { ...d, name: d.name || `${cr.metadata.name}-canary` };
}

/** The version the judged workload is meant to run: its colour's or canary's AppDeployment, else spec.version. */
export function workloadVersion(cr: InstallationCR | null, scope: Scope): string | undefined {
  if (isClusterInstallation(cr)) {
    if (scope.colour && cr.spec?.blueGreen?.enable) return colours(cr)[scope.colour].version;
    if (scope.side === 'canary' && cr.spec?.canary?.enable) return canaryOf(cr).version;
  }
  return cr?.spec?.version;
}

/** Whether a pod belongs to the named workload, under either kind's label. */
const ofWorkload = (p: KubePod, name: string): boolean =>
  p.metadata.labels?.[INSTALLATION_LABEL] === name || p.metadata.labels?.[V1ALPHA1_LABEL] === name;
export const APP_CONTAINER = 'mattermost';
export const JOBSERVER_CONTAINER = 'mattermost-jobserver';
export const UPDATE_JOB = 'mattermost-update-check';

/** The installation's app pods (app=mattermost), not the update job's or the job server's. */
export function mattermostPods(pods: readonly KubePod[], scope: Scope): KubePod[] {
  return workloadPods(pods, workloadName(scope));
}

/** The app pods of one Deployment of the installation (a colour, the canary, or the CR's own). */
export function workloadPods(pods: readonly KubePod[], name: string): KubePod[] {
  return pods.filter((p) => ofWorkload(p, name) && p.metadata.labels?.['app'] === 'mattermost' && !p.metadata.deletionTimestamp);
}

/** The dedicated job server's pods (jobServer.dedicatedJobServer), labelled app=mattermost-jobserver. */
export function jobServerPods(pods: readonly KubePod[], scope: Scope): KubePod[] {
  return pods.filter((p) => ofWorkload(p, scope.installation) && p.metadata.labels?.['app'] === 'mattermost-jobserver' && !p.metadata.deletionTimestamp);
}

/** The installation's Deployment is named like the CR. */
export const installationDeployment = (deployments: readonly KubeDeployment[], scope: Scope): KubeDeployment | undefined =>
  deployments.find((d) => d.metadata.name === workloadName(scope));

export const isPodReady = (p: KubePod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export const appContainerStatus = (p: KubePod, name = APP_CONTAINER): ContainerStatus | undefined =>
  p.status?.containerStatuses?.find((c) => c.name === name) ?? (p.status?.containerStatuses?.length === 1 ? p.status.containerStatuses[0] : undefined);

export const podRef = (p: KubePod) => ({ kind: 'Pod', namespace: p.metadata.namespace ?? '', name: p.metadata.name });

/**
 * Shared judgement helpers over Kubernetes objects: which pods belong to the installation, and
 * how the Mattermost Operator names things (mattermost-facts §3.5). Pure functions, used by checks.
 */
import type { ContainerStatus, KubeDeployment, KubePod } from './kube-types.js';
import type { Scope } from './types.js';

/** The operator labels every pod of an installation with these (MattermostPodLabels). */
export const INSTALLATION_LABEL = 'installation.mattermost.com/installation';
export const APP_CONTAINER = 'mattermost';
export const JOBSERVER_CONTAINER = 'mattermost-jobserver';
export const UPDATE_JOB = 'mattermost-update-check';

/** The installation's app pods (app=mattermost), not the update job's or the job server's. */
export function mattermostPods(pods: readonly KubePod[], scope: Scope): KubePod[] {
  return pods.filter((p) => p.metadata.labels?.[INSTALLATION_LABEL] === scope.installation && p.metadata.labels?.['app'] === 'mattermost' && !p.metadata.deletionTimestamp);
}

/** The dedicated job server's pods (jobServer.dedicatedJobServer), labelled app=mattermost-jobserver. */
export function jobServerPods(pods: readonly KubePod[], scope: Scope): KubePod[] {
  return pods.filter((p) => p.metadata.labels?.[INSTALLATION_LABEL] === scope.installation && p.metadata.labels?.['app'] === 'mattermost-jobserver' && !p.metadata.deletionTimestamp);
}

/** The installation's Deployment is named like the CR. */
export const installationDeployment = (deployments: readonly KubeDeployment[], scope: Scope): KubeDeployment | undefined =>
  deployments.find((d) => d.metadata.name === scope.installation);

export const isPodReady = (p: KubePod): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

export const appContainerStatus = (p: KubePod, name = APP_CONTAINER): ContainerStatus | undefined =>
  p.status?.containerStatuses?.find((c) => c.name === name) ?? (p.status?.containerStatuses?.length === 1 ? p.status.containerStatuses[0] : undefined);

export const podRef = (p: KubePod) => ({ kind: 'Pod', namespace: p.metadata.namespace ?? '', name: p.metadata.name });

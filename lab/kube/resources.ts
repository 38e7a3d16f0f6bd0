/**
 * The resources the simulated API server knows: a static table, the single source for discovery,
 * routing, field selectors and CRD printer columns. The CRD rows are checked against the real CRD
 * files by resources.test.ts, so a drift from the operator's CRDs fails a test instead of a demo.
 */

/** A CRD `additionalPrinterColumns` entry, as in apiextensions.k8s.io/v1. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

export interface Subresource {
  name: string;
  /** The kind the subresource answers with; group/version default to the parent's. */
  kind: string;
  verbs: string[];
}

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: Subresource[];
  /** True for custom resources: their lists keep item kind/apiVersion and their Tables come from printerColumns. */
  custom?: boolean;
  /** CRD printer columns; for custom resources only. */
  printerColumns?: PrinterColumn[];
  /** Field labels the real server accepts beyond metadata.name and metadata.namespace. */
  fieldLabels?: string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS: Subresource = { name: 'status', kind: '', verbs: ['get', 'patch', 'update'] };
const withStatus = (kind: string): Subresource[] => [{ ...STATUS, kind }];

export const RESOURCES: readonly ResourceType[] = [
  {
    group: '', version: 'v1', kind: 'Node', plural: 'nodes', singular: 'node', namespaced: false,
    verbs: ALL_VERBS, shortNames: ['no'], subresources: withStatus('Node'), fieldLabels: ['spec.unschedulable'],
  },
  {
    group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true,
    verbs: ALL_VERBS, shortNames: ['po'], categories: ['all'],
    subresources: [
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
      { ...STATUS, kind: 'Pod' },
    ],
    fieldLabels: [
      'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork',
      'status.phase', 'status.podIP', 'status.nominatedNodeName',
    ],
  },
  {
    group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['ns'],
    subresources: withStatus('Namespace'), fieldLabels: ['status.phase'],
  },
  {
    group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true,
    verbs: ALL_VERBS, shortNames: ['svc'], categories: ['all'], subresources: withStatus('Service'),
  },
  {
    group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true,
    verbs: ALL_VERBS, shortNames: ['cm'],
  },
  {
    group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true,
    verbs: ALL_VERBS, fieldLabels: ['type'],
  },
  {
    group: '', version: 'v1', kind: 'Event', plural: 'events', singular: 'event', namespaced: true,
    verbs: ALL_VERBS, shortNames: ['ev'],
    fieldLabels: [
      'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
      'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath',
      'reason', 'reportingComponent', 'source', 'type',
    ],
  },
  {
    group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim', namespaced: true, verbs: ALL_VERBS, shortNames: ['pvc'],
    subresources: withStatus('PersistentVolumeClaim'),
  },
  {
    group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount',
    namespaced: true, verbs: ALL_VERBS, shortNames: ['sa'],
  },
  {
    group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment', namespaced: true,
    verbs: ALL_VERBS, shortNames: ['deploy'], categories: ['all'], subresources: withStatus('Deployment'),
  },
  {
    group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', namespaced: true,
    verbs: ALL_VERBS, shortNames: ['rs'], categories: ['all'], subresources: withStatus('ReplicaSet'),
    fieldLabels: ['status.replicas'],
  },
  {
    group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', singular: 'statefulset', namespaced: true,
    verbs: ALL_VERBS, shortNames: ['sts'], categories: ['all'], subresources: withStatus('StatefulSet'),
  },
  {
    group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', singular: 'daemonset', namespaced: true,
    verbs: ALL_VERBS, shortNames: ['ds'], categories: ['all'], subresources: withStatus('DaemonSet'),
  },
  {
    group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', singular: 'job', namespaced: true,
    verbs: ALL_VERBS, categories: ['all'], subresources: withStatus('Job'), fieldLabels: ['status.successful'],
  },
  {
    group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', singular: 'cronjob', namespaced: true,
    verbs: ALL_VERBS, shortNames: ['cj'], categories: ['all'], subresources: withStatus('CronJob'),
  },
  {
    group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', singular: 'ingress',
    namespaced: true, verbs: ALL_VERBS, shortNames: ['ing'], subresources: withStatus('Ingress'),
  },
  {
    group: 'installation.mattermost.com', version: 'v1beta1', kind: 'Mattermost', plural: 'mattermosts',
    singular: 'mattermost', namespaced: true, verbs: ALL_VERBS, shortNames: ['mm'], custom: true,
    subresources: withStatus('Mattermost'),
    printerColumns: [
      { name: 'State', type: 'string', jsonPath: '.status.state', description: 'State of Mattermost' },
      { name: 'Image', type: 'string', jsonPath: '.status.image', description: 'Image of Mattermost' },
      { name: 'Version', type: 'string', jsonPath: '.status.version', description: 'Version of Mattermost' },
      { name: 'Endpoint', type: 'string', jsonPath: '.status.endpoint', description: 'Endpoint' },
    ],
  },
  {
    group: 'mattermost.com', version: 'v1alpha1', kind: 'ClusterInstallation', plural: 'clusterinstallations',
    singular: 'clusterinstallation', namespaced: true, verbs: ALL_VERBS, custom: true,
    subresources: withStatus('ClusterInstallation'),
    printerColumns: [
      { name: 'State', type: 'string', jsonPath: '.status.state', description: 'State of Mattermost' },
      { name: 'Image', type: 'string', jsonPath: '.status.image', description: 'Image of Mattermost' },
      { name: 'Version', type: 'string', jsonPath: '.status.version', description: 'Version of Mattermost' },
      { name: 'Endpoint', type: 'string', jsonPath: '.status.endpoint', description: 'Endpoint' },
    ],
  },
  {
    // Columns as in kubernetes-csi/external-snapshotter client/config/crd/snapshot.storage.k8s.io_volumesnapshots.yaml.
    group: 'snapshot.storage.k8s.io', version: 'v1', kind: 'VolumeSnapshot', plural: 'volumesnapshots',
    singular: 'volumesnapshot', namespaced: true, verbs: ALL_VERBS, shortNames: ['vs'], custom: true,
    subresources: withStatus('VolumeSnapshot'),
    printerColumns: [
      { name: 'ReadyToUse', type: 'boolean', jsonPath: '.status.readyToUse', description: 'Indicates if the snapshot is ready to be used to restore a volume.' },
      { name: 'SourcePVC', type: 'string', jsonPath: '.spec.source.persistentVolumeClaimName', description: 'If a new snapshot needs to be created, this contains the name of the source PVC from which this snapshot was (or will be) created.' },
      { name: 'SourceSnapshotContent', type: 'string', jsonPath: '.spec.source.volumeSnapshotContentName', description: 'If a snapshot already exists, this contains the name of the existing VolumeSnapshotContent object representing the existing snapshot.' },
      { name: 'RestoreSize', type: 'string', jsonPath: '.status.restoreSize', description: 'Represents the minimum size of volume required to rehydrate from this snapshot.' },
      { name: 'SnapshotClass', type: 'string', jsonPath: '.spec.volumeSnapshotClassName', description: 'The name of the VolumeSnapshotClass requested by the VolumeSnapshot.' },
      { name: 'SnapshotContent', type: 'string', jsonPath: '.status.boundVolumeSnapshotContentName', description: 'Name of the VolumeSnapshotContent object to which the VolumeSnapshot object intends to bind to.' },
      { name: 'CreationTime', type: 'date', jsonPath: '.status.creationTime', description: 'Timestamp when the point-in-time snapshot was taken by the underlying storage system.' },
      { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
    ],
  },
  {
    // metrics-server's aggregated API: read-only, no subresources, no short names.
    group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics', plural: 'nodes', singular: '',
    namespaced: false, verbs: ['get', 'list'],
  },
  {
    group: 'metrics.k8s.io', version: 'v1beta1', kind: 'PodMetrics', plural: 'pods', singular: '',
    namespaced: true, verbs: ['get', 'list'],
  },
];

export const METRICS_GROUP = 'metrics.k8s.io';

export function apiVersionOf(r: Pick<ResourceType, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `deployments.apps`, or `pods` for the core group: how Status messages name a resource. */
export function qualifiedName(r: ResourceType): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function findResourceByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

export interface GroupVersion {
  group: string;
  version: string;
}

/** Every served group/version in discovery order: core first, then groups in table order. */
export function groupVersions(includeMetrics: boolean): GroupVersion[] {
  const seen = new Map<string, GroupVersion>();
  for (const r of RESOURCES) {
    if (!includeMetrics && r.group === METRICS_GROUP) continue;
    seen.set(apiVersionOf(r), { group: r.group, version: r.version });
  }
  return [...seen.values()];
}

export function resourcesOf(gv: GroupVersion): ResourceType[] {
  return RESOURCES.filter((r) => r.group === gv.group && r.version === gv.version);
}

/**
 * CSI VolumeSnapshots (snapshot.storage.k8s.io/v1) in the installation's namespace: which PVC
 * each one copies, whether it is ready to restore from, when it was cut, and its error.
 */
import type { VolumeSnapshotInfo, VolumeSnapshots } from '../../core/backup-types.js';
import type { Collector } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import type { KubeObject } from '../../core/kube-types.js';
import { kubeClient } from '../kube/client.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** VolumeSnapshots of the namespace; null when backups.snapshots is not configured. */
    volumeSnapshots: VolumeSnapshots | null;
  }
}

interface VolumeSnapshotObject extends KubeObject {
  spec?: { source?: { persistentVolumeClaimName?: string; volumeSnapshotContentName?: string } };
  status?: { readyToUse?: boolean; creationTime?: string; restoreSize?: string; error?: { message?: string; time?: string }; boundVolumeSnapshotContentName?: string };
}

export function toSnapshotInfo(o: VolumeSnapshotObject, namespace: string): VolumeSnapshotInfo {
  const takenAt = o.status?.creationTime ?? o.metadata.creationTimestamp;
  return {
    name: o.metadata.name,
    namespace: o.metadata.namespace ?? namespace,
    ...(o.spec?.source?.persistentVolumeClaimName ? { sourcePVC: o.spec.source.persistentVolumeClaimName } : {}),
    readyToUse: o.status?.readyToUse === true,
    ...(takenAt ? { takenAt } : {}),
    ...(o.status?.restoreSize ? { restoreSize: o.status.restoreSize } : {}),
    ...(o.status?.error?.message ? { error: o.status.error.message } : {}),
    ...(o.metadata.deletionTimestamp ? { deleting: true } : {}),
  };
}

export const volumeSnapshotsCollector: Collector<'volumeSnapshots'> = {
  key: 'volumeSnapshots', source: 'Kubernetes API: list volumesnapshots (snapshot.storage.k8s.io/v1)', retries: 2,
  async collect(env) {
    const cfg = env.config.backups?.snapshots;
    if (!cfg) return null;
    const namespace = cfg.namespace ?? env.scope.namespace;
    const base = { namespace, volumes: cfg.volumes, maxAge: cfg.maxAge };
    const kube = await kubeClient(env);
    try {
      const items = await kube.list<VolumeSnapshotObject>(`/apis/snapshot.storage.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/volumesnapshots`);
      return { ...base, apiAvailable: true, items: items.map((o) => toSnapshotInfo(o, namespace)) };
    } catch (err) {
      // No snapshot CRDs is a fact about the cluster (the check says what to install), not a failure to look.
      if (err instanceof CollectFailure && err.code === 'NOT_FOUND') {
        return { ...base, apiAvailable: false, reason: 'the API server does not serve snapshot.storage.k8s.io/v1: the CSI external-snapshotter CRDs are not installed', items: [] };
      }
      throw err;
    }
  },
};

/**
 * Helm 3 release storage Secrets, byte-compatible with helm's secrets driver
 * (pkg/storage/driver/secrets.go + util.go): the release JSON is gzipped (best compression) and
 * base64-encoded into the Secret's `release` key, which the Secret API base64-encodes once more.
 * So `data.release` as clients read it is base64(base64(gzip(json))).
 */
import { gunzipSync, gzipSync, constants } from 'node:zlib';
import type { KubeObject } from './types.js';

export type HelmStatus = 'deployed' | 'superseded' | 'failed' | 'pending-upgrade' | 'pending-install' | 'pending-rollback' | 'uninstalling';

export interface HelmReleaseSpec {
  name: string;
  namespace: string;
  revision: number;
  status: HelmStatus;
  chart: { name: string; version: string; appVersion?: string };
  /** The chart's default values (chart.values). */
  values?: Record<string, unknown>;
  /** The user-supplied values (release.config), what `helm get values` shows. */
  config?: Record<string, unknown>;
  /** ISO time of the last change: info.last_deployed, the Secret's creationTimestamp and its modifiedAt label. */
  modifiedAt?: string;
}

/** What `helm history` shows as DESCRIPTION for each status. */
function description(r: HelmReleaseSpec): string {
  switch (r.status) {
    case 'failed':
      return `Upgrade "${r.name}" failed`;
    case 'pending-install':
      return 'Initial install underway';
    case 'pending-upgrade':
      return 'Preparing upgrade';
    case 'pending-rollback':
      return 'Preparing rollback';
    case 'uninstalling':
      return 'Deletion in progress (or silently failed)';
    default:
      return r.revision === 1 ? 'Install complete' : 'Upgrade complete';
  }
}

/** The release object in the field order Go's encoding/json writes it (release.Release, chart.Chart). */
export function helmReleaseJson(r: HelmReleaseSpec): Record<string, unknown> {
  const when = r.modifiedAt ?? '2024-01-01T00:00:00Z';
  return {
    name: r.name,
    // helm's own time type marshals a zero time as "" (hence `deleted`).
    info: { first_deployed: when, last_deployed: when, deleted: '', description: description(r), status: r.status },
    chart: {
      metadata: {
        name: r.chart.name, version: r.chart.version, apiVersion: 'v2',
        ...(r.chart.appVersion ? { appVersion: r.chart.appVersion } : {}), type: 'application',
      },
      lock: null,
      templates: [],
      values: r.values ?? {},
      schema: null,
      files: [],
    },
    config: r.config ?? {},
    manifest: '',
    version: r.revision,
    namespace: r.namespace,
  };
}

export function helmReleaseSecret(r: HelmReleaseSpec): KubeObject {
  const gz = gzipSync(JSON.stringify(helmReleaseJson(r)), { level: constants.Z_BEST_COMPRESSION });
  const stored = Buffer.from(gz.toString('base64'), 'utf8'); // the bytes helm puts in the Secret
  const labels: Record<string, string> = { name: r.name, owner: 'helm', status: r.status, version: String(r.revision) };
  if (r.modifiedAt) labels.modifiedAt = String(Math.floor(Date.parse(r.modifiedAt) / 1000));
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: `sh.helm.release.v1.${r.name}.v${r.revision}`,
      namespace: r.namespace,
      labels,
      ...(r.modifiedAt ? { creationTimestamp: r.modifiedAt } : {}),
    },
    type: 'helm.sh/release.v1',
    data: { release: stored.toString('base64') },
  };
}

/** The inverse, as helm's decodeRelease does it after the Secret API's own base64. */
export function decodeHelmRelease(secret: KubeObject): Record<string, unknown> {
  const data = secret.data as Record<string, string> | undefined;
  if (!data?.release) throw new Error(`${secret.metadata.name}: no data.release`);
  const helmBase64 = Buffer.from(data.release, 'base64').toString('utf8');
  return JSON.parse(gunzipSync(Buffer.from(helmBase64, 'base64')).toString('utf8')) as Record<string, unknown>;
}

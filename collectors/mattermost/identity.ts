/**
 * The installation's identity at the front door (admin token), recorded by preflight and compared
 * by verify: the licence (`GET /api/v4/license/client?format=old`, with the active-user count of
 * `GET /api/v4/analytics/old?name=standard`) and the effective configuration (`GET /api/v4/config`,
 * masked again by key: no secret is ever stored). Facts and sources: core/identity.ts.
 *
 * The cluster view and the plugin set are `clusterStatus` and `pluginStatuses` (admin.ts). verify
 * compares with preflight's values through the baseline contract (the checks' meta.baseline,
 * core/baseline.ts): preflight records these keys whenever a verify check that compares them is on.
 */
import type { CollectEnv, Collector } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { flattenConfig, type EffectiveConfig, type LicenseView } from '../../core/identity.js';
import { adminGet } from './http.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** The licence as the server states it (admin token). */
    license: LicenseView;
    /** The effective configuration, flattened and masked. */
    effectiveConfig: EffectiveConfig;
  }
}

/**
 * `GET /api/v4/analytics/old?name=standard` (admin token). Not shared between collectors: each
 * retries on its own terms, and a shared failure would defeat the retry.
 */
export async function analyticsStandard(env: CollectEnv): Promise<{ data: unknown; url: string }> {
  const { data, url } = await adminGet<unknown>(env, '/api/v4/analytics/old?name=standard');
  return { data, url };
}

const bool = (v: unknown): boolean | undefined => (v === 'true' ? true : v === 'false' ? false : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);

/** The client licence map (all strings) as a LicenseView. Customer details (Name, Email, Company, Id) are dropped. */
export function licenseFrom(map: unknown, url: string): LicenseView {
  if (map === null || typeof map !== 'object' || Array.isArray(map)) throw new CollectFailure('BAD_RESPONSE', `${url}/api/v4/license/client did not answer a map`);
  const m = map as Record<string, unknown>;
  const isLicensed = bool(m['IsLicensed']);
  if (isLicensed === undefined) throw new CollectFailure('BAD_RESPONSE', `${url}/api/v4/license/client has no IsLicensed "true"/"false"`);
  const expires = int(m['ExpiresAt']);
  const users = int(m['Users']);
  const cluster = bool(m['Cluster']);
  const metrics = bool(m['Metrics']);
  return {
    url, isLicensed, sanitized: isLicensed && expires === undefined,
    ...(typeof m['SkuShortName'] === 'string' && m['SkuShortName'] ? { skuShortName: m['SkuShortName'] } : {}),
    ...(cluster !== undefined ? { cluster } : {}), ...(metrics !== undefined ? { metrics } : {}),
    ...(expires !== undefined && expires > 0 ? { expiresAt: new Date(expires).toISOString() } : {}),
    ...(users !== undefined ? { users } : {}),
  };
}

export const licenseCollector: Collector<'license'> = {
  key: 'license', source: 'Mattermost API at the front door: license/client?format=old and analytics/old (admin token)', retries: 2,
  async collect(env) {
    const { data, url } = await adminGet<unknown>(env, '/api/v4/license/client?format=old');
    const view = licenseFrom(data, url);
    if (!view.isLicensed) return view;
    try {
      const rows = (await analyticsStandard(env)).data;
      const row = Array.isArray(rows) ? (rows as { name?: unknown; value?: unknown }[]).find((r) => r?.name === 'unique_user_count') : undefined;
      return typeof row?.value === 'number' ? { ...view, activeUsers: row.value } : { ...view, activeUsersError: 'analytics/old has no unique_user_count row' };
    } catch (err) {
      return { ...view, activeUsersError: (err as Error).message };
    }
  },
};

export const effectiveConfigCollector: Collector<'effectiveConfig'> = {
  key: 'effectiveConfig', source: 'Mattermost API at the front door: config (admin token), masked by key', retries: 2,
  async collect(env) {
    const { data, url } = await adminGet<unknown>(env, '/api/v4/config');
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new CollectFailure('BAD_RESPONSE', `${url}/api/v4/config did not answer a configuration object`);
    const { settings, masked } = flattenConfig(data);
    return env.redactor.redactDeep({ url, settings, masked });
  },
};

export const identityCollectors = [licenseCollector, effectiveConfigCollector] as const;

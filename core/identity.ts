/**
 * The installation's identity, recorded by preflight and compared by verify: its licence, its
 * effective configuration (masked), read back from the preflight snapshot through the baseline
 * contract (core/baseline.ts). Pure helpers for collectors, checks and the lab.
 *
 * Facts (docs/what-changed.md):
 * - `GET /api/v4/license/client?format=old` answers a map of strings; a caller with
 *   read_license_information (system admins) gets the full client licence (IsLicensed,
 *   SkuShortName, Users, Cluster, Metrics, ExpiresAt in ms…), anyone else a sanitized one without
 *   Id, Name, Email, IssuedAt, StartsAt, ExpiresAt, SkuName (mattermost/mattermost
 *   server/channels/utils/license.go GetClientLicense, GetSanitizedClientLicense).
 * - `GET /api/v4/config` (manage_system) answers the configuration with secret settings replaced
 *   by model.FakeSetting, 32 asterisks (model/config.go Sanitize). mmgate masks again by key.
 */

/** What the licence says, as far as an upgrade gate needs it. No customer details are kept. */
import type { BaselineMiss } from './baseline.js';
import { outcomeOf } from './outcome.js';
import type { Finding, Outcome } from './types.js';

export interface LicenseView {
  /** The front door it was asked at. */
  readonly url: string;
  readonly isLicensed: boolean;
  readonly skuShortName?: string;
  /** The licence covers high availability (clustering) and performance metrics. */
  readonly cluster?: boolean;
  readonly metrics?: boolean;
  /** Expiry (ISO), when the server told it (the full client licence only). */
  readonly expiresAt?: string;
  /** Licensed seats. */
  readonly users?: number;
  /** Active users now (analytics unique_user_count), to compare with the seats. */
  readonly activeUsers?: number;
  /** Why activeUsers is missing. */
  readonly activeUsersError?: string;
  /** The server answered the sanitized licence (no expiry): the token lacks read_license_information, or there is none. */
  readonly sanitized: boolean;
}

export type SettingValue = string | number | boolean | null;

/** `GET /api/v4/config` flattened to dotted paths, secrets masked by key. */
export interface EffectiveConfig {
  readonly url: string;
  readonly settings: Readonly<Record<string, SettingValue>>;
  /** Paths whose values were masked here (never stored). */
  readonly masked: readonly string[];
}

/** Mattermost's own mask for secret settings (model.FakeSetting). */
export const FAKE_SETTING = '********************************';
export const MASKED = '(secret, masked)';

/**
 * Setting names (the last path segment) that hold secrets or credentials. Covers every setting
 * Mattermost's own Config.Sanitize masks (LdapSettings.BindPassword, FileSettings.PublicLinkSalt,
 * FileSettings.AmazonS3SecretAccessKey, EmailSettings.SMTPPassword, the GitLab/Google/Office365/
 * OpenId `Secret`, SqlSettings.DataSource/DataSourceReplicas/DataSourceSearchReplicas/
 * ReplicaLagSettings[].DataSource/AtRestEncryptKey, ElasticsearchSettings.Password,
 * GlobalRelaySettings.SMTPPassword, ServiceSettings.SplitKey, CacheSettings.RedisPassword:
 * https://github.com/mattermost/mattermost/blob/master/server/public/model/config.go, func
 * Sanitize), and the ones it leaves in clear that still grant access (AmazonS3AccessKeyId,
 * GoogleDeveloperKey, GiphySdkKey, the atmos/camo shared key in ImageProxySettings.
 * RemoteImageProxyOptions, and plugin settings such as a plugin's EncryptionKey or WebhookSecret).
 */
const SECRET_KEY = /(password|secret|salt|token|credential|passphrase|apikey|privatekey$|accesskey|developerkey|signingkey|encrypt(ion)?key|sdkkey|splitkey|remoteimageproxyoptions)/i;
const DATA_SOURCE = /^datasource(replicas|searchreplicas)?$/i;
/** `scheme://user:pass@host…`: a URL carrying credentials in its userinfo. */
const URL_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/i;

/** A URL without its userinfo (`https://elastic:pw@es:9200` → `https://es:9200`); other text as it is. */
export function withoutUserinfo(text: string): string {
  return text.replace(URL_USERINFO, '$1');
}

/** A DSN reduced to what may be shown: scheme, host, port and database, never user or password. */
export function dataSourceHost(dsn: string): string {
  if (dsn === FAKE_SETTING) return dsn;
  // Only a DSN with "scheme://" is a URL: "user:pass@tcp(host)/db" would parse as scheme "user:".
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(dsn)) {
    try {
      const u = new URL(dsn);
      return `${u.protocol}//${u.host}${u.pathname}`;
    } catch {
      return MASKED;
    }
  }
  // A key=value DSN ("host=db password=…") is masked whole; MySQL "user:pass@tcp(host:3306)/db?…"
  // keeps the part after the last @, without the query.
  if (/password\s*=/i.test(dsn)) return MASKED;
  const at = dsn.lastIndexOf('@');
  return at >= 0 ? dsn.slice(at + 1).split('?')[0] ?? MASKED : MASKED;
}

/**
 * The value a setting may be stored with: secrets masked by key, data sources reduced to their
 * host, and any URL value (ElasticsearchSettings.ConnectionURL, CacheSettings.RedisAddress…)
 * stripped of its userinfo.
 */
export function maskSetting(path: string, value: SettingValue): { value: SettingValue; masked: boolean } {
  const key = path.split('.').at(-1) ?? path;
  if (typeof value !== 'string' || value === '') return { value, masked: false };
  if (DATA_SOURCE.test(key)) return { value: dataSourceHost(value), masked: true };
  if (SECRET_KEY.test(key) && !/^enable/i.test(key)) return { value: value === FAKE_SETTING ? FAKE_SETTING : MASKED, masked: true };
  const stripped = withoutUserinfo(value);
  return { value: stripped, masked: stripped !== value };
}

/** An array's elements masked as settings of `path`; objects inside (ReplicaLagSettings) by their own keys. */
function maskDeep(path: string, node: unknown): unknown {
  if (Array.isArray(node)) return node.map((v) => maskDeep(path, v));
  if (node !== null && typeof node === 'object') {
    return Object.fromEntries(Object.entries(node as Record<string, unknown>).map(([k, v]) => [k, maskDeep(`${path}.${k}`, v)]));
  }
  return typeof node === 'string' ? maskSetting(path, node).value : node;
}

/**
 * Flattens a configuration object to dotted paths. Arrays are one setting (their JSON text, each
 * element masked as the array's setting would be, objects inside by their own keys); nested
 * objects recurse.
 */
export function flattenConfig(config: unknown): EffectiveConfigParts {
  const settings: Record<string, SettingValue> = {};
  const masked: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node as Record<string, unknown>)) walk(v, path ? `${path}.${k}` : k);
      return;
    }
    let value: SettingValue;
    if (Array.isArray(node)) {
      value = JSON.stringify(maskDeep(path, node));
      if (value !== JSON.stringify(node)) masked.push(path);
    } else if (node === null || typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') {
      const m = maskSetting(path, node);
      if (m.masked) masked.push(path);
      value = m.value;
    } else {
      value = null;
    }
    settings[path] = value;
  };
  walk(config, '');
  return { settings, masked };
}
export interface EffectiveConfigParts { readonly settings: Record<string, SettingValue>; readonly masked: string[] }

/** A setting's value as text for reports. */
export const settingText = (v: SettingValue | undefined): string => (v === undefined ? '(none)' : v === null ? 'null' : typeof v === 'string' ? (v === '' ? '""' : v) : String(v));

/** Settings that differ between two flattened configurations, sorted by path. */
export function diffSettings(before: Readonly<Record<string, SettingValue>>, after: Readonly<Record<string, SettingValue>>): { path: string; before?: SettingValue; after?: SettingValue }[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return paths.filter((p) => before[p] !== after[p]).map((p) => ({
    path: p, ...(p in before ? { before: before[p] } : {}), ...(p in after ? { after: after[p] } : {}),
  }));
}

/** A dotted path matched by a pattern: exact, or `Prefix.*` for everything under a section. */
export const pathMatches = (path: string, pattern: string): boolean =>
  pattern.endsWith('.*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;

/**
 * The failing outcome of an identity check that has no preflight value to compare with (no
 * --baseline, a baseline without the key, or a preflight that could not look): nothing compared
 * is never a pass. `what` names the value ("licence", "plugin set").
 */
export function withoutBaseline(base: BaselineMiss, what: string, subject: Finding['subject']): Outcome {
  // Nothing to compare with is could-not-look (error), never a change found (fail).
  if (!base.given) {
    return outcomeOf({ fails: [], errors: [{
      code: 'NO_BASELINE', message: `No preflight baseline was given, so a change of the ${what} since preflight cannot be seen`, subject,
      expected: 'verify --baseline <preflight.snapshot.json>', actual: 'no --baseline',
      remediation: 'Run verify with --baseline pointing at the preflight.snapshot.json that preflight wrote before the upgrade.',
    }] });
  }
  return outcomeOf({ fails: [], errors: [{
    code: 'NOT_IN_BASELINE', message: `The preflight baseline holds no ${what}`, subject: base.path ? { kind: 'File', name: base.path } : subject,
    expected: `the ${what} recorded at preflight`, actual: base.reason,
    remediation: `Give mattermost.admin.token to preflight and run it with this mmgate and the config verify uses (preflight records the ${what} whenever this check is on), before the next upgrade; then give its preflight.snapshot.json as --baseline.`,
  }] });
}

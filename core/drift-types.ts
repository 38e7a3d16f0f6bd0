/**
 * What the drift, site and replication collectors store in the snapshot (collectors/drift).
 * Secret-bearing values are never stored: a value under a secret-like name (SECRET_NAME), a
 * value the Redactor knows, and every Secret value is replaced by a HIDDEN marker carrying a
 * keyed SHA-256, so two values can still be compared without being kept.
 */

/** Prefix of a hidden value: `hidden:<hmac-sha256 hex>`. */
export const HIDDEN_PREFIX = 'hidden:';
export const isHidden = (v: unknown): boolean => typeof v === 'string' && v.startsWith(HIDDEN_PREFIX);

export interface SiteRef {
  /** sites[].name, or `main` for kube.context when it is not one of the sites. */
  readonly site: string;
  readonly context: string;
  readonly namespace: string;
  readonly installation: string;
}

export interface SiteConfig extends SiteRef {
  readonly declaredActive?: boolean;
  readonly cr: {
    readonly found: boolean;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    /** The CR's spec, with secret values hidden. */
    readonly spec?: unknown;
  };
  /** drift.configMaps: data by key, null when the ConfigMap does not exist. */
  readonly configMaps: Readonly<Record<string, Readonly<Record<string, string>> | null>>;
  /** drift.secrets: hidden markers by key, null when the Secret does not exist. */
  readonly secrets: Readonly<Record<string, Readonly<Record<string, string>> | null>>;
  /** User-supplied values of the newest Helm release revision; null when there is no release, absent when kube.helm is not set. */
  readonly helm?: { readonly release: string; readonly revision: number; readonly values: unknown } | null;
}

export interface ClusterConfigs {
  /** The first is the reference the others are compared with. */
  readonly sites: readonly SiteConfig[];
  readonly desired: {
    readonly valuesPath?: string;
    readonly values?: unknown;
    readonly manifestPath?: string;
    /** The desired CR's spec, secret values hidden. */
    readonly manifestSpec?: unknown;
  };
  /** drift.allow. */
  readonly allow: readonly string[];
}

/** Each sites[] entry's Mattermost CR as seen for single-writer. */
export interface SiteInstallation extends SiteRef {
  readonly declaredActive?: boolean;
  readonly found: boolean;
  /** The mmgate.io/role annotation (or label) value, when set. */
  readonly role?: string;
  readonly replicas?: number;
}

export interface Standby {
  readonly name: string;
  readonly clientAddr?: string;
  /** pg_stat_replication.state ('' when the role may not read it: grant pg_monitor). */
  readonly state: string;
  readonly syncState?: string;
  /** replay_lag in seconds; null when PostgreSQL reports none (caught up and idle). */
  readonly replayLagSeconds: number | null;
  readonly replayLagBytes?: number | null;
}

export interface ReplicationStatus {
  readonly siteCount: number;
  /** database.replication.maxLag. */
  readonly maxLag: string;
  readonly source: 'sql' | 'prometheus' | 'none';
  /** One per site with a replicationDsn (source sql). */
  readonly primaries: readonly {
    readonly site: string;
    readonly server: string;
    readonly inRecovery?: boolean;
    readonly error?: string;
    readonly standbys: readonly Standby[];
  }[];
  /** Source prometheus: one series per standby, value = lag in seconds. */
  readonly prometheus?: {
    readonly query: string;
    readonly series: readonly { readonly labels: Readonly<Record<string, string>>; readonly lagSeconds: number | null }[];
  };
}

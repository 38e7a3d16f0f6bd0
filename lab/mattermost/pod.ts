/**
 * One simulated Mattermost server process (one pod): what differs between pods of the same
 * installation during a rolling upgrade — version, build, config hash, schema version, licence,
 * health, plugin states — plus its own logs and metrics. The shared database lives in the Store.
 */
import { LogBook, resolveLogTime } from './logs.js';
import { PodMetrics } from './metrics.js';
import { md5, newId, sha1 } from './model.js';
import { applyMergePatch } from '../merge-patch.js';
import { defaultConfig } from './config.js';
import type { PluginSpec, PodFaults, PodServerSpec } from './spec.js';

/** What every pod of an installation shares unless told otherwise: one config, one hash. */
export const DEFAULT_CONFIG_HASH = md5('mmgate-lab-mattermost-config');

export interface ResolvedPod {
  readonly version: string;
  readonly buildNumber: string;
  readonly configHash: string;
  readonly schemaVersion: string;
  readonly licensed: boolean;
  readonly ready: boolean;
  readonly health: { readonly database: boolean; readonly filestore: boolean; readonly goroutinesUnhealthy: boolean };
  readonly plugins: readonly PluginSpec[];
  readonly hostname: string;
  readonly ip: string;
  /** The server's configuration (unsanitized; the config route sanitizes it). */
  readonly config: Record<string, unknown>;
  readonly metrics: 'on' | 'not-found' | 'off';
  readonly faults: PodFaults;
}

export function versionParts(version: string): [number, number, number] {
  const [a, b, c] = version.split('.').map((p) => Number.parseInt(p, 10));
  return [a ?? 0, b ?? 0, c ?? 0];
}

/**
 * Since v9 the schema version is the number of the last applied morph migration. Its real values
 * are not derivable from the version, so the lab uses a number that grows with the version:
 * what checks compare (equal on every node, never going backwards) still behaves as in reality.
 */
export function defaultSchemaVersion(version: string): string {
  const [major, minor] = versionParts(version);
  return String(major * 20 + minor);
}

export function resolvePod(name: string, index: number, spec: PodServerSpec, defaults: Partial<PodServerSpec> = {}): ResolvedPod {
  const s = { ...defaults, ...spec, health: { ...defaults.health, ...spec.health } };
  const config = applyMergePatch(applyMergePatch(defaultConfig('Mattermost'), defaults.config ?? {}), spec.config ?? {}) as Record<string, unknown>;
  return {
    version: s.version,
    buildNumber: s.buildNumber ?? s.version,
    configHash: s.configHash ?? DEFAULT_CONFIG_HASH,
    schemaVersion: s.schemaVersion ?? defaultSchemaVersion(s.version),
    licensed: s.licensed ?? true,
    ready: s.ready ?? true,
    health: { database: s.health.database ?? true, filestore: s.health.filestore ?? true, goroutinesUnhealthy: s.health.goroutinesUnhealthy ?? false },
    plugins: s.plugins ?? [],
    hostname: s.hostname ?? name,
    ip: s.ip ?? `10.244.0.${10 + (index % 240)}`,
    config,
    metrics: s.metrics ?? 'on',
    faults: s.faults ?? {},
  };
}

export class PodServer {
  /** The node id: ClusterInfo.id and PluginStatus.cluster_id. */
  clusterId = newId();
  startedAt: Date;
  readonly logs = new LogBook();
  metrics = new PodMetrics();
  conf: ResolvedPod;

  constructor(
    readonly name: string,
    readonly index: number,
    public spec: PodServerSpec,
    private defaults: Partial<PodServerSpec>,
    now: Date,
  ) {
    this.conf = resolvePod(name, index, spec, defaults);
    this.startedAt = PodServer.bootTime(now);
    this.start(now);
  }

  /** `X-Version-Id`: CurrentVersion.BuildNumber.ClientConfigHash.licensed (web/handlers.go). */
  versionId(): string {
    const c = this.conf;
    return `${c.version}.${c.buildNumber}.${c.configHash}.${c.licensed}`;
  }

  /** Pods of one release share one build: derive its hashes and date from the version. */
  build(): { hash: string; hashEnterprise: string; date: string } {
    const v = this.conf.buildNumber;
    return { hash: sha1(`mattermost-${v}`), hashEnterprise: sha1(`enterprise-${v}`), date: 'Mon Jun 02 12:00:00 UTC 2025' };
  }

  private served = 0;
  private faulted = 0;

  /**
   * How long a request to this handler takes on this server, in seconds: a handler's usual time
   * spread evenly (a low-discrepancy sequence, so runs repeat) with one request in 20 four times
   * slower — the tail p99 reads — times the pod's latencyFactor on the faulted handlers.
   */
  serviceTime(handler: string): { seconds: number; injected: number } {
    const n = this.served++;
    const base = handler === 'getSystemPing' ? 0.004 : 0.05;
    const t = n % 20 === 19 ? base * 4 : base * (0.5 + ((n * 0.6180339887) % 1));
    const factor = this.faultApplies(handler) ? this.conf.faults.latencyFactor ?? 1 : 1;
    return { seconds: t * factor, injected: t * (factor - 1) };
  }

  /** Whether this request gets an injected 500: exactly every (1/errorRatio)-th faulted request. */
  injectError(handler: string): boolean {
    const ratio = this.conf.faults.errorRatio;
    if (!ratio || !this.faultApplies(handler)) return false;
    this.faulted++;
    return this.faulted % Math.max(1, Math.round(1 / ratio)) === 0;
  }

  private faultApplies(handler: string): boolean {
    const only = this.conf.faults.handlers;
    return !only || only.includes(handler);
  }

  majorVersion(): number {
    return versionParts(this.conf.version)[0];
  }

  /** Re-applies a patch; a new version or build is a new container, so it restarts the server. */
  update(spec: PodServerSpec, now: Date): void {
    const before = this.conf;
    this.spec = spec;
    this.conf = resolvePod(this.name, this.index, spec, this.defaults);
    if (before.version !== this.conf.version || before.buildNumber !== this.conf.buildNumber) {
      this.clusterId = newId();
      this.startedAt = PodServer.bootTime(now);
      this.metrics = new PodMetrics();
      this.logs.clear();
      this.start(now);
      return;
    }
    const h = this.conf.health;
    if (before.health.database && !h.database) this.logs.add(now, 'error', 'Failed to ping DB', 'sqlstore/store.go:301', [['error', 'dial tcp 10.96.0.20:5432: connect: connection refused'], ['retrying in seconds', 10]]);
    if (before.health.filestore && !h.filestore) this.logs.add(now, 'error', 'Unable to test filestore connection.', 'app/file.go:101', [['error', 'unable to connect to the S3 bucket']]);
  }

  /** A pod is created (and reachable) once its server has started: boot a second earlier. */
  private static bootTime(now: Date): Date {
    return new Date(now.getTime() - 1000);
  }

  /** The lines a real server writes while starting, then the scenario's own lines. */
  private start(now: Date): void {
    const c = this.conf;
    const b = this.build();
    let t = this.startedAt.getTime() - 3;
    const at = (): Date => new Date((t += 3));
    const L = this.logs;
    L.add(at(), 'info', 'Server is initializing...', 'app/server.go:265', [['go_version', 'go1.22.5']]);
    L.add(at(), 'info', `Current version is ${c.version} (${c.buildNumber}/${b.date}/${b.hash}/${b.hashEnterprise})`, 'app/server.go:611', [
      ['current_version', c.version],
      ['build_number', c.buildNumber],
      ['build_date', b.date],
      ['build_hash', b.hash],
      ['build_hash_enterprise', b.hashEnterprise],
      ['service_environment', 'production'],
    ]);
    L.add(at(), 'info', 'Enterprise Build', 'app/server.go:621', [['enterprise_build', true]]);
    L.add(at(), 'info', 'Printing current working', 'app/server.go:627', [['directory', '/mattermost']]);
    L.add(at(), 'info', 'Loaded config', 'app/server.go:629', [['source', 'file:///mattermost/config/config.json']]);
    if (!c.health.database) L.add(at(), 'error', 'Failed to ping DB', 'sqlstore/store.go:301', [['error', 'dial tcp 10.96.0.20:5432: connect: connection refused'], ['retrying in seconds', 10]]);
    if (!c.health.filestore) L.add(at(), 'error', 'Problem with file storage settings', 'app/server.go:1142', [['error', 'unable to connect to the S3 bucket']]);
    if (!c.licensed) L.add(at(), 'info', 'No license key found', 'app/license.go:91');
    for (const p of c.plugins) {
      if (p.state === 2) L.add(at(), 'info', 'Activated plugin', 'app/plugin.go:186', [['plugin_id', p.id], ['version', p.version]]);
      else if (p.state === 3) L.add(at(), 'error', 'Unable to activate plugin', 'app/plugin.go:180', [['plugin_id', p.id], ['error', p.error ?? 'plugin failed to start']]);
      else if (p.state === 4) L.add(at(), 'error', 'Plugin failed to stay running', 'plugin/health_check.go:68', [['plugin_id', p.id], ['error', p.error ?? 'plugin process exited']]);
    }
    L.add(at(), 'info', 'Starting Server...', 'app/server.go:1064');
    L.add(at(), 'info', 'Server is listening on [::]:8065', 'app/server.go:1139', [['address', '[::]:8065']]);
    if (c.licensed) L.add(at(), 'info', 'Metrics and profiling server is started', 'platform/metrics.go:102', [['address', '[::]:8067']]);
    for (const line of this.spec.logs ?? this.defaults.logs ?? []) {
      const { level, msg, at: when, caller, ...fields } = line;
      L.add(resolveLogTime(when, now), level, msg, typeof caller === 'string' ? caller : 'app/app.go:1', Object.entries(fields));
    }
  }
}

/**
 * The lab: a scenario served on 127.0.0.1 — a Kubernetes API (https, bearer token, pod proxy and
 * pod logs routed to the simulated Mattermost servers) and Mattermost's front door — plus the files
 * a user or test needs to point mmgate at it: kubeconfig, mmgate.yaml, secrets/, lab.json.
 * mmgate reaches the lab only through the doors a real cluster has (DESIGN §6).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { UsageError } from '../core/errors.js';
import { parseDuration } from '../core/duration.js';
import { addBigWorld, type BigWorld } from './kube/big-world.js';
import { kubeconfigYaml } from './kube/kubeconfig.js';
import { startKubeApi } from './kube/server.js';
import type { FaultRule, RequestLogEntry } from './kube/types.js';
import { startFrontDoor } from './mattermost/front-door.js';
import { ingressHosts, podsForHost } from './mattermost/ingress.js';
import type { MattermostSpec } from './mattermost/spec.js';
import { MattermostWorld } from './mattermost/world.js';
import { startPostgres } from './postgres.js';
import { SCRAPE_INTERVAL_S, startLabPrometheus } from './prometheus.js';
import { startTraffic } from './traffic.js';
import { simulateUpgrade, switchProduction, type PodServers, type UpgradeSpec } from './operator.js';
import type { LabKube } from './real/index.js';
import { applyMergePatch, buildScenario, theInstallation, type BuiltScenario } from './scenario.js';

export interface LabPaths { dir: string; kubeconfig: string; config: string; labJson: string; secrets: string }

export interface Lab {
  readonly scenario: BuiltScenario;
  readonly kubeUrl: string;
  readonly mattermostUrl: string;
  readonly paths: LabPaths;
  readonly world: MattermostWorld;
  readonly namespace: string;
  readonly installation: string;
  /** Secret values the lab generated (tests assert they never show up in outputs). */
  readonly secrets: { kubeToken: string; adminToken: string; smokePassword: string; smokeToken: string };
  /** The scenario's Prometheus (lab.prometheus), scraping the pods through the pod proxy. */
  readonly prometheusUrl?: string;
  /** Plays the operator's upgrade on the live lab (mmgate demo). */
  upgrade(spec: UpgradeSpec, opts?: { stepMs?: number; onStep?: (s: string) => void }): Promise<void>;
  /** Blue/green: the operator switches production to this colour (mmgate demo --strategy bluegreen). */
  switchProduction(colour: 'blue' | 'green', onStep?: (s: string) => void): void;
  setKubeFaults(faults: FaultRule[]): void;
  /** Holds every front-door request this long (benchmarks); 0 turns it off. */
  setFrontDoorDelay(ms: number): void;
  /** Faults at the Mattermost front door (the ingress): same rules, matched on method and path. */
  setFrontDoorFaults(faults: FaultRule[]): void;
  /** Requests served so far: Kubernetes API (pod proxy included) and the Mattermost front door. */
  requestCounts(): { kubernetes: number; mattermost: number };
  /** Every request served so far with when it arrived and was answered (performance.now()); the simulator's Kubernetes API and the front door. */
  requestTrace(): TracedRequest[];
  close(): Promise<void>;
}

export interface TracedRequest { server: 'kubernetes' | 'mattermost'; method: string; path: string; start: number; end: number }

const SMOKE_USER = 'mmgate-smoke';
/** Requests a second the lab's simulated users send (scenario lab.traffic changes it). */
export const DEFAULT_TRAFFIC_RPS = 120;
const LAB_METRICS_WINDOW = '5s';
const secret = () => randomBytes(18).toString('base64url');

export interface LabOptions {
  /** Start the scenario's Prometheus even when the scenario does not ask for one (tests compare both metrics sources). */
  readonly prometheus?: boolean;
  /** Serve the scenario's Kubernetes side on another backend (lab/real: a real control plane). */
  readonly kube?: KubeBackend;
  /** A large cluster around the scenario (npm run bench -- --nodes N --pods-per-node P). */
  readonly world?: BigWorld;
}

/** Serves the scenario's Kubernetes side on another backend (lab/real: a real control plane). */
export type KubeBackend = (scenario: BuiltScenario, world: MattermostWorld, spec: MattermostSpec) => Promise<LabKube>;

export async function startLab(scenarioArg: string, outDir: string, opts: LabOptions = {}): Promise<Lab> {
  const built = await buildScenario(scenarioArg);
  const scenario = opts.prometheus && !built.lab.prometheus ? { ...built, lab: { ...built.lab, prometheus: { skipPods: [] } } } : built;
  if (opts.world) addBigWorld(scenario.store, opts.world);
  const { namespace, name: installation } = theInstallation(scenario.store, scenario.dir);
  const secrets = { kubeToken: secret(), adminToken: secret(), smokePassword: secret(), smokeToken: secret() };
  const spec = withLabIdentities(scenario.mattermost, secrets, scenario.dir);
  const world = new MattermostWorld(spec);
  // Everything started is stopped on close, and also when a later step of the start fails.
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => { await Promise.allSettled(closers.splice(0).reverse().map((c) => c())); };
  try {
    const real = opts.kube ? await opts.kube(scenario, world, spec) : undefined;
    if (real) { closers.push(() => real.close()); secrets.kubeToken = real.token; }
    const kube = real ? { url: real.url, caPem: real.caPem, requests: { get length() { return real.requestCount(); } }, setFaults: () => { throw new UsageError('lab faults need the embedded simulator', 'drop --kube real'); }, close: async () => undefined } : await startKubeApi({
      store: scenario.store,
      tls: true,
      token: secrets.kubeToken,
      ...(scenario.lab.aggregatedDiscovery !== undefined ? { aggregatedDiscovery: scenario.lab.aggregatedDiscovery } : {}),
      ...(scenario.lab.metricsServer !== undefined ? { metricsServer: scenario.lab.metricsServer } : {}),
      ...(scenario.lab.kubernetesMinor ? { serverVersion: { major: '1', minor: scenario.lab.kubernetesMinor, gitVersion: `v1.${scenario.lab.kubernetesMinor}.4` } } : {}),
      ...(scenario.lab.faults ? { faults: scenario.lab.faults as unknown as FaultRule[] } : {}),
      podProxy: (r) => world.handlePod(r.pod, r.port, r),
      podLogs: (q) => world.podLogs(q.pod, { ...(q.tailLines !== undefined ? { tailLines: q.tailLines } : {}), ...(q.sinceSeconds !== undefined ? { sinceSeconds: q.sinceSeconds } : {}), ...(q.timestamps !== undefined ? { timestamps: q.timestamps } : {}) }),
    });
    closers.push(() => kube.close());
    // With Ingresses (blue/green, canary), each host is its own front door routed like ingress-nginx;
    // the installation's own host (a ClusterInstallation's ingressName) is mattermost.url.
    const mainHost = mainIngressHost(scenario.store, namespace, installation);
    const hostRoute = (host: string) => (h: Record<string, string>) => podsForHost(scenario.store, namespace, host, h['cookie']);
    const front = await startFrontDoor(world, mainHost ? hostRoute(mainHost) : undefined);
    closers.push(() => front.close());
    // The lab's users: the servers' metrics describe the requests they really served.
    const rps = scenario.lab.traffic ?? DEFAULT_TRAFFIC_RPS;
    if (rps > 0) {
      const traffic = startTraffic(world, { rps, token: secrets.adminToken });
      closers.push(() => traffic.stop());
      await traffic.warmedUp;
    }
    const hostUrls: Record<string, string> = {};
    for (const host of ingressHosts(scenario.store, namespace).filter((h) => h !== mainHost)) {
      const door = await startFrontDoor(world, hostRoute(host));
      closers.push(() => door.close());
      hostUrls[host] = door.url;
    }
    // Other sites: their own clusters, reached with their own kube contexts.
    const clusters = [{ context: 'mmgate-lab', url: kube.url, caPem: kube.caPem ?? '' }];
    for (const site of scenario.sites) {
      const api = await startKubeApi({ store: site.store, tls: true, token: secrets.kubeToken });
      closers.push(() => api.close());
      clusters.push({ context: site.context, url: api.url, caPem: api.caPem ?? '' });
    }

    const dir = resolve(outDir);
    const paths: LabPaths = { dir, kubeconfig: join(dir, 'kubeconfig'), config: join(dir, 'mmgate.yaml'), labJson: join(dir, 'lab.json'), secrets: join(dir, 'secrets') };
    await mkdir(paths.secrets, { recursive: true, mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`lab output directory ${outDir}: ${err.code ?? err.message}`, 'give --out a directory the lab can create and write');
    });
    await writeFile(join(paths.secrets, 'admin-token'), `${secrets.adminToken}\n`, { mode: 0o600 });
    await writeFile(join(paths.secrets, 'smoke-password'), `${secrets.smokePassword}\n`, { mode: 0o600 });
    // A personal access token too, for scenarios whose smoke user has no usable password (SSO only).
    await writeFile(join(paths.secrets, 'smoke-token'), `${secrets.smokeToken}\n`, { mode: 0o600 });
    await writeFile(paths.kubeconfig, kubeconfigYaml(clusters.map((c) => ({ name: c.context, url: c.url, caPem: c.caPem, token: secrets.kubeToken, namespace: 'mattermost' }))), { mode: 0o600 });
    if (scenario.postgres) {
      const pg = await startDatabase(scenario.postgres);
      closers.push(pg.stop);
      await writeFile(join(paths.secrets, 'replication-dsn'), `${pg.dsn}\n`, { mode: 0o600 });
    }
    let prometheus: Awaited<ReturnType<typeof startLabPrometheus>> | undefined;
    if (scenario.lab.prometheus) {
      prometheus = await startLabPrometheus({ dir: join(dir, 'prometheus'), kubeUrl: kube.url, caPem: kube.caPem ?? '', token: secrets.kubeToken, store: scenario.store, namespace, skipPods: scenario.lab.prometheus.skipPods });
      closers.push(() => prometheus!.stop());
    }
    const hook = spec.incomingWebhooks?.[0]?.id;
    const smokeTeam = spec.teams[0];
    const generated = {
      target: scenario.target,
      kube: { kubeconfig: './kubeconfig', context: 'mmgate-lab', namespace, installation },
      mattermost: {
        url: front.url,
        admin: { token: '${file:secrets/admin-token}' },
        smoke: { username: SMOKE_USER, password: '${file:secrets/smoke-password}', team: smokeTeam?.name ?? 'ops', channel: smokeTeam?.channels[0]?.name ?? 'town-square' },
        ...(hook ? { incomingWebhook: { id: hook } } : {}),
        ...(Object.keys(hostUrls).length ? { hosts: hostUrls } : {}),
      },
      // The lab's rollouts take seconds, not minutes: watch them closely.
      watch: { interval: '500ms', timeout: '5m' },
      // Its traffic is light and its windows short: judge what a few seconds show.
      metrics: { window: LAB_METRICS_WINDOW, scrapeInterval: '1s', minRequests: 20 },
      ...(prometheus ? { prometheus: { url: prometheus.url, staleAfter: '10s' } } : {}),
    };
    const backupConfig = await writeBackups(join(dir, 'backups'), scenario.backups);
    const config = applyMergePatch(applyMergePatch(generated, backupConfig), scenario.config);
    await writeFile(paths.config, `# Written by mmgate lab for scenario "${scenario.name}". Secrets are files under secrets/.\n${stringify(config)}`);
    await writeFile(paths.labJson, `${JSON.stringify({ scenario: scenario.name, description: scenario.description, kubernetes: kube.url, contexts: clusters.map((c) => ({ context: c.context, server: c.url })), mattermost: front.url, ...(prometheus ? { prometheus: prometheus.url } : {}), namespace, installation, kubeconfig: paths.kubeconfig, config: paths.config, secrets: paths.secrets, expect: scenario.expect }, null, 2)}\n`);

    // Ready means the window the gate reads is full of samples.
    await prometheus?.waitForSamples(Math.ceil(parseDuration(LAB_METRICS_WINDOW) / 1000 / SCRAPE_INTERVAL_S) + 1);
    const servers: PodServers = liveServers(world, spec);
    return {
      scenario, kubeUrl: kube.url, mattermostUrl: front.url, paths, world, namespace, installation, secrets,
      ...(prometheus ? { prometheusUrl: prometheus.url } : {}),
      // The real backend's operator rolls through the API; the front-door blip is the simulator's.
      upgrade: (up, o = {}) => real ? real.upgrade(up, { stepMs: o.stepMs ?? 250, ...(o.onStep ? { onStep: o.onStep } : {}) }) : simulateUpgrade(scenario.store, servers, up, { namespace, installation, stepMs: o.stepMs ?? 250, frontDoorOutage: (ms) => front.outage(ms), ...(o.onStep ? { onStep: o.onStep } : {}) }),
      switchProduction: (colour, onStep) => switchProduction(scenario.store, namespace, installation, colour, onStep),
      setKubeFaults: (f) => kube.setFaults(f),
      setFrontDoorDelay: (ms) => front.setDelay(ms),
      setFrontDoorFaults: (f) => front.setFaults(f),
      requestCounts: () => ({ kubernetes: kube.requests.length, mattermost: front.requests.length }),
      requestTrace: () => [
        ...(real ? [] : (kube.requests as RequestLogEntry[]).map((r) => ({ server: 'kubernetes' as const, method: r.method, path: r.path, start: r.startedAt, end: r.startedAt + r.durationMs }))),
        ...front.requests.map((r) => ({ server: 'mattermost' as const, method: r.method, path: r.path.split('?')[0]!, start: r.startedAt, end: r.endedAt })),
      ],
      close: closeAll,
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}

/** A ClusterInstallation's own host (spec.ingressName), when it has Ingresses to route by. */
function mainIngressHost(store: BuiltScenario['store'], namespace: string, installation: string): string | undefined {
  const ci = store.get('mattermost.com/v1alpha1', 'ClusterInstallation', namespace, installation) as { spec?: { ingressName?: string } } | undefined;
  const host = ci?.spec?.ingressName;
  return host && ingressHosts(store, namespace).includes(host) ? host : undefined;
}

/**
 * The scenario's database: a real, seeded PostgreSQL primary, with a streaming standby when asked.
 * With lagAtLeast, writes keep coming and the lab is ready only once the standby replays that far
 * behind (its recovery_min_apply_delay holds it back), so replication-health has a real lag to see.
 */
async function startDatabase(p: NonNullable<BuiltScenario['postgres']>): Promise<{ dsn: string; stop: () => Promise<void> }> {
  const pg = await startPostgres();
  let writer: NodeJS.Timeout | undefined;
  const stop = async () => { clearInterval(writer); await pg.stop(); };
  try {
    await pg.createDatabase('mattermost');
    if (p.standby) await pg.startStandby(p.applyDelay ? { applyDelay: p.applyDelay } : {});
    if (p.lagAtLeast) {
      await pg.psql('CREATE TABLE lab_heartbeat (at timestamptz NOT NULL DEFAULT now())', 'mattermost');
      writer = setInterval(() => { pg.psql('INSERT INTO lab_heartbeat DEFAULT VALUES', 'mattermost').catch(() => undefined); }, 500);
      const wantS = parseDuration(p.lagAtLeast) / 1000;
      const until = Date.now() + 60_000;
      for (;;) {
        const rows = await pg.psql('SELECT coalesce(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication');
        if (Number(rows[0]?.[0] ?? 0) >= wantS) break;
        if (Date.now() > until) throw new Error(`lab: the standby did not fall ${p.lagAtLeast} behind within 60s`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    return { dsn: pg.dsn('mattermost'), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The lab's admin gets a fresh token and the smoke user a fresh password and token each start: never fixed values. */
function withLabIdentities(spec: MattermostSpec, s: { adminToken: string; smokePassword: string; smokeToken: string }, dir: string): MattermostSpec {
  const admin = spec.users.find((u) => (u.roles ?? '').includes('system_admin'));
  if (!admin) throw new UsageError(`scenario ${dir}: mattermost.yaml needs a user with roles "system_user system_admin"`, 'add an admin user');
  if (!spec.users.some((u) => u.username === SMOKE_USER)) throw new UsageError(`scenario ${dir}: mattermost.yaml needs the smoke user "${SMOKE_USER}"`, 'add it to users');
  return {
    ...spec,
    users: spec.users.map((u) => u === admin ? { ...u, tokens: [s.adminToken] } : u.username === SMOKE_USER ? { ...u, password: s.smokePassword, tokens: [s.smokeToken] } : u),
  };
}

/** The operator simulation's view of the live servers; it remembers each pod's spec to copy it to its successor. */
function liveServers(world: MattermostWorld, spec: MattermostSpec): PodServers {
  const specs = new Map(Object.entries(spec.pods));
  return {
    defaults: spec.defaults ?? {},
    get: (pod) => specs.get(pod),
    add: (pod, s) => { specs.set(pod, s); world.addPod(pod, s); },
    remove: (pod) => { specs.delete(pod); world.removePod(pod); },
  };
}

/** A real pg_dump -Fc of a seeded Mattermost-like database (fixtures/backups, made with test/postgres.ts). */
const FIXTURE_DUMP = fileURLToPath(new URL('../../fixtures/backups/mattermost.dump', import.meta.url));
const AGE_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const ageMs = (age: string) => Number(age.slice(0, -1)) * AGE_MS[age.slice(-1) as keyof typeof AGE_MS];

/**
 * Writes the scenario's backups as a backup job would have: the previous and the newest pg_dump
 * (with the newest one damaged when the scenario says so), and a file-store backup folder, each
 * with the mtime its age gives. Returns the config that points mmgate at them.
 */
async function writeBackups(dir: string, b: BuiltScenario['backups']): Promise<Record<string, unknown>> {
  const config: Record<string, unknown> = {};
  const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, '').slice(0, 15);
  if (b.database) {
    const db = join(dir, 'db');
    await mkdir(db, { recursive: true });
    const dump = await readFile(FIXTURE_DUMP);
    const newest = new Date(Date.now() - ageMs(b.database.age));
    const previous = new Date(newest.getTime() - 86_400_000);
    const damaged = b.database.damage === 'empty' ? Buffer.alloc(0)
      : b.database.damage === 'truncated' ? dump.subarray(0, Math.floor(dump.length / 2))
        : b.database.damage === 'corrupt' ? randomBytes(dump.length) : dump;
    for (const [when, bytes] of [[previous, dump], [newest, damaged]] as const) {
      const file = join(db, `mattermost-${stamp(when)}.dump`);
      await writeFile(file, bytes);
      await utimes(file, when, when);
    }
    config['database'] = { path: './backups/db' };
  }
  if (b.filestore) {
    const when = new Date(Date.now() - ageMs(b.filestore.age));
    const folder = join(dir, 'filestore', `files-${stamp(when)}`);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'MANIFEST'), 'data/ users/ teams/\n');
    await utimes(folder, when, when);
    config['filestore'] = { path: './backups/filestore' };
  }
  return Object.keys(config).length ? { backups: config } : {};
}


/**
 * Lab scenarios: a folder that describes a simulated installation (format in
 * fixtures/scenarios/README.md). A scenario may extend another and change it in layers: its
 * manifests, a simulated operator upgrade, JSON merge patches, Mattermost server overrides.
 * Building a scenario is deterministic, so its expect.yaml can be asserted in tests.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { helmReleaseSecret } from './kube/helm.js';
import { loadManifests } from './kube/manifests.js';
import { ObjectStore } from './kube/store.js';
import type { FaultRule, KubeObject } from './kube/types.js';
import { applyMergePatch } from './merge-patch.js';
import { simulateUpgrade, type PodServers } from './operator.js';
import { parseMattermostSpec, type MattermostSpec, type PodServerSpec } from './mattermost/spec.js';

/** fixtures/scenarios of this package (dist/lab/scenario.js → ../../fixtures/scenarios). */
export const BUILTIN_SCENARIOS = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/scenarios');

const mergePatch = z.record(z.string(), z.unknown());
const selector = z.strictObject({ apiVersion: z.string().optional(), kind: z.string(), namespace: z.string().optional(), name: z.string() });

/** The simulated operator upgrade (lab/operator.ts UpgradeSpec). */
const upgradeSchema = z.strictObject({
  version: z.string(),
  stopAfterPods: z.number().int().nonnegative().optional(),
  updateJobFails: z.boolean().optional(),
  newPodsCrash: z.boolean().optional(),
  recreate: z.boolean().optional(),
  frontDoorBlipMs: z.number().int().positive().optional().describe('The front door answers 503 for this many ms while the first old pod is replaced (live lab only).'),
  plugins: z.record(z.string(), z.string().nullable()).optional().describe('Plugins the new release replaces (id → version) or removes (id → null).'),
  config: mergePatch.optional().describe('A merge patch the new release applies to the servers\' configuration.'),
  side: z.enum(['idle', 'canary']).optional().describe('ClusterInstallation: roll the idle blue/green colour or the canary instead of the CR\'s own Deployment.'),
  switchProduction: z.boolean().optional().describe('Blue/green: after rolling the idle colour, switch productionDeployment (and the main Service) to it.'),
  newPodServer: mergePatch.optional().describe('Merged into each new pod\'s Mattermost server (loginRefused, logs…).'),
});

export const scenarioFileSchema = z.strictObject({
  description: z.string().min(1),
  extends: z.string().optional().describe('A built-in scenario name, or a path relative to this folder.'),
  target: z.strictObject({ version: z.string(), image: z.string().optional() }).optional(),
  upgrade: upgradeSchema.optional().describe('Run the simulated operator upgrade when the scenario is built.'),
  patches: z.array(selector.extend({ merge: mergePatch.optional(), delete: z.literal(true).optional() })).default([]),
  mattermost: z.strictObject({
    pods: z.record(z.string(), mergePatch).optional().describe('Merge patches per pod name; "*" applies to every pod.'),
    behaviour: mergePatch.optional(),
    license: mergePatch.optional().describe('Merge patch on the installation\'s licence (sku, users, cluster, metrics, expiresIn).'),
  }).optional(),
  lab: z.strictObject({
    aggregatedDiscovery: z.boolean().optional(),
    metricsServer: z.boolean().optional(),
    kubernetesMinor: z.string().regex(/^\d+$/).optional(),
    faults: z.array(z.record(z.string(), z.unknown())).optional(),
    traffic: z.number().min(0).optional().describe('API requests a second the lab\'s simulated users send to the Ready Mattermost servers (default 120; 0 = none).'),
    prometheus: z.strictObject({
      skipPods: z.array(z.string()).default([]).describe('Pods Prometheus is not told about ("*" = every Mattermost pod).'),
    }).optional().describe('Start a real Prometheus that scrapes the pods through the pod proxy; the generated mmgate.yaml then reads the metrics from it.'),
  }).optional(),
  sites: z.record(z.string().regex(/^[a-z0-9-]+$/), z.strictObject({
    context: z.string().min(1).describe('kubeconfig context the lab gives this site.'),
    manifests: z.string().min(1).describe('Manifests of the site\'s own cluster, relative to this folder.'),
  })).optional().describe('More sites, each served by its own Kubernetes API (active/active, drift between clusters).'),
  postgres: z.strictObject({
    standby: z.boolean().default(false).describe('Start a streaming standby of the primary.'),
    applyDelay: z.string().regex(/^\d+(ms|s|min|h)$/).optional().describe('recovery_min_apply_delay of the standby: it replays this far behind.'),
    lagAtLeast: z.string().regex(/^\d+(ms|s|m)$/).optional().describe('Report the lab ready only once the standby replays at least this far behind.'),
  }).optional().describe('A real PostgreSQL primary (seeded) for the scenario; its DSN is written to secrets/replication-dsn.'),
  backups: z.strictObject({
    database: z.strictObject({
      age: z.string().regex(/^\d+[smhd]$/).describe('Age of the newest pg_dump file (its mtime), e.g. 2h.'),
      damage: z.enum(['empty', 'truncated', 'corrupt']).optional().describe('What is wrong with the newest dump.'),
    }).optional(),
    filestore: z.strictObject({ age: z.string().regex(/^\d+[smhd]$/) }).optional(),
  }).optional().describe('Backup files the lab writes under <out>/backups/ and configures (a real pg_dump -Fc of a seeded database).'),
  config: mergePatch.optional().describe('Merged into the mmgate.yaml the lab writes (check options, waivers…).'),
});
export type ScenarioFile = z.output<typeof scenarioFileSchema>;


/**
 * How a check blocks: `fail` (it looked and found the problem) or `error` (it could not look),
 * optionally with the code of what stopped it (`error:NOT_CONFIGURED`, `error:TIMEOUT`).
 */
export const BLOCKING_STATUS = /^(fail|error(:[A-Z][A-Z0-9_]*)?)$/;
const blockingSchema = z.union([
  z.record(z.string(), z.string().regex(BLOCKING_STATUS, 'fail, error or error:CODE')),
  // The former list of ids: still read, so the scenario test can print the map to write instead.
  z.array(z.string()),
]).default({}).describe('Each check that blocks, and how: { check-id: fail | error | error:CODE }. {} when nothing blocks.');
const verdictSchema = z.enum(['promote', 'blocked']);

export const expectSchema = z.strictObject({
  base: z.literal(true).optional().describe('A base scenario others extend, with no verdict of its own.'),
  preflight: z.strictObject({
    verdict: verdictSchema, blocking: blockingSchema,
    site: z.string().optional().describe('preflight --site: the site of sites[] the run upgrades.'),
  }).optional(),
  watch: z.strictObject({
    verdict: verdictSchema,
    blocking: blockingSchema,
    upgrade: upgradeSchema.describe('The upgrade the lab plays while mmgate watch runs.'),
  }).optional(),
  verify: z.strictObject({
    verdict: verdictSchema, blocking: blockingSchema,
    side: z.enum(['idle', 'production', 'canary']).optional().describe('verify --side: which blue/green or canary side is judged.'),
    warnings: z.array(z.string()).optional().describe('Checks that must warn (not block).'),
    site: z.string().optional().describe('verify --site: the site of sites[] that was upgraded.'),
  }).optional(),
});
export type ScenarioExpect = z.output<typeof expectSchema>;

/** One folder of the extends chain, root first. */
interface Layer { dir: string; file: ScenarioFile; objects: KubeObject[]; mattermost?: unknown }

export interface BuiltScenario {
  readonly name: string;
  readonly dir: string;
  readonly description: string;
  readonly store: ObjectStore;
  readonly mattermost: MattermostSpec;
  readonly target: { version: string; image?: string };
  readonly lab: NonNullable<ScenarioFile['lab']>;
  readonly backups: NonNullable<ScenarioFile['backups']>;
  /** Other sites: each its own cluster (a second Kubernetes API), with its kube context. */
  readonly sites: readonly { name: string; context: string; store: ObjectStore }[];
  readonly postgres?: ScenarioFile['postgres'];
  readonly config: Record<string, unknown>;
  readonly expect: ScenarioExpect;
}

export function listScenarios(root = BUILTIN_SCENARIOS): { name: string; description: string }[] {
  if (!existsSync(root)) return [];
  return readdirSync(root).filter((n) => existsSync(join(root, n, 'scenario.yaml'))).sort()
    .map((name) => ({ name, description: readScenarioFile(join(root, name)).description }));
}

/** Resolves a scenario argument: a path to a folder, or a built-in name. */
export function resolveScenario(nameOrPath: string, base = process.cwd()): string {
  const asPath = isAbsolute(nameOrPath) ? nameOrPath : resolve(base, nameOrPath);
  if ((nameOrPath.includes('/') || nameOrPath.startsWith('.')) && existsSync(join(asPath, 'scenario.yaml'))) return asPath;
  const builtin = join(BUILTIN_SCENARIOS, nameOrPath);
  if (existsSync(join(builtin, 'scenario.yaml'))) return builtin;
  if (existsSync(join(asPath, 'scenario.yaml'))) return asPath;
  const names = listScenarios().map((s) => s.name);
  throw new UsageError(`no scenario "${nameOrPath}"`, `give a folder with a scenario.yaml, or one of: ${names.join(', ')}`);
}

export async function buildScenario(nameOrPath: string, opts: { now?: () => Date } = {}): Promise<BuiltScenario> {
  const dir = resolveScenario(nameOrPath);
  const chain = loadChain(dir, new Set());
  const store = new ObjectStore();
  let spec: MattermostSpec | undefined;
  let target: BuiltScenario['target'] | undefined;
  let lab: BuiltScenario['lab'] = {};
  let backups: BuiltScenario['backups'] = {};
  const sites = new Map<string, { name: string; context: string; store: ObjectStore }>();
  let postgres: ScenarioFile['postgres'];
  let config: Record<string, unknown> = {};
  for (const layer of chain) {
    for (const o of layer.objects) store.put(o);
    if (layer.mattermost !== undefined) {
      try {
        spec = parseMattermostSpec(layer.mattermost);
      } catch (err) {
        throw new UsageError(`${join(layer.dir, 'mattermost.yaml')}: ${(err as Error).message}`, 'see fixtures/scenarios/README.md for the format');
      }
    }
    if (!spec) throw new UsageError(`scenario ${layer.dir}: no mattermost.yaml in it or in what it extends`, 'add a mattermost.yaml (format in fixtures/scenarios/README.md)');
    if (layer.file.upgrade) {
      const servers = specServers(spec);
      const cr = theInstallation(store, layer.dir);
      await simulateUpgrade(store, servers, layer.file.upgrade, { namespace: cr.namespace, installation: cr.name, ...(opts.now ? { now: opts.now } : {}) });
    }
    for (const p of layer.file.patches) applyPatch(store, p, layer.dir);
    if (layer.file.mattermost) spec = patchMattermost(spec, layer.file.mattermost, layer.dir);
    if (layer.file.target) target = layer.file.target;
    if (layer.file.lab) lab = { ...lab, ...layer.file.lab };
    if (layer.file.backups) backups = { ...backups, ...layer.file.backups };
    for (const [name, site] of Object.entries(layer.file.sites ?? {})) {
      sites.set(name, { name, context: site.context, store: new ObjectStore(readManifests(join(layer.dir, site.manifests))) });
    }
    if (layer.file.postgres) postgres = layer.file.postgres;
    if (layer.file.config) config = applyMergePatch(config, layer.file.config) as Record<string, unknown>;
  }
  const last = chain[chain.length - 1]!;
  if (!target) throw new UsageError(`scenario ${dir}: no target version`, 'add target: { version: x.y.z } to scenario.yaml');
  return {
    name: dir.startsWith(BUILTIN_SCENARIOS) ? dir.slice(BUILTIN_SCENARIOS.length + 1) : dir,
    dir, description: last.file.description, store, mattermost: parseMattermostSpec(spec), target, lab, backups, config,
    sites: [...sites.values()], ...(postgres ? { postgres } : {}),
    expect: readExpect(dir),
  };
}

/**
 * The scenario as it was before its simulated upgrade (the parent of the last layer that
 * upgrades), or undefined when nothing in its chain upgrades. verify's baseline is the preflight
 * of that state, as on a real upgrade night.
 */
export function preUpgradeScenario(nameOrPath: string): string | undefined {
  const chain = loadChain(resolveScenario(nameOrPath), new Set());
  const i = chain.map((l) => Boolean(l.file.upgrade)).lastIndexOf(true);
  return i > 0 ? chain[i - 1]!.dir : undefined;
}

/** The upgrade the scenario's last upgrading layer plays (the demo plays it live), or undefined. */
export function scenarioUpgrade(nameOrPath: string): ScenarioFile['upgrade'] {
  return loadChain(resolveScenario(nameOrPath), new Set()).map((l) => l.file.upgrade).filter(Boolean).pop();
}

/** Parses a scenario's YAML file; a syntax error is the scenario author's to fix (exit 2), not a crash. */
function readYaml(path: string): unknown {
  try {
    return parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UsageError(`${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`, 'fix the YAML syntax (indentation, a missing colon or quote)');
  }
}

function readScenarioFile(dir: string): ScenarioFile {
  const path = join(dir, 'scenario.yaml');
  const parsed = scenarioFileSchema.safeParse(readYaml(path) ?? {});
  if (!parsed.success) throw new UsageError(`${path}: ${z.prettifyError(parsed.error)}`, 'see fixtures/scenarios/README.md for the format');
  return parsed.data;
}

/** A scenario's expect.yaml; a folder without one (a scenario not yet judged) expects nothing. */
export function readExpect(dir: string): ScenarioExpect {
  const path = join(dir, 'expect.yaml');
  if (!existsSync(path)) return {};
  const parsed = expectSchema.safeParse(readYaml(path) ?? {});
  if (!parsed.success) throw new UsageError(`${path}: ${z.prettifyError(parsed.error)}`, 'expect.yaml holds preflight:/watch:/verify: { verdict, blocking: { check-id: fail | error:CODE } }, or base: true');
  return parsed.data;
}

function loadChain(dir: string, seen: Set<string>): Layer[] {
  if (seen.has(dir)) throw new UsageError(`scenario ${dir} extends itself (through ${[...seen].join(' → ')})`, 'break the extends cycle');
  seen.add(dir);
  const file = readScenarioFile(dir);
  const parent = file.extends ? loadChain(resolveScenario(file.extends, dir), seen) : [];
  const manifests = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n) && !['scenario.yaml', 'expect.yaml', 'mattermost.yaml'].includes(n)).sort();
  const objects = manifests.flatMap((n) => readManifests(join(dir, n)));
  const mmPath = join(dir, 'mattermost.yaml');
  const mattermost = existsSync(mmPath) ? readYaml(mmPath) : undefined;
  return [...parent, { dir, file, objects, ...(mattermost !== undefined ? { mattermost } : {}) }];
}

/** Multi-document YAML manifests. `kind: HelmRelease` (apiVersion lab.mmgate.io/v1) expands to Helm's storage Secret. */
function readManifests(path: string): KubeObject[] {
  if (!statSync(path).isFile()) return [];
  let objects: KubeObject[];
  try {
    objects = loadManifests(path);
  } catch (err) {
    throw new UsageError((err as Error).message, 'fix the manifest (YAML, apiVersion, kind, metadata.name)');
  }
  return objects.map((o) => {
    if (o.apiVersion !== 'lab.mmgate.io/v1' || o.kind !== 'HelmRelease') return o;
    const r = o as unknown as { metadata: { name: string; namespace?: string }; spec: Parameters<typeof helmReleaseSecret>[0] };
    return helmReleaseSecret({ ...r.spec, name: r.metadata.name, namespace: r.metadata.namespace ?? 'default' });
  });
}

/** The scenario's one installation (a lab scenario simulates one): a Mattermost or a ClusterInstallation. */
export function theInstallation(store: ObjectStore, dir: string): { namespace: string; name: string; kind: 'Mattermost' | 'ClusterInstallation' } {
  const crs = [...store.list('installation.mattermost.com/v1beta1', 'Mattermost'), ...store.list('mattermost.com/v1alpha1', 'ClusterInstallation')];
  if (crs.length !== 1) throw new UsageError(`scenario ${dir}: needs exactly one Mattermost or ClusterInstallation CR, found ${crs.length}`, 'define one in cluster.yaml');
  return { namespace: crs[0]!.metadata.namespace ?? 'default', name: crs[0]!.metadata.name, kind: crs[0]!.kind === 'ClusterInstallation' ? 'ClusterInstallation' : 'Mattermost' };
}

function applyPatch(store: ObjectStore, p: ScenarioFile['patches'][number], dir: string): void {
  const candidates = p.apiVersion ? [p.apiVersion] : ['v1', 'apps/v1', 'batch/v1', 'installation.mattermost.com/v1beta1', 'mattermost.com/v1alpha1', 'networking.k8s.io/v1', 'snapshot.storage.k8s.io/v1', 'metrics.k8s.io/v1beta1'];
  const hit = candidates.map((api) => store.get(api, p.kind, p.namespace, p.name)).find(Boolean);
  if (!hit) throw new UsageError(`scenario ${dir}: patch target ${p.kind} ${p.namespace ?? ''}/${p.name} does not exist`, 'check the name (pods created by an upgrade have generated names: list them with kubectl get pods)');
  if (p.delete) { store.delete(hit.apiVersion, hit.kind, hit.metadata.namespace ?? '', hit.metadata.name); return; }
  store.put(applyMergePatch(hit, p.merge ?? {}) as KubeObject);
}

function patchMattermost(spec: MattermostSpec, patch: NonNullable<ScenarioFile['mattermost']>, dir: string): MattermostSpec {
  const pods = { ...spec.pods };
  for (const [name, m] of Object.entries(patch.pods ?? {})) {
    const names = name === '*' ? Object.keys(pods) : [name];
    for (const n of names) {
      // A patch with a version may add a server (a pod the scenario adds in its cluster.yaml).
      if (!pods[n] && typeof m['version'] !== 'string') throw new UsageError(`scenario ${dir}: mattermost.pods.${n}: no such pod (pods: ${Object.keys(pods).join(', ')})`, 'use a pod name of the scenario or "*", or give a version to add a server');
      pods[n] = applyMergePatch(pods[n] ?? {}, m) as PodServerSpec;
    }
  }
  return {
    ...spec, pods,
    ...(patch.behaviour ? { behaviour: applyMergePatch(spec.behaviour ?? {}, patch.behaviour) as MattermostSpec['behaviour'] } : {}),
    ...(patch.license ? { license: applyMergePatch(spec.license ?? {}, patch.license) as MattermostSpec['license'] } : {}),
  };
}

/** PodServers over a scenario spec being built. */
function specServers(spec: MattermostSpec): PodServers {
  return {
    defaults: spec.defaults ?? {},
    get: (pod) => spec.pods[pod],
    add: (pod, s) => { spec.pods[pod] = s; },
    remove: (pod) => { delete spec.pods[pod]; },
  };
}

export type { FaultRule };
export { applyMergePatch };

/**
 * The Mattermost collectors and the post-upgrade checks against the lab's simulators, through the
 * same doors a real cluster has: the Kubernetes API (https, bearer token, pod proxy that strips
 * Authorization, pod logs) and the Mattermost front door. Runs the real runner end to end.
 */
import assert from 'node:assert/strict';
import { Redactor } from '../../core/secrets.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { builtinChecks } from '../../checks/index.js';
import { configSchema, type MmgateConfigInput } from '../../core/config/schema.js';
import type { CheckResult, Snapshot } from '../../core/types.js';
import { runGate } from '../../core/runner.js';
import type { SmokeJourney, ServerPings, PodLogs, ClusterStatus } from '../../core/mattermost-types.js';
import { kubeconfigYaml } from '../../lab/kube/kubeconfig.js';
import { startKubeApi, type KubeApi, type PodProxyRequest } from '../../lab/kube/server.js';
import { ObjectStore } from '../../lab/kube/store.js';
import type { KubeObject } from '../../lab/kube/types.js';
import { MattermostWorld, startFrontDoor, type FrontDoor, type MattermostSpec } from '../../lab/mattermost/index.js';
import { builtinCollectors } from '../index.js';
import { parseMattermostLog } from './pod-logs.js';
import { normaliseEndpoint } from './http.js';

const NS = 'mattermost';
const INST = 'mm';
const KUBE_TOKEN = 'kube-token-0123456789';
const ADMIN_PAT = 'adminpat000000000000000000';
const SMOKE = { username: 'mmgate-smoke', password: 'Smoke-Pass-0123' };
const HOOK = 'hook0000000000000000000001';
const IMAGE = 'mattermost/mattermost-enterprise-edition:11.7.1';

function spec(o: Partial<MattermostSpec> = {}): MattermostSpec {
  return {
    users: [
      { username: 'sysadmin', password: 'Sys@dmin-sample1', roles: 'system_user system_admin', tokens: [ADMIN_PAT] },
      { username: SMOKE.username, password: SMOKE.password },
    ],
    teams: [{ name: 'ops', channels: [{ name: 'upgrade-smoke' }], members: ['sysadmin', SMOKE.username] }],
    defaults: { plugins: [{ id: 'com.mattermost.calls', version: '1.2.0', state: 2 }] },
    pods: { 'mm-a': { version: '11.7.1' }, 'mm-b': { version: '11.7.1' } },
    incomingWebhooks: [{ id: HOOK, team: 'ops', channel: 'upgrade-smoke' }],
    ...o,
  };
}

function kubePod(name: string, o: { phase?: string; ready?: boolean; ip?: string } = {}): KubeObject {
  const ready = o.ready ?? true;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: NS, labels: { app: 'mattermost', 'installation.mattermost.com/installation': INST, 'installation.mattermost.com/resource': INST } },
    spec: { containers: [{ name: 'mattermost', image: IMAGE, ports: [{ name: 'app', containerPort: 8065 }] }] },
    status: {
      phase: o.phase ?? 'Running', podIP: o.ip ?? '10.244.0.10',
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [{ name: 'mattermost', ready, restartCount: 0, image: IMAGE }],
    },
  };
}

interface Lab {
  world: MattermostWorld;
  kube: KubeApi;
  front: FrontDoor;
  store: ObjectStore;
  dir: string;
  proxied: PodProxyRequest[];
  /** Called on each pod proxy request before it is served (tests hook aborts here). */
  onProxy?: (r: PodProxyRequest) => void;
  close(): Promise<void>;
}

async function startLab(s: MattermostSpec = spec(), pods: KubeObject[] = [kubePod('mm-a'), kubePod('mm-b', { ip: '10.244.0.11' })]): Promise<Lab> {
  const world = new MattermostWorld(s);
  const store = new ObjectStore(pods);
  const proxied: PodProxyRequest[] = [];
  const lab = { world, store, proxied } as Partial<Lab> as Lab;
  lab.kube = await startKubeApi({
    store, tls: true, token: KUBE_TOKEN,
    podProxy: async (r) => { proxied.push(r); lab.onProxy?.(r); return world.handlePod(r.pod, r.port, r); },
    podLogs: (q) => world.podLogs(q.pod, { ...(q.sinceSeconds !== undefined ? { sinceSeconds: q.sinceSeconds } : {}) }),
  });
  lab.front = await startFrontDoor(world);
  lab.dir = mkdtempSync(join(tmpdir(), 'mmgate-mm-'));
  writeFileSync(join(lab.dir, 'kubeconfig'), kubeconfigYaml({ url: lab.kube.url, ...(lab.kube.caPem ? { caPem: lab.kube.caPem } : {}), token: KUBE_TOKEN, namespace: NS }));
  lab.close = async () => { await lab.front.close(); await lab.kube.close(); rmSync(lab.dir, { recursive: true, force: true }); };
  return lab;
}

function config(lab: Lab, mattermost: Partial<NonNullable<MmgateConfigInput['mattermost']>> = {}): MmgateConfigInput {
  return {
    target: { version: '11.7.1' },
    kube: { kubeconfig: join(lab.dir, 'kubeconfig'), namespace: NS, installation: INST },
    mattermost: {
      url: lab.front.url,
      admin: { token: ADMIN_PAT },
      smoke: { ...SMOKE, team: 'ops', channel: 'upgrade-smoke' },
      incomingWebhook: { id: HOOK },
      webhookTimeout: '3s',
      ...mattermost,
    },
  };
}

async function verify(lab: Lab, cfg: MmgateConfigInput, only: string[], opts: { signal?: AbortSignal } = {}): Promise<{ results: Map<string, CheckResult>; snapshot: Snapshot }> {
  const config = configSchema.parse(cfg);
  const checks = builtinChecks.filter((c) => only.includes(c.meta.id));
  assert.equal(checks.length, only.length, `unknown check in ${only.join(', ')}`);
  const { report, snapshot } = await runGate({
    phase: 'post', checks, collectors: new Map(builtinCollectors.map((c) => [c.key, c])), config, configDir: lab.dir,
    scope: { namespace: NS, installation: INST }, target: { version: '11.7.1' },
    policy: { preset: 'strict', checks: {}, waivers: [], ignore: [], today: '2026-11-20' },
    checkOptions: new Map(checks.map((c) => [c.meta.id, c.options.parse({})])),
    timeouts: { collectorMs: 30_000, checkMs: 5_000, overallMs: 60_000 },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return { results: new Map(report.results.map((r) => [r.id, r])), snapshot };
}

const explain = (r: CheckResult | undefined): string => JSON.stringify(r, null, 1);
const JOURNEY_CHECKS = ['login', 'navigation', 'post-roundtrip', 'file-roundtrip', 'incoming-webhook'];

async function waitFor(cond: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Mattermost collectors against the lab', () => {
  let lab: Lab;
  before(async () => { lab = await startLab(); });
  after(async () => { await lab.close(); });

  it('a healthy upgraded installation passes every Mattermost check, and leaves nothing behind', async () => {
    const { results, snapshot } = await verify(lab, config(lab), [...JOURNEY_CHECKS, 'server-version', 'server-health', 'cluster-coherence', 'plugin-health', 'log-errors']);
    for (const [id, r] of results) assert.equal(r.status, 'pass', `${id}: ${explain(r)}`);
    assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 });
    const j = snapshot.data.smokeJourney as SmokeJourney;
    assert.deepEqual(j.readyPods, ['mm-a', 'mm-b']);
    assert.deepEqual(j.postReads.map((r) => r.via), ['front-door', 'mm-a', 'mm-b']);
    assert.ok(j.upload && j.upload.size >= 64 * 1024);
    assert.ok(j.fileDownloads.every((d) => d.sha256 === j.upload?.sha256));
    assert.equal(j.leftovers.length, 0);
    assert.ok(j.objects.length >= 4, 'post, file, its post, the webhook post');
    const pings = snapshot.data.serverPings as ServerPings;
    assert.deepEqual(pings.pods.map((p) => [p.pod, p.version?.version, p.databaseStatus]), [['mm-a', '11.7.1', 'OK'], ['mm-b', '11.7.1', 'OK']]);
    assert.equal((snapshot.data.clusterStatus as ClusterStatus).nodes.length, 2);
    assert.equal(results.get('post-roundtrip')?.measured?.['readsThroughPods'], 2);
  });

  it('never puts a Mattermost token in Authorization through the pod proxy, and no secret in the snapshot', async () => {
    lab.proxied.length = 0;
    const { snapshot } = await verify(lab, config(lab), ['post-roundtrip', 'server-health']);
    assert.ok(lab.proxied.length >= 4, 'pings and reads went through the pod proxy');
    for (const r of lab.proxied) {
      assert.equal(Object.keys(r.headers).find((k) => k.toLowerCase() === 'authorization'), undefined);
      assert.ok(!JSON.stringify(r.headers).includes(ADMIN_PAT));
    }
    const pings = lab.proxied.filter((r) => r.path.startsWith('/api/v4/system/ping'));
    assert.ok(pings.length >= 2 && pings.every((r) => !r.headers['cookie']), 'pings are unauthenticated');
    const reads = lab.proxied.filter((r) => r.path.startsWith('/api/v4/posts/'));
    assert.equal(reads.length, 2);
    assert.ok(reads.every((r) => /^MMAUTHTOKEN=[a-z0-9]{26}$/.test(r.headers['cookie'] ?? '')), 'reads carry the session as the cookie');
    const text = JSON.stringify(snapshot);
    for (const secret of [SMOKE.password, ADMIN_PAT, HOOK, reads[0]!.headers['cookie']!.slice('MMAUTHTOKEN='.length)]) assert.ok(!text.includes(secret), `snapshot leaks ${secret.slice(0, 4)}…`);
  });

  it('two journeys at the same time do not collide', async () => {
    const cfg = config(lab);
    const [a, b] = await Promise.all([verify(lab, cfg, JOURNEY_CHECKS), verify(lab, cfg, JOURNEY_CHECKS)]);
    for (const run of [a, b]) for (const [id, r] of run.results) assert.equal(r.status, 'pass', `${id}: ${explain(r)}`);
    const ja = a.snapshot.data.smokeJourney as SmokeJourney;
    const jb = b.snapshot.data.smokeJourney as SmokeJourney;
    assert.notEqual(ja.marker, jb.marker);
    assert.deepEqual(ja.objects.filter((o) => jb.objects.some((x) => x.id === o.id)), []);
    assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 });
  });

  it('a token-authenticated smoke user works too', async () => {
    const { results } = await verify(lab, config(lab, { smoke: { username: 'sysadmin', token: ADMIN_PAT, team: 'ops', channel: 'upgrade-smoke' } }), ['login', 'post-roundtrip']);
    assert.equal(results.get('login')?.status, 'pass', explain(results.get('login')));
    assert.equal(results.get('post-roundtrip')?.status, 'pass', explain(results.get('post-roundtrip')));
    assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 });
  });

  it('without an admin token, the admin collectors fail NOT_CONFIGURED naming the key', async () => {
    const { results } = await verify(lab, config(lab, { admin: undefined }), ['cluster-coherence', 'plugin-health']);
    for (const r of results.values()) {
      assert.equal(r.status, 'error');
      assert.match(r.error?.message ?? '', /mattermost\.admin\.token/);
    }
  });

  it('finds the front door from the CR status.endpoint when mattermost.url is not set', async () => {
    lab.store.put({ apiVersion: 'installation.mattermost.com/v1beta1', kind: 'Mattermost', metadata: { name: INST, namespace: NS }, spec: {}, status: { endpoint: lab.front.url } });
    try {
      const { results } = await verify(lab, config(lab, { url: undefined }), ['cluster-coherence']);
      assert.equal(results.get('cluster-coherence')?.status, 'pass', explain(results.get('cluster-coherence')));
    } finally {
      lab.store.delete('installation.mattermost.com/v1beta1', 'Mattermost', NS, INST);
    }
  });

  it('an interrupted journey still cleans up what it created', async () => {
    const controller = new AbortController();
    let atAbort: { posts: number; files: number } | undefined;
    lab.onProxy = (r) => {
      if (!r.path.startsWith('/api/v4/posts/') || controller.signal.aborted) return;
      atAbort = lab.world.smokeLeftovers();
      controller.abort(new Error('interrupted by the test'));
    };
    try {
      const { results } = await verify(lab, config(lab), ['post-roundtrip'], { signal: controller.signal });
      assert.equal(results.get('post-roundtrip')?.status, 'error');
    } finally {
      lab.onProxy = undefined;
    }
    // The journeys run at once: the file's and the webhook's posts may exist too by then.
    assert.ok((atAbort?.posts ?? 0) >= 1, `the smoke post existed when the run was interrupted (${atAbort?.posts ?? 0} smoke posts)`);
    // The runner stopped waiting; the journey's cleanup finishes on its own.
    await waitFor(() => lab.world.smokeLeftovers().posts === 0 && lab.world.smokeLeftovers().files === 0);
  });
});

describe('Mattermost collectors against a broken lab', () => {
  it('corrupt downloads fail file-roundtrip, and the journey cleans up', async () => {
    const lab = await startLab(spec({ behaviour: { corruptDownloads: true } }));
    try {
      const { results, snapshot } = await verify(lab, config(lab), ['file-roundtrip', 'post-roundtrip']);
      const r = results.get('file-roundtrip');
      assert.equal(r?.status, 'fail', explain(r));
      assert.ok(r?.findings.some((f) => /is not the one uploaded/.test(f.message) && /SHA-256/.test(f.actual ?? '')), explain(r));
      assert.equal(results.get('post-roundtrip')?.status, 'pass');
      assert.equal((snapshot.data.smokeJourney as SmokeJourney).leftovers.length, 0);
      assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 });
    } finally { await lab.close(); }
  });

  it('a refused login fails login and skips the rest without leaving anything', async () => {
    const lab = await startLab(spec({ behaviour: { loginRefused: true } }));
    try {
      const { results } = await verify(lab, config(lab), JOURNEY_CHECKS);
      const login = results.get('login');
      assert.equal(login?.status, 'fail');
      assert.match(login?.findings[0]?.actual ?? '', /HTTP 401/);
      assert.match(results.get('post-roundtrip')?.findings[0]?.message ?? '', /was not tried: login failed/);
      assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 });
    } finally { await lab.close(); }
  });

  it('disabled uploads and webhooks fail their checks and leave nothing', async () => {
    const lab = await startLab(spec({ behaviour: { uploadsDisabled: true, enableIncomingWebhooks: false } }));
    try {
      const { results } = await verify(lab, config(lab), ['file-roundtrip', 'incoming-webhook']);
      assert.match(results.get('file-roundtrip')?.findings[0]?.actual ?? '', /HTTP 501/);
      assert.equal(results.get('incoming-webhook')?.status, 'fail', explain(results.get('incoming-webhook')));
      assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 });
    } finally { await lab.close(); }
  });

  it('a mixed cluster, an unhealthy database and a pod that is not running are named', async () => {
    const lab = await startLab(
      spec({ pods: { 'mm-a': { version: '11.7.1' }, 'mm-b': { version: '11.6.2', health: { database: false } } } }),
      [kubePod('mm-a'), kubePod('mm-b', { ip: '10.244.0.11' }), kubePod('mm-c', { phase: 'Pending', ready: false, ip: '10.244.0.12' })],
    );
    try {
      const { results, snapshot } = await verify(lab, config(lab), ['server-version', 'server-health', 'cluster-coherence']);
      const version = results.get('server-version');
      assert.equal(version?.status, 'fail');
      assert.ok(version?.findings.some((f) => f.subject?.name === 'mm-b' && f.actual === '11.6.2'), explain(version));
      assert.ok(version?.findings.some((f) => f.subject?.name === 'mm-c' && /could not tell its version/.test(f.message)), explain(version));
      const health = results.get('server-health');
      assert.ok(health?.findings.some((f) => f.subject?.name === 'mm-b' && /database_status/.test(f.message)), explain(health));
      assert.ok(health?.findings.some((f) => f.subject?.name === 'mm-c' && /could not be asked/.test(f.message)), explain(health));
      const c = (snapshot.data.serverPings as ServerPings).pods.find((p) => p.pod === 'mm-c');
      assert.equal(c?.error?.code, 'PROXY_ERROR');
      assert.equal(results.get('cluster-coherence')?.status, 'fail');
    } finally { await lab.close(); }
  });

  it('failed plugins and error log lines are reported with their text', async () => {
    const lab = await startLab(spec({
      defaults: {
        plugins: [{ id: 'com.mattermost.calls', version: '1.2.0', state: 3, error: 'plugin requires a newer server' }],
        logs: [{ level: 'error', msg: 'Failed to run migration', at: '-1m', migration: 'posts_add_column' }],
      },
    }));
    try {
      const { results, snapshot } = await verify(lab, config(lab), ['plugin-health', 'log-errors']);
      const plugins = results.get('plugin-health');
      assert.equal(plugins?.status, 'fail');
      assert.match(plugins?.findings[0]?.message ?? '', /failed to start \(state 3\).*plugin requires a newer server/);
      const logs = results.get('log-errors');
      assert.equal(logs?.status, 'warn', explain(logs)); // two lines in the window: a stray error warns, a storm blocks
      assert.match(logs?.findings[0]?.evidence?.[0] ?? '', /Failed to run migration/);
      assert.equal((snapshot.data.podLogs as PodLogs).pods.length, 2);
    } finally { await lab.close(); }
  });
});

describe('Mattermost collector helpers', () => {
  it('parses Mattermost JSON log lines, counting levels and grouping errors', () => {
    const text = [
      '{"timestamp":"2026-11-20 11:50:00.000 Z","level":"info","msg":"Server is initializing..."}',
      '{"timestamp":"2026-11-20 11:51:00.000 Z","level":"error","msg":"Failed to upload","token":"sekret-token","dsn":"postgres://mm:never-told-pw@db/mm"}',
      '{"timestamp":"2026-11-20 11:52:00.000 Z","level":"error","msg":"Failed to upload"}',
      '{"timestamp":"2026-11-20 11:53:00.000 Z","level":"PANIC","msg":"runtime error"}',
      'goroutine 1 [running]:',
      '',
    ].join('\n');
    const redactor = new Redactor();
    redactor.add('sekret-token');
    const p = parseMattermostLog(text, redactor);
    assert.equal(p.lines, 5);
    assert.equal(p.jsonLines, 4);
    assert.equal(p.nonJsonLines, 1);
    assert.deepEqual(p.levels, { info: 1, error: 2, panic: 1 });
    assert.deepEqual(p.groups.map((g) => [g.level, g.msg, g.count, g.first, g.last]), [
      ['error', 'Failed to upload', 2, '2026-11-20 11:51:00.000 Z', '2026-11-20 11:52:00.000 Z'],
      ['panic', 'runtime error', 1, '2026-11-20 11:53:00.000 Z', '2026-11-20 11:53:00.000 Z'],
    ]);
    assert.ok(!p.groups[0]!.sample.includes('sekret-token'));
    // A password mmgate was never told about is masked too (field named like a secret, URL credentials).
    assert.ok(!p.groups[0]!.sample.includes('never-told-pw'));
  });

  it('bounds the groups and counts the rest per level', () => {
    const text = Array.from({ length: 5 }, (_, i) => JSON.stringify({ level: 'error', msg: `m${i}` })).join('\n');
    const p = parseMattermostLog(text, undefined, 3);
    assert.equal(p.groups.length, 3);
    assert.deepEqual(p.ungrouped, { error: 2 });
  });

  it('normalises the front door endpoint', () => {
    assert.equal(normaliseEndpoint('chat.example.com'), 'https://chat.example.com');
    assert.equal(normaliseEndpoint('http://10.0.0.1:8065/'), 'http://10.0.0.1:8065');
    assert.equal(normaliseEndpoint('not available'), undefined);
    assert.equal(normaliseEndpoint(''), undefined);
  });
});

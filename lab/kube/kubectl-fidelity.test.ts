/**
 * The simulator against the real kubectl (the gcloud dispatcher build at /usr/bin/kubectl), over
 * https with a bearer token so kubectl really authenticates. Human output is compared with golden
 * files in fixtures/golden/kubectl/ (UPDATE_GOLDEN=1 rewrites them, test/golden.ts); machine output is parsed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kubeconfigYaml } from './kubeconfig.js';
import { loadManifests } from './manifests.js';
import type { KubeApi, KubeApiOptions } from './server.js';
import { startKubeApi } from './server.js';
import { ObjectStore } from './store.js';
import { matchGolden } from '../../test/golden.js';
import { skipUnless } from '../../test/tools.js';
import { NOW, repoRoot } from './test-support.js';

const KUBECTL = '/usr/bin/kubectl';
const TOKEN = 'fidelity-token';
const GOLDEN_DIR = join(repoRoot(), 'fixtures', 'golden', 'kubectl');
const FIXTURE = join(repoRoot(), 'fixtures', 'kube', 'fidelity.yaml');

const LOG_LINES = [
  '{"timestamp":"2026-11-22 11:58:01.123 Z","level":"info","msg":"Server is listening on [::]:8065","caller":"app/server.go:1012"}',
  '{"timestamp":"2026-11-22 11:59:00.456 Z","level":"info","msg":"Cluster leader changed","caller":"app/cluster.go:210"}',
  '{"timestamp":"2026-11-22 11:59:58.789 Z","level":"warn","msg":"Slow plugin health check","caller":"app/plugin.go:88"}',
];

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

interface Lab {
  api: KubeApi;
  dir: string;
  kubectl(...args: string[]): Promise<Run>;
  close(): Promise<void>;
}

async function startLab(extra: Partial<KubeApiOptions> = {}): Promise<Lab> {
  const api = await startKubeApi({
    store: new ObjectStore(loadManifests(FIXTURE)),
    tls: true,
    token: TOKEN,
    now: () => NOW,
    podLogs: (q) => (q.container === 'mattermost' ? LOG_LINES.join('\n') + '\n' : undefined),
    ...extra,
  });
  const dir = mkdtempSync(join(tmpdir(), 'mmgate-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml({ url: api.url, caPem: api.caPem!, token: TOKEN }));
  let runs = 0;
  const kubectl = (...args: string[]): Promise<Run> => {
    // A fresh discovery cache per run: a cached discovery would hide requests from the log.
    const cacheDir = join(dir, `cache-${++runs}`);
    mkdirSync(cacheDir);
    return runKubectl([...args, `--kubeconfig=${kubeconfig}`, `--cache-dir=${cacheDir}`], dir);
  };
  return { api, dir, kubectl, close: async () => { await api.close(); rmSync(dir, { recursive: true, force: true }); } };
}

/** Runs kubectl in its own process group, so a stuck run (and the binary the dispatcher starts) can be killed whole. */
function runKubectl(args: string[], home: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(KUBECTL, args, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ stdout, stderr, code });
    });
  });
}

const golden = (name: string, actual: string): void => matchGolden(join(GOLDEN_DIR, `${name}.txt`), actual);

const ok = (r: Run): string => {
  assert.equal(r.code, 0, `kubectl failed: ${r.stderr}`);
  return r.stdout;
};

describe('kubectl against the simulator', { skip: skipUnless(KUBECTL, 'kubectl, expected on the machine', 'the kubectl fidelity tests') }, () => {

  let lab: Lab;
  before(async () => {
    lab = await startLab();
  });
  after(() => lab.close());

  it('authenticates with the token over TLS on every request, the dispatcher\'s /version included', async () => {
    lab.api.requests.length = 0;
    ok(await lab.kubectl('get', 'nodes'));
    assert.ok(lab.api.requests.length >= 4);
    assert.ok(lab.api.requests.every((r) => r.authenticated && r.status === 200), JSON.stringify(lab.api.requests));
    assert.ok(lab.api.requests.some((r) => r.path === '/version' && r.userAgent?.startsWith('kubectl-dispatcher')));
  });

  const human: [string, string[]][] = [
    ['get-nodes', ['get', 'nodes']],
    ['get-nodes-wide', ['get', 'nodes', '-o', 'wide']],
    ['get-pods-wide', ['get', 'pods', '-n', 'mattermost', '-o', 'wide']],
    ['get-pods-all-namespaces', ['get', 'pods', '-A']],
    ['get-mm', ['get', 'mm', '-n', 'mattermost']],
    ['get-deploy-rs', ['get', 'deploy,rs', '-n', 'mattermost']],
    ['get-events-all-namespaces', ['get', 'events', '-A']],
    ['get-helm-secrets', ['get', 'secrets', '-n', 'mattermost', '-l', 'owner=helm']],
    ['top-nodes', ['top', 'nodes']],
    ['top-pods', ['top', 'pods', '-n', 'mattermost']],
  ];
  for (const [name, args] of human) {
    it(`kubectl ${args.join(' ')}`, async () => golden(name, ok(await lab.kubectl(...args))));
  }

  it('prints a jsonpath over a single get', async () => {
    assert.equal(ok(await lab.kubectl('get', 'deploy', 'mm', '-n', 'mattermost', '-o', 'jsonpath={.status.readyReplicas}/{.spec.replicas}')), '3/3');
  });

  it('-o json gives the pods as a List kubectl builds', async () => {
    const list = JSON.parse(ok(await lab.kubectl('get', 'pods', '-n', 'mattermost', '-o', 'json'))) as { kind: string; items: { kind: string; metadata: { name: string } }[] };
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.items.map((p) => p.metadata.name), ['mm-7d9c5b6f4-2xkqp', 'mm-7d9c5b6f4-8hj4d', 'mm-7d9c5b6f4-vn5zr']);
    assert.ok(list.items.every((p) => p.kind === 'Pod'));
  });

  it('--chunk-size=1 pages through continue tokens', async () => {
    lab.api.requests.length = 0;
    const out = ok(await lab.kubectl('get', 'pods', '-n', 'mattermost', '--chunk-size=1', '-o', 'name'));
    assert.equal(out, 'pod/mm-7d9c5b6f4-2xkqp\npod/mm-7d9c5b6f4-8hj4d\npod/mm-7d9c5b6f4-vn5zr\n');
    const pages = lab.api.requests.filter((r) => r.path === '/api/v1/namespaces/mattermost/pods');
    assert.equal(pages.length, 3);
    assert.equal(pages.filter((r) => r.query.includes('continue=')).length, 2);
  });

  it('reports a missing pod as the real server\'s NotFound, exit 1', async () => {
    const r = await lab.kubectl('get', 'pod', 'nope', '-n', 'mattermost');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'Error from server (NotFound): pods "nope" not found\n');
  });

  it('kubectl logs --tail=2 reads the log subresource as text', async () => {
    lab.api.requests.length = 0;
    assert.equal(ok(await lab.kubectl('logs', 'mm-7d9c5b6f4-2xkqp', '-n', 'mattermost', '-c', 'mattermost', '--tail=2')), LOG_LINES.slice(1).join('\n') + '\n');
    const log = lab.api.requests.find((r) => r.path.endsWith('/log'));
    assert.deepEqual(new URLSearchParams(log?.query).get('tailLines'), '2');
  });

  it('get --raw /version returns the server version document', async () => {
    const v = JSON.parse(ok(await lab.kubectl('get', '--raw', '/version'))) as Record<string, string>;
    assert.deepEqual([v.major, v.minor, v.gitVersion], ['1', '32', 'v1.32.4']);
  });

  it('resolves `mm` through aggregated discovery without per-group requests', async () => {
    lab.api.requests.length = 0;
    golden('get-mm', ok(await lab.kubectl('get', 'mm', '-n', 'mattermost')));
    assert.ok(!lab.api.requests.some((r) => r.path === '/apis/installation.mattermost.com/v1beta1'));
  });

  it('resolves `mm` through legacy discovery when aggregated discovery is off', async () => {
    const legacy = await startLab({ aggregatedDiscovery: false });
    try {
      golden('get-mm', ok(await legacy.kubectl('get', 'mm', '-n', 'mattermost')));
      const paths = legacy.api.requests.map((r) => r.path);
      assert.ok(paths.includes('/apis/installation.mattermost.com/v1beta1'), paths.join(' '));
      assert.ok(paths.includes('/api/v1'));
    } finally {
      await legacy.close();
    }
  });

  for (const [minor, discovery] of [['28', 'v2beta1'], ['33', 'v2']] as const) {
    it(`a 1.${minor} server makes the dispatcher run kubectl 1.${minor}, which still prints the same`, async () => {
      const other = await startLab({ serverVersion: { major: '1', minor, gitVersion: `v1.${minor}.0` } });
      try {
        const version = JSON.parse(ok(await other.kubectl('version', '-o', 'json'))) as { clientVersion: { gitVersion: string }; serverVersion: { minor: string } };
        assert.match(version.clientVersion.gitVersion, new RegExp(`^v1\\.${minor}\\.`));
        assert.equal(version.serverVersion.minor, minor);
        other.api.requests.length = 0;
        golden('get-mm', ok(await other.kubectl('get', 'mm', '-n', 'mattermost')));
        golden(`get-pods-all-namespaces`, ok(await other.kubectl('get', 'pods', '-A')));
        const apis = other.api.requests.find((r) => r.path === '/apis');
        assert.ok(apis?.accept?.includes(`v=${discovery};as=APIGroupDiscoveryList`), apis?.accept);
      } finally {
        await other.close();
      }
    });
  }
});

/**
 * The simulator against @kubernetes/client-node 1.4.0, the client mmgate's collectors use: typed
 * lists with paging, ApiException bodies, custom objects, pod logs, metrics and a watch.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiException, CoreV1Api, CustomObjectsApi, KubeConfig, Metrics, Watch } from '@kubernetes/client-node';
import { loadManifests } from './manifests.js';
import type { KubeApi } from './server.js';
import { startKubeApi } from './server.js';
import { ObjectStore } from './store.js';
import { NOW, pod, repoRoot } from './test-support.js';

const TOKEN = 'client-node-token';

function kubeConfig(api: KubeApi): KubeConfig {
  const kc = new KubeConfig();
  const cluster = api.caPem
    ? { name: 'lab', server: api.url, caData: Buffer.from(api.caPem).toString('base64') }
    : { name: 'lab', server: api.url, skipTLSVerify: true }; // client-node refuses http:// without it
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name: 'u', token: TOKEN }],
    contexts: [{ name: 'lab', cluster: 'lab', user: 'u', namespace: 'mattermost' }],
    currentContext: 'lab',
  });
  return kc;
}

describe('@kubernetes/client-node against the simulator', () => {
  let store: ObjectStore;
  let api: KubeApi;
  let kc: KubeConfig;
  before(async () => {
    store = new ObjectStore(loadManifests(join(repoRoot(), 'fixtures', 'kube', 'fidelity.yaml')));
    api = await startKubeApi({ store, token: TOKEN, now: () => NOW, podLogs: (q) => `log of ${q.pod}/${q.container}\nsecond line\n` });
    kc = kubeConfig(api);
  });
  after(() => api.close());

  it('lists nodes, sending the token over http', async () => {
    const nodes = await kc.makeApiClient(CoreV1Api).listNode();
    assert.deepEqual(nodes.items.map((n) => n.metadata?.name), ['node-a', 'node-b', 'node-c']);
    assert.ok(nodes.items[0]!.metadata?.creationTimestamp instanceof Date);
    assert.equal(api.requests.at(-1)!.authenticated, true);
  });

  it('pages listNamespacedPod with limit and _continue', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedPod({ namespace: 'mattermost', limit: 1, ...(token ? { _continue: token } : {}) });
      names.push(...page.items.map((p) => p.metadata!.name!));
      token = page.metadata?._continue;
      pages++;
    } while (token);
    assert.deepEqual(names, ['mm-7d9c5b6f4-2xkqp', 'mm-7d9c5b6f4-8hj4d', 'mm-7d9c5b6f4-vn5zr']);
    assert.equal(pages, 3);
  });

  it('rejects readNamespacedPod of a missing pod with ApiException 404 and a Status body', async () => {
    await assert.rejects(kc.makeApiClient(CoreV1Api).readNamespacedPod({ name: 'nope', namespace: 'mattermost' }), (e: unknown) => {
      assert.ok(e instanceof ApiException);
      assert.equal(e.code, 404);
      const body = JSON.parse(e.body as string) as { kind: string; reason: string; message: string };
      assert.deepEqual([body.kind, body.reason, body.message], ['Status', 'NotFound', 'pods "nope" not found']);
      return true;
    });
  });

  it('lists Mattermost custom resources as raw JSON', async () => {
    const list = (await kc.makeApiClient(CustomObjectsApi).listNamespacedCustomObject({
      group: 'installation.mattermost.com', version: 'v1beta1', namespace: 'mattermost', plural: 'mattermosts',
    })) as { kind: string; items: { kind: string; status: { state: string } }[] };
    assert.equal(list.kind, 'MattermostList');
    assert.deepEqual(list.items.map((i) => [i.kind, i.status.state]), [['Mattermost', 'stable']]);
  });

  it('reads a pod log as a string (text/plain is not JSON-parsed)', async () => {
    const text = await kc.makeApiClient(CoreV1Api).readNamespacedPodLog({ name: 'mm-7d9c5b6f4-2xkqp', namespace: 'mattermost', container: 'mattermost', tailLines: 1 });
    assert.equal(text, 'second line\n');
  });

  it('reads node metrics with the Metrics helper', async () => {
    const metrics = await new Metrics(kc).getNodeMetrics();
    assert.deepEqual(metrics.items.map((m) => [m.metadata.name, m.usage.cpu]), [['node-a', '251234567n'], ['node-b', '1203456789n'], ['node-c', '98765432n']]);
    const pods = await new Metrics(kc).getPodMetrics('mattermost');
    assert.equal(pods.items.length, 3);
  });

  it('receives a watch event after store.put', async () => {
    const seen: string[] = [];
    let added!: () => void;
    const gotNewPod = new Promise<void>((resolve) => (added = resolve));
    let ended!: (err: unknown) => void;
    const done = new Promise<unknown>((resolve) => (ended = resolve));
    const controller = await new Watch(kc).watch('/api/v1/namespaces/mattermost/pods', { resourceVersion: store.resourceVersion }, (type, obj: { metadata: { name: string } }) => {
      seen.push(`${type} ${obj.metadata.name}`);
      if (obj.metadata.name === 'watched') added();
    }, (err) => ended(err));
    store.put(pod('mattermost', 'watched'));
    await gotNewPod;
    controller.abort();
    await done;
    assert.deepEqual(seen, ['ADDED watched']);
  });

  it('works over https with the lab CA', async () => {
    const tls = await startKubeApi({ store, tls: true, token: TOKEN });
    try {
      const nodes = await kubeConfig(tls).makeApiClient(CoreV1Api).listNode();
      assert.equal(nodes.items.length, 3);
    } finally {
      await tls.close();
    }
  });
});

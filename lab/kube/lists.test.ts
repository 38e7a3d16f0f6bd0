import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeApi } from './server.js';
import { startKubeApi } from './server.js';
import { ObjectStore } from './store.js';
import { call, pod } from './test-support.js';
import type { KubeObject } from './types.js';

interface List { kind: string; apiVersion: string; metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number }; items: KubeObject[] }

const objects: KubeObject[] = [
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-a' } },
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-b', labels: { pool: 'db' } } },
  pod('mattermost', 'mm-1', { labels: { app: 'mattermost' } }),
  pod('mattermost', 'mm-2', { labels: { app: 'mattermost' }, spec: { nodeName: 'node-b' } }),
  pod('mattermost', 'mm-3', { labels: { app: 'mattermost' }, status: { phase: 'Pending' } }),
  pod('monitoring', 'exporter', { labels: { app: 'exporter' } }),
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'mm', namespace: 'mattermost' }, spec: { replicas: 3 } },
  { apiVersion: 'installation.mattermost.com/v1beta1', kind: 'Mattermost', metadata: { name: 'mm', namespace: 'mattermost' }, spec: { version: '10.5.2' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'helm-1', namespace: 'mattermost' }, type: 'helm.sh/release.v1', data: {} },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'opaque', namespace: 'mattermost' }, type: 'Opaque', data: {} },
  { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1', namespace: 'mattermost' }, involvedObject: { kind: 'Pod', name: 'mm-1' }, reason: 'Pulled' },
  { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e2', namespace: 'mattermost' }, involvedObject: { kind: 'Pod', name: 'mm-2' }, reason: 'BackOff' },
  { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'NodeMetrics', metadata: { name: 'node-a' }, usage: { cpu: '250m', memory: '1Gi' } },
  { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', metadata: { name: 'mm-1', namespace: 'mattermost' }, containers: [] },
  { apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', metadata: { name: 'exporter', namespace: 'monitoring' }, containers: [] },
];

describe('gets and lists', () => {
  let api: KubeApi;
  const list = async (path: string): Promise<List> => {
    const r = await call(api, path);
    assert.equal(r.status, 200, `${path}: ${r.text}`);
    return r.json<List>();
  };
  const names = async (path: string): Promise<string[]> => (await list(path)).items.map((i) => i.metadata.name);
  before(async () => {
    api = await startKubeApi({ store: new ObjectStore(objects) });
  });
  after(() => api.close());

  it('lists namespaced and across namespaces, items without kind/apiVersion like a real server', async () => {
    const pods = await list('/api/v1/namespaces/mattermost/pods');
    assert.equal(pods.kind, 'PodList');
    assert.equal(pods.apiVersion, 'v1');
    assert.match(pods.metadata.resourceVersion, /^\d+$/);
    assert.deepEqual(pods.items.map((p) => p.metadata.name), ['mm-1', 'mm-2', 'mm-3']);
    assert.equal(pods.items[0]!.kind, undefined);
    assert.equal(pods.items[0]!.apiVersion, undefined);
    assert.deepEqual(await names('/api/v1/pods'), ['mm-1', 'mm-2', 'mm-3', 'exporter']);
    assert.deepEqual(await names('/api/v1/nodes'), ['node-a', 'node-b']);
    assert.deepEqual(await names('/api/v1/namespaces/empty/pods'), []);
  });

  it('keeps kind/apiVersion on custom resource list items', async () => {
    const mms = await list('/apis/installation.mattermost.com/v1beta1/namespaces/mattermost/mattermosts');
    assert.equal(mms.kind, 'MattermostList');
    assert.equal(mms.items[0]!.kind, 'Mattermost');
    assert.equal(mms.items[0]!.apiVersion, 'installation.mattermost.com/v1beta1');
    assert.deepEqual(await names('/apis/installation.mattermost.com/v1beta1/mattermosts'), ['mm']);
  });

  it('gets one object with kind and apiVersion, and its status subresource', async () => {
    const d = (await call(api, '/apis/apps/v1/namespaces/mattermost/deployments/mm')).json<KubeObject>();
    assert.deepEqual([d.kind, d.apiVersion, d.metadata.name], ['Deployment', 'apps/v1', 'mm']);
    assert.equal((await call(api, '/api/v1/nodes/node-b')).json<KubeObject>().metadata.labels?.pool, 'db');
    assert.equal((await call(api, '/apis/installation.mattermost.com/v1beta1/namespaces/mattermost/mattermosts/mm/status')).status, 200);
  });

  it('answers a missing object with the NotFound Status kubectl prints', async () => {
    const core = await call(api, '/api/v1/namespaces/mattermost/pods/nope');
    assert.equal(core.status, 404);
    assert.equal(core.headers['content-type'], 'application/json');
    assert.deepEqual(core.json(), {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'pods "nope" not found', reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' }, code: 404,
    });
    const grouped = (await call(api, '/apis/apps/v1/namespaces/mattermost/deployments/x')).json();
    assert.equal(grouped.message, 'deployments.apps "x" not found');
    assert.deepEqual(grouped.details, { name: 'x', group: 'apps', kind: 'deployments' });
  });

  it('404s unknown resources as JSON and unknown groups or paths as the plain-text not-found handler', async () => {
    const resource = await call(api, '/api/v1/widgets');
    assert.equal(resource.status, 404);
    assert.equal(resource.json().message, 'the server could not find the requested resource');
    const namespacedWithoutNs = await call(api, '/api/v1/pods/mm-1');
    assert.equal(namespacedWithoutNs.status, 404);
    const group = await call(api, '/apis/example.com/v1/things');
    assert.deepEqual([group.status, group.headers['content-type'], group.text], [404, 'text/plain; charset=utf-8', '404 page not found\n']);
    assert.equal((await call(api, '/nothing/here')).status, 404);
    assert.equal((await call(api, '/healthz')).text, 'ok');
  });

  it('is read-only: write verbs get 405 MethodNotAllowed', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const r = await call(api, '/api/v1/namespaces/mattermost/pods/mm-1', { method, body: '{}', headers: { 'content-type': 'application/json' } });
      assert.equal(r.status, 405, method);
      assert.equal(r.json().reason, 'MethodNotAllowed');
    }
  });

  it('filters by label selector', async () => {
    assert.deepEqual(await names('/api/v1/pods?labelSelector=app%3Dmattermost'), ['mm-1', 'mm-2', 'mm-3']);
    assert.deepEqual(await names(`/api/v1/pods?labelSelector=${encodeURIComponent('app notin (mattermost)')}`), ['exporter']);
    assert.deepEqual(await names('/api/v1/nodes?labelSelector=!pool'), ['node-a']);
    const bad = await call(api, `/api/v1/pods?labelSelector=${encodeURIComponent('app in (')}`);
    assert.equal(bad.status, 400);
    assert.equal(bad.json().reason, 'BadRequest');
  });

  it('filters by field selector, and refuses unsupported field labels', async () => {
    assert.deepEqual(await names('/api/v1/pods?fieldSelector=spec.nodeName%3Dnode-b'), ['mm-2']);
    assert.deepEqual(await names('/api/v1/namespaces/mattermost/pods?fieldSelector=status.phase!%3DRunning'), ['mm-3']);
    assert.deepEqual(await names('/api/v1/pods?fieldSelector=metadata.namespace%3Dmonitoring'), ['exporter']);
    assert.deepEqual(await names('/api/v1/namespaces/mattermost/events?fieldSelector=involvedObject.name%3Dmm-2'), ['e2']);
    assert.deepEqual(await names('/api/v1/namespaces/mattermost/secrets?fieldSelector=type%3Dhelm.sh%2Frelease.v1'), ['helm-1']);
    const bad = await call(api, '/api/v1/pods?fieldSelector=spec.foo%3Dbar');
    assert.equal(bad.status, 400);
    assert.equal(bad.json().message, 'field label not supported: spec.foo');
  });

  it('pages with limit and an opaque continue token, with remainingItemCount on unfiltered lists', async () => {
    const first = await list('/api/v1/pods?limit=2');
    assert.deepEqual(first.items.map((p) => p.metadata.name), ['mm-1', 'mm-2']);
    assert.equal(first.metadata.remainingItemCount, 2);
    assert.ok(first.metadata.continue && !first.metadata.continue.includes('mm-2'), 'the token does not show the key in clear');
    const second = await list(`/api/v1/pods?limit=2&continue=${first.metadata.continue}`);
    assert.deepEqual(second.items.map((p) => p.metadata.name), ['mm-3', 'exporter']);
    assert.equal(second.metadata.continue, undefined);
    assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion, 'a continued list reports the first page snapshot');
    const filtered = await list('/api/v1/pods?limit=1&labelSelector=app%3Dmattermost');
    assert.equal(filtered.metadata.remainingItemCount, undefined);
    assert.ok(filtered.metadata.continue);
    const bad = await call(api, '/api/v1/pods?limit=1&continue=garbage');
    assert.equal(bad.status, 400);
    assert.match(bad.json().message as string, /^continue key is not valid/);
  });

  it('serves metrics.k8s.io nodes and pods, one or all', async () => {
    const nodes = await list('/apis/metrics.k8s.io/v1beta1/nodes');
    assert.equal(nodes.kind, 'NodeMetricsList');
    assert.deepEqual(nodes.items.map((n) => n.usage), [{ cpu: '250m', memory: '1Gi' }]);
    assert.equal((await call(api, '/apis/metrics.k8s.io/v1beta1/nodes/node-a')).json().kind, 'NodeMetrics');
    assert.equal((await call(api, '/apis/metrics.k8s.io/v1beta1/nodes/node-x')).json().message, 'nodes.metrics.k8s.io "node-x" not found');
    assert.deepEqual(await names('/apis/metrics.k8s.io/v1beta1/namespaces/mattermost/pods'), ['mm-1']);
    assert.equal((await call(api, '/apis/metrics.k8s.io/v1beta1/namespaces/monitoring/pods/exporter')).json().kind, 'PodMetrics');
    assert.deepEqual(await names('/apis/metrics.k8s.io/v1beta1/pods'), ['mm-1', 'exporter']);
  });
});

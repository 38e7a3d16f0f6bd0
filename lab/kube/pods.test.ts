import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeApi } from './server.js';
import { startKubeApi } from './server.js';
import { ObjectStore } from './store.js';
import { NOW, call, pod } from './test-support.js';
import type { PodLogQuery, PodProxyRequest } from './types.js';

const LOG = [
  '2026-11-22T11:50:00.000000000Z {"msg":"old"}',
  '2026-11-22T11:59:00.000000000Z {"msg":"recent"}',
  '2026-11-22T11:59:30.000000000Z {"msg":"newest"}',
  'a line without a timestamp',
].join('\n') + '\n';

const objects = [
  pod('mattermost', 'single', { spec: { containers: [{ name: 'mattermost', ports: [{ containerPort: 8065 }] }] }, status: { containerStatuses: [{ name: 'mattermost', ready: true, state: { running: {} } }] } }),
  pod('mattermost', 'multi', {
    spec: { initContainers: [{ name: 'init-db' }], containers: [{ name: 'mattermost' }, { name: 'sidecar' }] },
    status: { containerStatuses: [{ name: 'mattermost', state: { running: {} } }, { name: 'sidecar', state: { running: {} } }] },
  }),
  pod('mattermost', 'creating', { status: { phase: 'Pending', containerStatuses: [{ name: 'app', restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] } }),
  pod('mattermost', 'crashing', { status: { containerStatuses: [{ name: 'app', restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } }] } }),
  pod('mattermost', 'no-ip', { status: { phase: 'Pending', podIP: '', podIPs: [] } }),
  pod('mattermost', 'noports', {}),
];

describe('pod logs', () => {
  let api: KubeApi;
  const queries: PodLogQuery[] = [];
  before(async () => {
    api = await startKubeApi({
      store: new ObjectStore(objects),
      now: () => NOW,
      podLogs: (q) => {
        queries.push(q);
        return q.pod === 'crashing' ? 'boom\n' : LOG;
      },
    });
  });
  after(() => api.close());

  it('serves text/plain with the query passed to podLogs', async () => {
    const r = await call(api, '/api/v1/namespaces/mattermost/pods/single/log?container=mattermost&previous=false&timestamps=true&follow=false');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/plain');
    assert.equal(r.text, LOG);
    assert.deepEqual(queries.at(-1), { namespace: 'mattermost', pod: 'single', container: 'mattermost', previous: false, timestamps: true });
  });

  it('picks the only container when none is named, and honours tailLines and sinceSeconds', async () => {
    assert.equal((await call(api, '/api/v1/namespaces/mattermost/pods/single/log?tailLines=2')).text, '2026-11-22T11:59:30.000000000Z {"msg":"newest"}\na line without a timestamp\n');
    assert.equal(queries.at(-1)?.tailLines, 2);
    assert.equal(queries.at(-1)?.container, 'mattermost');
    const since = await call(api, '/api/v1/namespaces/mattermost/pods/single/log?sinceSeconds=90');
    assert.equal(since.text, '2026-11-22T11:59:00.000000000Z {"msg":"recent"}\n2026-11-22T11:59:30.000000000Z {"msg":"newest"}\na line without a timestamp\n');
    assert.equal((await call(api, '/api/v1/namespaces/mattermost/pods/single/log?limitBytes=5')).text, '2026-');
  });

  it('404s a missing pod with a NotFound Status', async () => {
    const r = await call(api, '/api/v1/namespaces/mattermost/pods/ghost/log');
    assert.equal(r.status, 404);
    assert.equal(r.json().message, 'pods "ghost" not found');
  });

  it('wants a container name when the pod has several, listing init containers too', async () => {
    const r = await call(api, '/api/v1/namespaces/mattermost/pods/multi/log');
    assert.equal(r.status, 400);
    assert.deepEqual([r.json().reason, r.json().message], ['BadRequest', 'a container name must be specified for pod multi, choose one of: [init-db mattermost sidecar]']);
    assert.equal((await call(api, '/api/v1/namespaces/mattermost/pods/multi/log?container=nope')).json().message, 'container nope is not valid for pod multi');
    assert.equal((await call(api, '/api/v1/namespaces/mattermost/pods/multi/log?container=sidecar')).status, 200);
  });

  it('refuses what the kubelet refuses: a container never started, a previous container that never ended', async () => {
    const waiting = await call(api, '/api/v1/namespaces/mattermost/pods/creating/log');
    assert.deepEqual([waiting.status, waiting.json().message], [400, 'container "app" in pod "creating" is waiting to start: ContainerCreating']);
    const previous = await call(api, '/api/v1/namespaces/mattermost/pods/single/log?previous=true');
    assert.equal(previous.json().message, 'previous terminated container "mattermost" in pod "single" not found');
    assert.equal((await call(api, '/api/v1/namespaces/mattermost/pods/crashing/log?previous=true')).text, 'boom\n');
  });
});

describe('pod proxy', () => {
  let api: KubeApi;
  const seen: PodProxyRequest[] = [];
  before(async () => {
    api = await startKubeApi({
      store: new ObjectStore(objects),
      token: 'lab-token',
      podProxy: async (req) => {
        seen.push(req);
        if (req.path.startsWith('/broken')) throw new Error('dial tcp 10.244.0.9:8065: i/o timeout');
        return { status: 201, headers: { 'content-type': 'application/json', 'x-version-id': '10.5.2' }, body: Buffer.from(`{"path":${JSON.stringify(req.path)}}`) };
      },
    });
  });
  after(() => api.close());
  const auth = { authorization: 'Bearer lab-token' };

  it('forwards method, port, path with query and body, and relays the answer', async () => {
    const r = await call(api, '/api/v1/namespaces/mattermost/pods/single:8067/proxy/metrics?x=1', { method: 'POST', headers: { ...auth, 'x-custom': 'y' }, body: 'hello' });
    assert.deepEqual([r.status, r.headers['content-type'], r.headers['x-version-id'], r.text], [201, 'application/json', '10.5.2', '{"path":"/metrics?x=1"}']);
    const req = seen.at(-1)!;
    assert.deepEqual([req.namespace, req.pod, req.port, req.method, req.body.toString()], ['mattermost', 'single', 8067, 'POST', 'hello']);
    assert.equal(req.headers['x-custom'], 'y');
  });

  it('strips the caller\'s Authorization header before the pod sees the request', async () => {
    await call(api, '/api/v1/namespaces/mattermost/pods/single:8065/proxy/api/v4/system/ping', { headers: auth });
    const req = seen.at(-1)!;
    assert.equal(req.headers.authorization, undefined);
    assert.equal(req.headers['x-forwarded-uri'], '/api/v1/namespaces/mattermost/pods/single:8065/proxy/api/v4/system/ping');
  });

  it('defaults the port to the first container port, then 80, and the path to /', async () => {
    await call(api, '/api/v1/namespaces/mattermost/pods/single/proxy', { headers: auth });
    assert.deepEqual([seen.at(-1)!.port, seen.at(-1)!.path], [8065, '/']);
    await call(api, '/api/v1/namespaces/mattermost/pods/https:noports:443/proxy/', { headers: auth });
    assert.deepEqual([seen.at(-1)!.pod, seen.at(-1)!.port], ['noports', 443]);
    await call(api, '/api/v1/namespaces/mattermost/pods/noports/proxy/', { headers: auth });
    assert.equal(seen.at(-1)!.port, 80);
  });

  it('answers like the API server when it cannot reach the pod', async () => {
    const missing = await call(api, '/api/v1/namespaces/mattermost/pods/ghost:8065/proxy/', { headers: auth });
    assert.deepEqual([missing.status, missing.json().message], [404, 'pods "ghost" not found']);
    const noIp = await call(api, '/api/v1/namespaces/mattermost/pods/no-ip:8065/proxy/', { headers: auth });
    assert.deepEqual([noIp.status, noIp.json().message], [400, 'address not allowed']);
    const pending = await call(api, '/api/v1/namespaces/mattermost/pods/creating:8065/proxy/', { headers: auth });
    assert.deepEqual([pending.status, pending.json().reason, pending.json().message], [503, 'ServiceUnavailable', 'error trying to reach service: dial tcp 10.244.0.9:8065: connect: connection refused']);
    const broken = await call(api, '/api/v1/namespaces/mattermost/pods/single:8065/proxy/broken', { headers: auth });
    assert.deepEqual([broken.status, broken.json().message], [503, 'error trying to reach service: dial tcp 10.244.0.9:8065: i/o timeout']);
  });

  it('still authenticates the caller first', async () => {
    const before = seen.length;
    const r = await call(api, '/api/v1/namespaces/mattermost/pods/single:8065/proxy/', { headers: { authorization: 'Bearer wrong' } });
    assert.equal(r.status, 401);
    assert.equal(seen.length, before);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeApi } from './server.js';
import { startKubeApi } from './server.js';
import { ObjectStore } from './store.js';
import { labCaPem } from './testcert.js';
import { TABLE_ACCEPT, call, pod } from './test-support.js';

const store = (): ObjectStore => new ObjectStore([pod('mattermost', 'a'), pod('mattermost', 'b'), pod('mattermost', 'c')]);

describe('authentication and TLS', () => {
  let api: KubeApi;
  before(async () => {
    api = await startKubeApi({ store: store(), tls: true, token: 's3cret' });
  });
  after(() => api.close());

  it('serves https with the lab certificate, whose CA it hands out', async () => {
    assert.match(api.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(api.caPem, labCaPem());
    assert.match(api.caPem!, /^-----BEGIN CERTIFICATE-----/);
    const r = await call(api, '/version', { headers: { authorization: 'Bearer s3cret' } });
    assert.equal(r.status, 200);
  });

  it('rejects a missing or wrong token with the 401 Status of the real server', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: 's3cret' }] as Record<string, string>[]) {
      const r = await call(api, '/api/v1/pods', { headers });
      assert.equal(r.status, 401);
      assert.equal(r.headers['content-type'], 'application/json');
      assert.deepEqual(r.json(), { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 });
    }
  });

  it('logs every request with method, path, query, headers, authentication and status', async () => {
    api.requests.length = 0;
    await call(api, '/api/v1/namespaces/mattermost/pods?limit=1', { headers: { authorization: 'Bearer s3cret', accept: TABLE_ACCEPT, 'user-agent': 'mmgate-test' } });
    await call(api, '/api');
    const [ok, denied] = api.requests;
    assert.deepEqual({ ...ok, durationMs: 0, startedAt: 0 }, {
      method: 'GET', path: '/api/v1/namespaces/mattermost/pods', query: 'limit=1', accept: TABLE_ACCEPT, userAgent: 'mmgate-test',
      authenticated: true, status: 200, durationMs: 0, startedAt: 0,
    });
    assert.ok(ok!.durationMs >= 0);
    assert.ok(ok!.startedAt > 0 && ok!.startedAt <= denied!.startedAt, 'requests carry when they arrived, in order');
    assert.deepEqual([denied!.path, denied!.authenticated, denied!.status], ['/api', false, 401]);
  });
});

describe('every answer has a Content-Type', () => {
  let api: KubeApi;
  before(async () => {
    api = await startKubeApi({ store: store() });
  });
  after(() => api.close());
  for (const path of ['/version', '/api', '/apis', '/api/v1', '/api/v1/pods', '/api/v1/namespaces/x/pods/y', '/api/v1/nodes?labelSelector=%3D', '/nope', '/healthz', '/api/v1/namespaces/mattermost/pods/a/log', '/api/v1/namespaces/mattermost/pods/a/proxy/']) {
    it(path, async () => {
      const r = await call(api, path);
      assert.ok(r.headers['content-type'], `${r.status} without Content-Type`);
      if (r.status >= 400 && path.startsWith('/api')) assert.equal(r.json().kind, 'Status');
    });
  }
});

describe('fault injection', () => {
  let api: KubeApi;
  before(async () => {
    api = await startKubeApi({ store: store() });
  });
  after(() => api.close());

  it('answers an injected status with a Status body, N times, then recovers', async () => {
    api.setFaults([{ path: '^/api/v1/namespaces/mattermost/pods', status: 503, times: 2 }]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(api, '/api/v1/namespaces/mattermost/pods')).status);
    assert.deepEqual(statuses, [503, 503, 200]);
    api.setFaults([{ path: 'pods', status: 500 }]);
    const r = await call(api, '/api/v1/pods');
    assert.deepEqual([r.status, r.json().reason], [500, 'InternalError']);
  });

  it('matches the method and the query as well as the path', async () => {
    api.setFaults([{ method: 'get', path: 'labelSelector=app', status: 429 }]);
    assert.equal((await call(api, '/api/v1/pods?labelSelector=app%3Dx')).status, 429);
    assert.equal((await call(api, '/api/v1/pods')).status, 200);
    api.setFaults([{ method: 'POST', path: '.', status: 500 }]);
    assert.equal((await call(api, '/api/v1/pods')).status, 200);
  });

  it('resets the connection', async () => {
    api.setFaults([{ path: '/version', reset: true, times: 1 }]);
    await assert.rejects(call(api, '/version'), (e: NodeJS.ErrnoException) => e.code === 'ECONNRESET' || e.code === 'EPIPE' || /socket hang up/.test(e.message));
    assert.equal(api.requests.at(-1)!.status, 0);
    assert.equal((await call(api, '/version')).status, 200);
  });

  it('sends a 200 with a truncated body', async () => {
    api.setFaults([{ path: '/api/v1/pods', malformed: true, times: 1 }]);
    const r = await call(api, '/api/v1/pods');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.ok(r.text.startsWith('{"kind":"PodList"'));
    assert.throws(() => JSON.parse(r.text));
  });

  it('answers 410 Expired only to continued lists', async () => {
    api.setFaults([{ path: '/api/v1/namespaces/mattermost/pods', goneOnContinue: true }]);
    const first = await call(api, '/api/v1/namespaces/mattermost/pods?limit=1');
    assert.equal(first.status, 200);
    const token = first.json<{ metadata: { continue: string } }>().metadata.continue;
    const gone = await call(api, `/api/v1/namespaces/mattermost/pods?limit=1&continue=${token}`);
    assert.deepEqual([gone.status, gone.json().reason], [410, 'Expired']);
    assert.match(gone.json().message as string, /^The provided continue parameter is too old/);
  });

  it('delays an answer, and close() does not wait for a pending delay', async () => {
    api.setFaults([{ path: '/version', delayMs: 1 }]);
    assert.equal((await call(api, '/version')).status, 200);
    const slow = await startKubeApi({ store: store(), faults: [{ path: '/version', delayMs: 3_600_000 }] });
    const pending = call(slow, '/version').then((r) => String(r.status), (e: Error) => e.message);
    await new Promise((r) => setTimeout(r, 50)); // let the request reach the server and start its hour-long delay
    await slow.close(); // hangs the test (and fails it on timeout) if close() waits for the delay
    assert.match(await pending, /^(200|socket hang up|read ECONNRESET)$/);
  });
});

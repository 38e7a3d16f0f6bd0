import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { PodMetrics } from '../../lab/mattermost/metrics.js';
import { summarise } from '../../core/metrics-types.js';
import { testEnv } from '../../test/collect-env.js';
import { prometheusApi } from './prometheus.js';
import { apiDelta, gaugesOf, parseExposition } from './scrape.js';

const render = (m: PodMetrics, startedAt = new Date('2026-11-20T10:00:00Z')) => m.render({ licensed: true, startedAt, now: new Date('2026-11-20T12:00:00Z') });

describe('direct scrape: parse and difference', () => {
  it('the second scrape minus the first is what the pod served in between', async () => {
    const m = new PodMetrics();
    for (let i = 0; i < 10; i++) m.observeApi('getPosts', 'GET', 200, 0.02);
    const first = await parseExposition(render(m));
    for (let i = 0; i < 95; i++) m.observeApi('getPosts', 'GET', 200, 0.04);
    for (let i = 0; i < 5; i++) m.observeApi('getPosts', 'GET', 503, 0.3);
    m.loginFails = 4;
    const second = await parseExposition(render(m));
    const g = summarise(apiDelta('mm-a', first, second), {})['getPosts']!;
    assert.deepEqual([g.requests, g.errors], [100, 5]);
    // 95 of 100 in (0.025, 0.05], the rest in (0.25, 0.5]: p99 interpolates in the upper bucket.
    assert.equal(g.p99Ms, 450);
    assert.equal(gaugesOf(first, second).loginFailures, 4);
    assert.equal(gaugesOf(first, second).dbMasterConnections, 10);
  });
  it('a counter that went down (a restarted server) counts the second scrape alone', async () => {
    const old = new PodMetrics();
    for (let i = 0; i < 50; i++) old.observeApi('getPosts', 'GET', 200, 0.02);
    const fresh = new PodMetrics();
    for (let i = 0; i < 7; i++) fresh.observeApi('getPosts', 'GET', 200, 0.02);
    const d = apiDelta('mm-a', await parseExposition(render(old)), await parseExposition(render(fresh, new Date('2026-11-20T11:59:00Z'))));
    assert.equal(summarise(d, {})['*']?.requests, 7);
  });
});

describe('Prometheus client (axios)', () => {
  async function withServer(answer: (req: IncomingMessage) => [number, unknown], run: (url: string, seen: IncomingMessage[]) => Promise<void>): Promise<void> {
    const seen: IncomingMessage[] = [];
    const server = createServer((req, res) => {
      seen.push(req);
      const [status, body] = answer(req);
      res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await run(`http://127.0.0.1:${(server.address() as { port: number }).port}`, seen);
    } finally {
      await new Promise((r) => server.close(r));
    }
  }
  it('sends the bearer token and reads a vector', async () => {
    await withServer(() => [200, { status: 'success', data: { resultType: 'vector', result: [{ metric: { pod: 'mm-a' }, value: [1, '0.5'] }] } }], async (url, seen) => {
      const api = await prometheusApi(testEnv({ config: { prometheus: { url, token: 's3cret-token' } } }));
      assert.deepEqual(await api.query('up', 'up'), [{ metric: { pod: 'mm-a' }, value: 0.5 }]);
      assert.equal(seen[0]?.headers.authorization, 'Bearer s3cret-token');
      assert.match(seen[0]?.url ?? '', /^\/api\/v1\/query\?query=up/);
    });
  });
  it('basic auth; bad_data is a CONFIG failure; a page that is not the API names prometheus.url; 401 names the credentials', async () => {
    await withServer((req) => req.url?.includes('bad') ? [400, { status: 'error', errorType: 'bad_data', error: 'parse error' }] : req.url?.includes('page') ? [200, '<html>Grafana</html>'] : [401, ''], async (url, seen) => {
      const api = await prometheusApi(testEnv({ config: { prometheus: { url, username: 'mmgate', password: 'pw' } } }));
      await assert.rejects(api.query('bad(', 'metrics.queries[0]'), (e: { code?: string; message: string }) => e.code === 'CONFIG' && /rejected metrics\.queries\[0\]: bad_data: parse error/.test(e.message));
      await assert.rejects(api.query('page', 'x'), (e: { code?: string; message: string }) => e.code === 'CONFIG' && /prometheus\.url must be Prometheus's base URL/.test(e.message));
      await assert.rejects(api.query('other', 'x'), (e: { code?: string; message: string }) => e.code === 'FORBIDDEN' && /prometheus\.token or prometheus\.username/.test(e.message));
      assert.equal(seen[0]?.headers.authorization, `Basic ${Buffer.from('mmgate:pw').toString('base64')}`);
    });
  });
  it('a Prometheus nobody answers at is PROMETHEUS_UNREACHABLE (a setup error), naming prometheus.url', async () => {
    const api = await prometheusApi(testEnv({ config: { prometheus: { url: 'http://127.0.0.1:9', timeout: '2s' } } }));
    await assert.rejects(api.query('up', 'up'), (e: { code?: string; message: string }) => e.code === 'PROMETHEUS_UNREACHABLE' && /prometheus\.url/.test(e.message));
  });
});

import assert from 'node:assert/strict';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { get } from 'node:http';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KubeApi } from './server.js';
import { startKubeApi } from './server.js';
import { ObjectStore } from './store.js';
import { TABLE_ACCEPT, pod } from './test-support.js';
import type { KubeObject } from './types.js';

interface Event { type: string; object: KubeObject & { rows?: unknown[]; columnDefinitions?: unknown[]; code?: number; reason?: string } }

/** Reads a watch stream line by line; `until(n)` resolves once n events have arrived. */
function openWatch(api: KubeApi, path: string, accept = 'application/json') {
  const events: Event[] = [];
  let response: IncomingMessage | undefined;
  let ended = false;
  const waiters: (() => void)[] = [];
  const wake = (): void => waiters.splice(0).forEach((w) => w());
  let buffer = '';
  const req: ClientRequest = get(`${api.url}${path}`, { headers: { accept }, agent: false }, (res) => {
    response = res;
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        events.push(JSON.parse(buffer.slice(0, nl)) as Event);
        buffer = buffer.slice(nl + 1);
      }
      wake();
    });
    res.on('end', () => {
      ended = true;
      wake();
    });
  });
  req.on('error', () => {
    ended = true;
    wake();
  });
  const until = async (n: number): Promise<Event[]> => {
    while (events.length < n && !ended) await new Promise<void>((r) => waiters.push(r));
    return events;
  };
  const whenEnded = async (): Promise<void> => {
    while (!ended) await new Promise<void>((r) => waiters.push(r));
  };
  return { events, until, whenEnded, close: () => req.destroy(), response: () => response };
}

const summary = (events: Event[]): string[] => events.map((e) => `${e.type} ${e.object.metadata?.name ?? e.object.reason}`);

describe('watch', () => {
  let store: ObjectStore;
  let api: KubeApi;
  beforeEach(async () => {
    store = new ObjectStore([pod('mattermost', 'mm-1', { labels: { app: 'mm' } }), pod('monitoring', 'exporter', { labels: { app: 'exporter' } })]);
    api = await startKubeApi({ store });
  });
  afterEach(() => api.close());

  it('opens with ADDED for existing objects, then streams changes as NDJSON', async () => {
    const w = openWatch(api, '/api/v1/namespaces/mattermost/pods?watch=true');
    await w.until(1);
    assert.equal(w.response()?.headers['content-type'], 'application/json');
    assert.equal(w.response()?.headers['transfer-encoding'], 'chunked');
    store.put(pod('mattermost', 'mm-2'));
    store.put(pod('monitoring', 'other'));
    store.put({ ...pod('mattermost', 'mm-1'), status: { phase: 'Failed' } });
    store.delete('v1', 'Pod', 'mattermost', 'mm-2');
    assert.deepEqual(summary(await w.until(4)), ['ADDED mm-1', 'ADDED mm-2', 'MODIFIED mm-1', 'DELETED mm-2']);
    assert.equal((w.events[2]!.object.status as { phase: string }).phase, 'Failed');
    w.close();
  });

  it('applies selectors, turning changes across the selector edge into ADDED/DELETED', async () => {
    const w = openWatch(api, '/api/v1/pods?watch=1&labelSelector=app%3Dmm');
    await w.until(1);
    store.put(pod('monitoring', 'exporter', { labels: { app: 'mm' } }));
    store.put(pod('monitoring', 'exporter', { labels: { app: 'gone' } }));
    assert.deepEqual(summary(await w.until(3)), ['ADDED mm-1', 'ADDED exporter', 'DELETED exporter']);
    w.close();
  });

  it('replays from a resourceVersion, and sends 410 Expired when that version is gone', async () => {
    const rv = store.resourceVersion;
    store.put(pod('mattermost', 'late'));
    const w = openWatch(api, `/api/v1/namespaces/mattermost/pods?watch=true&resourceVersion=${rv}`);
    assert.deepEqual(summary(await w.until(1)), ['ADDED late']);
    w.close();
    for (let i = 0; i < 1001; i++) store.put(pod('bulk', `p${i}`));
    const old = openWatch(api, `/api/v1/pods?watch=true&resourceVersion=${rv}`);
    await old.whenEnded();
    assert.equal(old.events.length, 1);
    assert.deepEqual([old.events[0]!.type, old.events[0]!.object.code, old.events[0]!.object.reason], ['ERROR', 410, 'Expired']);
  });

  it('sends one-row Tables to a Table client, headers only in the first event', async () => {
    const w = openWatch(api, '/api/v1/namespaces/mattermost/pods?watch=true', TABLE_ACCEPT);
    await w.until(1);
    store.put(pod('mattermost', 'mm-2'));
    const events = await w.until(2);
    assert.equal(events[0]!.object.kind, 'Table');
    assert.ok(events[0]!.object.columnDefinitions);
    assert.equal(events[1]!.object.columnDefinitions, undefined);
    assert.equal(events[1]!.object.rows?.length, 1);
    w.close();
  });

  it('ends open streams when the server closes', async () => {
    const w = openWatch(api, '/api/v1/pods?watch=true');
    await w.until(2);
    await api.close();
    await w.whenEnded();
    assert.equal(w.events.length, 2);
    api = await startKubeApi({ store }); // afterEach closes this one
  });
});

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { FrontDoorProbe } from '../../core/rollout-types.js';
import { probeTimeoutFor, runProbeLoop } from './probe.js';

interface Door { url: string; server: Server; connections: number; inFlight: number; maxInFlight: number; paths: string[]; close(): Promise<void> }

/** A front door on 127.0.0.1 that answers ping as answer() says, counting connections and requests in flight. */
async function door(answer: (n: number) => { status: number; delayMs?: number }): Promise<Door> {
  let n = 0;
  const d = { connections: 0, inFlight: 0, maxInFlight: 0, paths: [] as string[] } as Door;
  const server = createServer((req, res) => {
    const a = answer(n++);
    d.paths.push(req.url ?? '');
    d.inFlight++;
    d.maxInFlight = Math.max(d.maxInFlight, d.inFlight);
    // A request stops being in flight when answered or when the client gives up (closes).
    res.on('close', () => { d.inFlight--; });
    setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(a.status, { 'Content-Type': 'application/json', ...(a.status === 200 ? { 'X-Version-Id': '11.7.1.11.7.1.abc.true' } : {}) })
        .end(a.status === 200 ? '{"status":"OK"}' : '<html>503</html>');
    }, a.delayMs ?? 0);
  });
  server.on('connection', () => { d.connections++; });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  d.server = server;
  d.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  d.close = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  return d;
}

async function probeFor(url: string, ms: number, periodMs = 50): Promise<FrontDoorProbe[]> {
  const probes: FrontDoorProbe[] = [];
  const stop = AbortSignal.timeout(ms);
  await runProbeLoop({ url, periodMs, timeoutMs: probeTimeoutFor(periodMs), userAgent: 'mmgate-test', origin: performance.now(), signal: stop, onProbe: (p) => probes.push(p) });
  return probes;
}

describe('front-door probe loop', () => {
  it('pings at the rate asked, alternating the kept-alive connection and fresh ones', async () => {
    const d = await door(() => ({ status: 200 }));
    try {
      await (await fetch(`${d.url}/warm-up`)).text(); // the first request of a process pays for compiling the HTTP code
      const probes = await probeFor(d.url, 1000, 100);
      assert.ok(probes.length >= 6 && probes.length <= 11, `${probes.length} probes in 1 s at 10/s`);
      // A probe the test process itself stalled on (a loaded machine) says nothing: judge the rest.
      const judged = probes.filter((p) => !p.stalled);
      assert.ok(judged.length >= 4, `${judged.length} probes judged`);
      assert.ok(judged.every((p) => p.ok && p.status === 200 && p.version === '11.7.1'), JSON.stringify(judged.find((p) => !p.ok)));
      assert.deepEqual(probes.slice(0, 4).map((p) => p.fresh), [false, true, false, true]);
      assert.ok(d.paths.slice(1).every((p) => p === '/api/v4/system/ping'));
      // One connection kept for the kept-alive half, one per fresh probe.
      const fresh = probes.filter((p) => p.fresh).length;
      assert.ok(d.connections <= fresh + 3, `${d.connections} connections for ${fresh} fresh probes`);
      assert.ok(d.connections >= fresh, `${d.connections} connections for ${fresh} fresh probes: fresh probes reused a socket`);
    } finally {
      await d.close();
    }
  });

  it('records a 503 run with its status, and a refused connection with its code', async () => {
    const d = await door((n) => ({ status: n >= 4 && n < 7 ? 503 : 200 }));
    try {
      await (await fetch(`${d.url}/warm-up`)).text();
      const probes = await probeFor(d.url, 1000, 100);
      assert.deepEqual(probes.slice(0, 7).map((p) => p.status), [200, 200, 200, 503, 503, 503, 200]);
      assert.equal(probes[3]?.error, 'HTTP 503');
      assert.equal(probes[3]?.version, undefined);
    } finally {
      await d.close();
    }
    const refused = await probeFor(d.url, 200);
    assert.ok(refused.length > 0 && refused.every((p) => !p.ok && p.status === undefined && /ECONNREFUSED/.test(p.error ?? '')), JSON.stringify(refused[0]));
  });

  it('times a slow answer out before the next probe is due, and never stacks probes', async () => {
    const d = await door(() => ({ status: 200, delayMs: 300 }));
    try {
      const probes = await probeFor(d.url, 700, 100);
      assert.ok(probes.length >= 3, `${probes.length} probes`);
      const judged = probes.filter((p) => !p.stalled);
      assert.ok(judged.length > 0 && judged.every((p) => !p.ok && p.error === 'no answer within 80 ms'), JSON.stringify(probes));
      // Each probe starts at least a period after the previous one.
      for (let i = 1; i < probes.length; i++) assert.ok(probes[i]!.t - probes[i - 1]!.t >= 95, `probe ${i} started ${probes[i]!.t - probes[i - 1]!.t} ms after the previous`);
    } finally {
      await d.close();
    }
    assert.equal(d.maxInFlight, 1, 'requests in flight at once');
  });

  it('a timeout below the period', () => {
    assert.equal(probeTimeoutFor(100), 80);
    assert.equal(probeTimeoutFor(20), 16);
    assert.ok(probeTimeoutFor(1000 / 50) < 1000 / 50);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { collectError, ping, pings } from '../../test/fixtures/post-upgrade.js';
import check from './server-health.js';

describe('server-health', () => {
  const cases: { name: string; data: () => Record<string, unknown>; options?: Record<string, unknown>; status: string; message?: RegExp; subject?: string; actual?: string; remediation?: RegExp }[] = [
    { name: 'passes when every pod is OK', data: () => ({ serverPings: pings(ping('mm-a'), ping('mm-b')) }), status: 'pass' },
    {
      name: 'fails on a database UNHEALTHY (REST semantics, 200)',
      data: () => ({ serverPings: pings(ping('mm-a'), ping('mm-b', { status: 'UNHEALTHY', databaseStatus: 'UNHEALTHY' })) }),
      status: 'fail', message: /mm-b is unhealthy: status, database_status not OK/, subject: 'mm-b', actual: 'status=UNHEALTHY, database_status=UNHEALTHY, filestore_status=OK', remediation: /database/,
    },
    {
      name: 'fails on a 500 answer from an old server',
      data: () => ({ serverPings: pings(ping('mm-a', { httpStatus: 500, status: 'UNHEALTHY', filestoreStatus: 'UNHEALTHY' })) }),
      status: 'fail', message: /unhealthy \(HTTP 500\)/, remediation: /file store/,
    },
    {
      name: 'fails when database_status is missing',
      data: () => ({ serverPings: pings({ ...ping('mm-a'), databaseStatus: undefined } as never) }),
      status: 'fail', actual: 'status=OK, database_status=missing, filestore_status=OK',
    },
    {
      name: 'fails a slow pod when maxLatencyMs is set',
      data: () => ({ serverPings: pings(ping('mm-a', { latencyMs: 900 })) }), options: { maxLatencyMs: 500 },
      status: 'fail', message: /took 900 ms/,
    },
    { name: 'fails with no pods', data: () => ({ serverPings: pings() }), status: 'fail', message: /no Mattermost pods/ },
    { name: 'errors without pings', data: () => ({ serverPings: collectError('serverPings') }), status: 'error' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCheck(check, { data: c.data(), ...(c.options ? { options: c.options } : {}) });
      assert.equal(r.status, c.status, JSON.stringify(r, null, 1));
      const f = c.message ? r.findings.find((x) => c.message!.test(x.message)) : r.findings[0];
      if (c.message) assert.ok(f, r.findings.map((x) => x.message).join('\n'));
      if (c.subject) assert.equal(f?.subject?.name, c.subject);
      if (c.actual) assert.equal(f?.actual, c.actual);
      if (c.remediation) assert.match(f?.remediation ?? '', c.remediation);
    });
  }

  it('measures the slowest ping', async () => {
    const r = await runCheck(check, { data: { serverPings: pings(ping('mm-a', { latencyMs: 5 }), ping('mm-b', { latencyMs: 40 })) } });
    assert.equal(r.measured?.['maxPingMs'], 40);
  });

  it('a ping exactly at maxLatencyMs passes; without the option no ping is too slow', async () => {
    const at = await runCheck(check, { data: { serverPings: pings(ping('mm-a', { latencyMs: 500 })) }, options: { maxLatencyMs: 500 } });
    assert.equal(at.status, 'pass', JSON.stringify(at.findings));
    const over = await runCheck(check, { data: { serverPings: pings(ping('mm-a', { latencyMs: 501 })) }, options: { maxLatencyMs: 500 } });
    assert.deepEqual([over.status, over.findings[0]?.expected, over.findings[0]?.actual], ['fail', '≤ 500 ms', '501 ms']);
    const free = await runCheck(check, { data: { serverPings: pings(ping('mm-a', { latencyMs: 60_000 })) } });
    assert.equal(free.status, 'pass');
  });

  it('a ping without a measured time is healthy under a limit, and the slowest is taken over the pings timed', async () => {
    const r = await runCheck(check, { data: { serverPings: pings(ping('mm-a', { latencyMs: undefined }), ping('mm-b', { latencyMs: 40 })) }, options: { maxLatencyMs: 500 } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.deepEqual(r.measured, { servers: 2, healthyServers: 2, maxPingMs: 40 });
    assert.equal(r.summary, '2/2 servers healthy');
  });

  it('an answer other than 200 is unhealthy even when its body says OK', async () => {
    const r = await runCheck(check, { data: { serverPings: pings(ping('mm-a', { httpStatus: 503, bodyExcerpt: '{"status":"OK"}' })) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]!.message, 'pod mm-a is unhealthy (HTTP 503): status not OK');
    assert.deepEqual(r.findings[0]!.evidence, ['{"status":"OK"}']);
    assert.match(r.findings[0]!.remediation ?? '', /reports itself unhealthy/);
  });

  it('a 500 without a status field is reported UNHEALTHY; other missing fields stay missing', async () => {
    const r = await runCheck(check, { data: { serverPings: pings({ ...ping('mm-a', { httpStatus: 500 }), status: undefined, databaseStatus: undefined } as never) } });
    assert.equal(r.findings[0]!.actual, 'status=UNHEALTHY, database_status=missing, filestore_status=OK');
    const ok = await runCheck(check, { data: { serverPings: pings({ ...ping('mm-a'), status: undefined } as never) } });
    assert.equal(ok.findings[0]!.actual, 'status=missing, database_status=OK, filestore_status=OK', 'a 200 without status is not a 500');
  });

  describe('could not look is error, not fail', () => {
    const unasked = (pod: string, error: { code: string; message: string; status?: number }) => ({ pod, namespace: 'mattermost', podReady: true, latencyMs: 3, error });
    const forbidden = unasked('mm-b', { code: 'FORBIDDEN', status: 403, message: 'the API server refused the pod proxy to mm-b (403): grant "get" on pods/proxy' });

    it('a pod the proxy refused (403) is error FORBIDDEN naming the pod and the grant', async () => {
      const r = await runCheck(check, { data: { serverPings: pings(ping('mm-a'), forbidden) } });
      assert.equal(r.status, 'error');
      assert.deepEqual(r.error, { code: 'FORBIDDEN', message: 'could not look at Pod mm-b (FORBIDDEN)' });
      assert.equal(r.findings.length, 1);
      const f = r.findings[0]!;
      assert.deepEqual(f.subject, { kind: 'Pod', namespace: 'mattermost', name: 'mm-b' });
      assert.equal(f.expected, 'an answer from system/ping');
      assert.equal(f.actual, 'FORBIDDEN');
      assert.match(f.message, /^pod mm-b could not be asked: HTTP 403/);
      assert.match(f.remediation ?? '', /pods\/proxy/);
      assert.equal(r.blocking, true);
      assert.equal(r.summary, '1/2 servers healthy, 1 could not be asked');
    });

    it('a pod that gave no answer and no reason is error NO_ANSWER', async () => {
      const r = await runCheck(check, { data: { serverPings: pings({ pod: 'mm-a', namespace: 'mattermost', podReady: true } as never) } });
      assert.equal(r.status, 'error');
      assert.equal(r.error?.code, 'NO_ANSWER');
      assert.equal(r.findings[0]!.actual, 'NO_ANSWER');
      assert.equal(r.findings[0]!.remediation, 'kubectl -n mattermost describe pod mm-a');
    });

    it('a pod the API server could not reach (proxy 500) or that timed out is error with that code', async () => {
      const r = await runCheck(check, { data: { serverPings: pings(unasked('mm-a', { code: 'PROXY_ERROR', status: 500, message: 'the API server could not reach pod mm-a (500): dial tcp: connection refused' }), unasked('mm-b', { code: 'TIMEOUT', message: 'did not answer within 10s' })) } });
      assert.equal(r.status, 'error');
      assert.deepEqual(r.error, { code: 'PROXY_ERROR', message: 'could not look at Pod mm-a (PROXY_ERROR), Pod mm-b (TIMEOUT)' });
      assert.deepEqual(r.findings.map((f) => [f.subject?.name, f.actual]), [['mm-a', 'PROXY_ERROR'], ['mm-b', 'TIMEOUT']]);
      assert.ok(r.findings.every((f) => /^kubectl -n mattermost describe pod mm-/.test(f.remediation ?? '')));
    });

    it('a 200 whose body is not the ping\'s JSON says nothing about the server: error BAD_RESPONSE with the body as evidence', async () => {
      const page = ping('mm-a', { error: { code: 'BAD_RESPONSE', status: 200, message: 'pod mm-a answered the ping with a body that is not JSON (20 bytes)' }, bodyExcerpt: '<html>login</html>' });
      const r = await runCheck(check, { data: { serverPings: pings({ ...page, status: undefined, databaseStatus: undefined, filestoreStatus: undefined } as never) } });
      assert.equal(r.status, 'error');
      assert.equal(r.error?.code, 'BAD_RESPONSE');
      assert.equal(r.findings[0]?.subject?.name, 'mm-a');
      assert.deepEqual(r.findings[0]?.evidence, ['<html>login</html>']);
    });

    it('an unhealthy pod beside one it could not ask: fail for the one found, the other listed and in error', async () => {
      const r = await runCheck(check, { data: { serverPings: pings(ping('mm-a', { status: 'UNHEALTHY', databaseStatus: 'UNHEALTHY' }), forbidden) } });
      assert.equal(r.status, 'fail');
      assert.deepEqual(r.findings.map((f) => [f.subject?.name, f.actual]), [['mm-a', 'status=UNHEALTHY, database_status=UNHEALTHY, filestore_status=OK'], ['mm-b', 'FORBIDDEN']]);
      assert.deepEqual(r.error, { code: 'FORBIDDEN', message: 'also could not look at Pod mm-b (FORBIDDEN)' });
    });
  });
});

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
      name: 'fails closed on an unreachable pod',
      data: () => ({ serverPings: pings({ pod: 'mm-a', namespace: 'mattermost', podReady: false, error: { code: 'TIMEOUT', message: 'did not answer' } }) }),
      status: 'fail', message: /could not be asked/, subject: 'mm-a',
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
});

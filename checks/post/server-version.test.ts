import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { collectError, ping, pings } from '../../test/fixtures/post-upgrade.js';
import check from './server-version.js';

describe('server-version', () => {
  it('passes when every pod reports the target', async () => {
    const r = await runCheck(check, { data: { serverPings: pings(ping('mm-a'), ping('mm-b')) } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['serversOnTarget'], 2);
  });

  it('takes the version from a tagged target image', async () => {
    const r = await runCheck(check, { data: { serverPings: pings(ping('mm-a')) }, target: { image: 'mattermost/mattermost-enterprise-edition:11.7.1' } });
    assert.equal(r.status, 'pass');
    assert.equal(r.summary, '1/1 servers report 11.7.1');
    const older = await runCheck(check, { data: { serverPings: pings(ping('mm-a')) }, target: { image: 'mattermost/mattermost-enterprise-edition:11.8.0' } });
    assert.equal(older.findings.find((f) => f.subject?.name === 'mm-a')?.expected, '11.8.0', 'the tag is the version expected');
  });

  it('prefers BuildNumber over a lagging CurrentVersion (mattermost#6523)', async () => {
    const r = await runCheck(check, { data: { serverPings: pings(ping('mm-a', { versionId: '11.7.0.11.7.1.0933127a78dcc2ef120cbb6d9fe59ec3.true' })) } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['serversOnTarget'], 1);
  });

  it('fails a mixed cluster and names the lagging pod', async () => {
    const r = await runCheck(check, { data: { serverPings: pings(ping('mm-a'), ping('mm-b', { v: '11.6.2' }), ping('mm-c')) } });
    assert.equal(r.status, 'fail');
    const mixed = r.findings.find((f) => /mixed cluster/.test(f.message));
    assert.ok(mixed);
    assert.match(mixed.remediation ?? '', /lagging pods: mm-b/);
    assert.equal(mixed.message, 'mixed cluster: 11.7.1 on mm-a, mm-c; 11.6.2 on mm-b');
    assert.equal(mixed.actual, '11.7.1 (2), 11.6.2 (1)');
    const lag = r.findings.find((f) => f.subject?.name === 'mm-b');
    assert.equal(lag?.expected, '11.7.1');
    assert.equal(lag?.actual, '11.6.2');
    assert.match(lag?.evidence?.[0] ?? '', /X-Version-Id: 11\.6\.2/);
  });

  it('a pod the API server could not reach is error PROXY_ERROR naming the pod, not a lagging pod', async () => {
    const r = await runCheck(check, { data: { serverPings: pings(ping('mm-a'), { pod: 'mm-b', namespace: 'mattermost', podReady: false, error: { code: 'PROXY_ERROR', status: 503, message: 'the API server could not reach pod mm-b' } }) } });
    assert.equal(r.status, 'error');
    assert.deepEqual(r.error, { code: 'PROXY_ERROR', message: 'could not look at Pod mm-b (PROXY_ERROR)' });
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.deepEqual(f.subject, { kind: 'Pod', namespace: 'mattermost', name: 'mm-b' });
    assert.match(f.message, /could not tell its version.*could not reach pod mm-b/);
    assert.equal(f.expected, '11.7.1');
    assert.equal(f.actual, 'unknown (PROXY_ERROR)');
    assert.match(f.remediation ?? '', /kubectl -n mattermost describe pod mm-b/);
    assert.equal(r.summary, '1/2 servers report 11.7.1, 1 could not tell');
    assert.equal(r.blocking, true);
  });

  it('a forbidden pod proxy is error FORBIDDEN that names the grant', async () => {
    const r = await runCheck(check, { data: { serverPings: pings({ pod: 'mm-a', namespace: 'mattermost', podReady: true, error: { code: 'FORBIDDEN', status: 403, message: 'forbidden' } }) } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'FORBIDDEN');
    assert.equal(r.findings[0]?.subject?.name, 'mm-a');
    assert.equal(r.findings[0]?.actual, 'unknown (FORBIDDEN)');
    assert.match(r.findings[0]?.remediation ?? '', /pods\/proxy/);
  });

  it('an answer without X-Version-Id is error NO_VERSION_HEADER: the version was not seen', async () => {
    const r = await runCheck(check, { data: { serverPings: pings({ ...ping('mm-a'), versionId: undefined, version: undefined } as never) } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NO_VERSION_HEADER');
    assert.match(r.findings[0]?.message ?? '', /pod mm-a could not tell its version: the answer had no X-Version-Id header/);
    const page = await runCheck(check, { data: { serverPings: pings({ ...ping('mm-a'), versionId: undefined, version: undefined, bodyExcerpt: '<html>login</html>' } as never) } });
    assert.deepEqual(page.findings[0]?.evidence, ['<html>login</html>'], 'the body it answered instead is the evidence');
  });

  it('a lagging pod beside one it could not ask: fail for the lag, the other listed and in error', async () => {
    const r = await runCheck(check, { data: { serverPings: pings(ping('mm-a', { v: '11.6.2' }), { pod: 'mm-b', namespace: 'mattermost', podReady: true, error: { code: 'TIMEOUT', message: 'did not answer' } }) } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => [f.subject?.name, f.actual]), [['mm-a', '11.6.2'], ['mm-b', 'unknown (TIMEOUT)']]);
    assert.deepEqual(r.error, { code: 'TIMEOUT', message: 'also could not look at Pod mm-b (TIMEOUT)' });
  });

  it('fails on an unreadable X-Version-Id', async () => {
    const r = await runCheck(check, { data: { serverPings: pings(ping('mm-a', { versionId: 'garbage' })) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /pod mm-a sent an X-Version-Id that cannot be read: garbage/);
    assert.equal(r.findings[0]?.actual, 'garbage');
    assert.deepEqual(r.findings[0]?.evidence, ['X-Version-Id: garbage']);
  });

  it('fails when there are no pods', async () => {
    const r = await runCheck(check, { data: { serverPings: pings() } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'no Mattermost pods of installation mm to ask');
    assert.equal(r.findings[0]?.actual, 'no pods');
  });

  it('errors without pings', async () => {
    const r = await runCheck(check, { data: { serverPings: collectError('serverPings') } });
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /serverPings: boom/);
  });

  it('errors on a digest-only target without a version', async () => {
    const r = await runCheck(check, { data: { serverPings: pings(ping('mm-a')) }, target: { image: 'mattermost/mattermost-enterprise-edition@sha256:abcd' } });
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /add target\.version/);
  });
});

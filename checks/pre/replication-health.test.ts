import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReplicationStatus, Standby } from '../../core/drift-types.js';
import { runCheck } from '../../core/testing.js';
import check from './replication-health.js';

const standby = (over: Partial<Standby> = {}): Standby => ({ name: 'us-east-standby', clientAddr: '10.1.0.7', state: 'streaming', syncState: 'async', replayLagSeconds: 0.4, replayLagBytes: 1024, ...over });
const sql = (standbys: Standby[], over: Partial<ReplicationStatus['primaries'][number]> = {}): ReplicationStatus => ({
  siteCount: 2, maxLag: '30s', source: 'sql', primaries: [{ site: 'eu', server: 'monitor@db-eu:5432/postgres', inRecovery: false, standbys, ...over }],
});

describe('replication-health', () => {
  const failing: { name: string; data: ReplicationStatus; message: RegExp; subject: RegExp; expected: RegExp; actual: RegExp }[] = [
    { name: 'no standby streaming (standalone primary)', data: sql([]), message: /^No standby is streaming$/, subject: /sites/, expected: /at least 1 streaming/, actual: /^0$/ },
    { name: 'lag above maxLag', data: sql([standby({ replayLagSeconds: 95 })]), message: /lags 1m35s, more than 30s/, subject: /us-east-standby/, expected: /below 30s/, actual: /1m35s, 1024 bytes behind/ },
    { name: 'standby catching up', data: sql([standby({ state: 'catchup' })]), message: /is catchup, not streaming/, subject: /us-east-standby/, expected: /streaming/, actual: /catchup/ },
    { name: 'DSN points at a standby', data: sql([], { inRecovery: true }), message: /points at a standby/, subject: /eu/, expected: /primary/, actual: /in recovery/ },
    { name: 'nothing configured', data: { siteCount: 2, maxLag: '30s', source: 'none', primaries: [] }, message: /Nothing tells how replication/, subject: /sites/, expected: /replicationDsn/, actual: /neither/ },
    { name: 'prometheus lag', data: { siteCount: 2, maxLag: '30s', source: 'prometheus', primaries: [], prometheus: { query: 'pg_replication_lag_seconds', series: [{ labels: { instance: 'db-us:9187' }, lagSeconds: 120 }] } }, message: /instance=db-us:9187 lags 2m00s/, subject: /db-us/, expected: /below 30s/, actual: /2m00s/ },
    { name: 'prometheus: no series', data: { siteCount: 2, maxLag: '30s', source: 'prometheus', primaries: [], prometheus: { query: 'q', series: [] } }, message: /No standby is streaming/, subject: /sites/, expected: /streaming/, actual: /^0$/ },
  ];
  for (const c of failing) {
    it(`fails: ${c.name}`, async () => {
      const r = await runCheck(check, { data: { replicationStatus: c.data } });
      assert.equal(r.status, 'fail');
      const f = r.findings.find((x) => c.message.test(x.message));
      assert.ok(f, r.findings.map((x) => x.message).join(' | '));
      assert.match(f.subject?.name ?? '', c.subject);
      assert.match(f.expected ?? '', c.expected);
      assert.match(f.actual ?? '', c.actual);
      assert.ok(f.remediation);
    });
  }

  it('passes with a streaming standby under maxLag; no replay_lag while streaming means caught up', async () => {
    const r = await runCheck(check, { data: { replicationStatus: sql([standby(), standby({ name: 'dr', replayLagSeconds: null })]) } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['streaming'], 2);
    assert.equal(r.measured?.['worstLagSeconds'], 0.4);
  });

  it('is not applicable with fewer than two sites', async () => {
    const r = await runCheck(check, { data: { replicationStatus: { siteCount: 1, maxLag: '30s', source: 'none', primaries: [] } } });
    assert.equal(r.status, 'not-applicable');
    assert.match(r.reason ?? '', /1 site\(s\)/);
  });

  it('a primary it could not read is error UNREADABLE naming the site, and no "too few standbys" is claimed', async () => {
    const r = await runCheck(check, { data: { replicationStatus: sql([], { error: 'connection refused' }) } });
    assert.equal(r.status, 'error');
    assert.deepEqual(r.error, { code: 'UNREADABLE', message: 'could not look at Database eu: monitor@db-eu:5432/postgres (UNREADABLE)' });
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.message, 'Cannot read replication on site eu');
    assert.equal(r.findings[0]!.expected, 'pg_stat_replication readable');
    assert.equal(r.findings[0]!.actual, 'connection refused');
    assert.match(r.findings[0]!.remediation ?? '', /pg_monitor/);
  });

  it('a standby state hidden without pg_monitor is error FORBIDDEN; a lagging standby beside it fails', async () => {
    const r = await runCheck(check, { data: { replicationStatus: sql([standby({ state: '' })]) } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'FORBIDDEN');
    assert.equal(r.findings[0]!.subject?.name, 'us-east-standby (10.1.0.7)');
    assert.equal(r.findings[0]!.actual, 'hidden (no pg_monitor)');
    assert.match(r.findings[0]!.remediation ?? '', /GRANT pg_monitor/);
    const mixed = await runCheck(check, { data: { replicationStatus: sql([standby({ state: '', name: 'a' }), standby({ name: 'b', replayLagSeconds: 95 })]) } });
    assert.equal(mixed.status, 'fail');
    assert.deepEqual(mixed.findings.map((f) => f.actual), ['1m35s, 1024 bytes behind', 'hidden (no pg_monitor)']);
  });

  it('is error when replication could not be collected', async () => {
    const r = await runCheck(check, { data: { replicationStatus: { $collectError: true, key: 'replicationStatus', code: 'UNREACHABLE', message: 'cannot query Prometheus' } } });
    assert.equal(r.status, 'error');
  });

  const judge = (replicationStatus: ReplicationStatus, options: Record<string, unknown> = {}) => runCheck(check, { data: { replicationStatus }, options });
  const prom = (series: { labels: Record<string, string>; lagSeconds: number | null }[] | undefined): ReplicationStatus =>
    ({ siteCount: 2, maxLag: '30s', source: 'prometheus', primaries: [], ...(series ? { prometheus: { query: 'q', series } } : {}) });

  it('a standby lagging exactly maxLag passes (SQL and Prometheus)', async () => {
    assert.equal((await judge(sql([standby({ replayLagSeconds: 30 })]))).status, 'pass');
    assert.equal((await judge(prom([{ labels: { instance: 'db-us' }, lagSeconds: 30 }]))).status, 'pass');
  });
  it('a Prometheus series without a lag value is a finding and not a streaming standby', async () => {
    const r = await judge(prom([{ labels: { __name__: 'pg_replication_lag_seconds', instance: 'db-us' }, lagSeconds: null }]));
    assert.equal(r.findings[0]?.message, 'Standby instance=db-us reports no lag value (NaN)');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'Standby', name: 'instance=db-us' });
    assert.equal(r.measured?.['streaming'], 0);
  });
  it('a series with only a metric name is called series', async () => {
    const r = await judge(prom([{ labels: { __name__: 'pg_replication_lag_seconds' }, lagSeconds: 120 }]));
    assert.match(r.findings[0]?.message ?? '', /^Standby series lags/);
  });
  it('the worst lag is the highest over the Prometheus series, and each series counts as streaming', async () => {
    const r = await judge(prom([{ labels: { instance: 'a' }, lagSeconds: 5 }, { labels: { instance: 'b' }, lagSeconds: 1 }]), { minStandbys: 2 });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.deepEqual(r.measured, { streaming: 2, worstLagSeconds: 5, maxLagSeconds: 30 });
    assert.equal(r.summary, '2 standby(s) streaming, worst lag 5.0s');
  });
  it('a Prometheus source without a result is no standby streaming', async () => {
    assert.equal((await judge(prom(undefined))).findings[0]?.message, 'No standby is streaming');
  });
  it('fewer streaming standbys than minStandbys says how many stream', async () => {
    const r = await judge(sql([standby()]), { minStandbys: 2 });
    assert.equal(r.findings[0]?.message, 'Only 1 standby(s) streaming');
    assert.throws(() => check.options.parse({ minStandbys: 0 }));
    assert.equal(check.options.parse({ minStandbys: 3 }).minStandbys, 3);
  });
  it('a lagging standby without a byte count gives only the time', async () => {
    const r = await judge(sql([standby({ replayLagSeconds: 95, replayLagBytes: undefined })]));
    assert.equal(r.findings[0]?.actual, '1m35s');
  });
});

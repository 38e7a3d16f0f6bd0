import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import check from './site-replication.js';

const status = (lag: number) => ({
  siteCount: 2, maxLag: '2s', source: 'pg_stat_replication',
  primaries: [{ site: 'eu', inRecovery: false, standbys: [{ name: 'walreceiver', clientAddr: '10.0.0.9/32', state: 'streaming', replayLagSeconds: lag }] }],
});

describe('site-replication', () => {
  it('is replication-health in verify: passes a current standby, fails a lagging one', async () => {
    assert.equal(check.meta.phase, 'post');
    assert.equal((await runCheck(check, { data: { replicationStatus: status(0.1) } })).status, 'pass');
    const r = await runCheck(check, { data: { replicationStatus: status(4.3) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /lags 4\.3s, more than 2s/);
  });
});

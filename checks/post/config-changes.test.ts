import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flattenConfig, type EffectiveConfig } from '../../core/identity.js';
import { runCheck } from '../../core/testing.js';
import { preflightBaseline } from '../fixtures.js';
import { configChangesCheck } from './config-changes.js';

const cfg = (o: Record<string, unknown>): EffectiveConfig => ({ url: 'https://chat.example.com', ...flattenConfig(o) });
const base = (value: EffectiveConfig) => preflightBaseline({ effectiveConfig: value });
const raw = (clusterOn: boolean, maxUsers = 50, dsn = 'postgres://mmuser:hunter2@db-a:5432/mattermost?sslmode=disable') => ({
  ClusterSettings: { Enable: clusterOn }, TeamSettings: { MaxUsersPerTeam: maxUsers }, SqlSettings: { DriverName: 'postgres', DataSource: dsn }, EmailSettings: { SMTPPassword: 'hunter2' },
});

describe('config-changes', () => {
  it('an unimportant change passes and is listed as information', async () => {
    const r = await runCheck(configChangesCheck, { data: { effectiveConfig: cfg(raw(true, 100)), baseline: base(cfg(raw(true))) } });
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.changes, [{ area: 'config', item: 'TeamSettings.MaxUsersPerTeam', before: '50', after: '100', judged: 'info' }]);
  });
  it('a setting that matters (ClusterSettings.Enable) fails with before and after', async () => {
    const r = await runCheck(configChangesCheck, { data: { effectiveConfig: cfg(raw(false)), baseline: base(cfg(raw(true))) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]!.message, 'ClusterSettings.Enable changed in the upgrade: true → false');
    assert.deepEqual(r.findings[0]!.subject, { kind: 'Setting', name: 'ClusterSettings.Enable' });
  });
  it('the database host is compared masked: a new host fails, the password never appears', async () => {
    const r = await runCheck(configChangesCheck, { data: { effectiveConfig: cfg(raw(true, 50, 'postgres://mmuser:hunter2@db-b:5432/mattermost')), baseline: base(cfg(raw(true))) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]!.message, 'SqlSettings.DataSource changed in the upgrade: postgres://db-a:5432/mattermost → postgres://db-b:5432/mattermost');
    assert.doesNotMatch(JSON.stringify(r), /hunter2|mmuser/);
  });
  it('allow covers an intended change', async () => {
    const r = await runCheck(configChangesCheck, { data: { effectiveConfig: cfg(raw(false)), baseline: base(cfg(raw(true))) }, options: { allow: ['ClusterSettings.*'] } });
    assert.equal(r.status, 'pass');
    assert.equal(r.changes?.[0]?.judged, 'allowed');
  });
  it('no --baseline is an error (NO_BASELINE): nothing compared is never a pass', async () => {
    const r = await runCheck(configChangesCheck, { data: { effectiveConfig: cfg(raw(true)), baseline: null } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NO_BASELINE');
  });
  it('rejects an allow entry that is not a dotted path', () => {
    assert.throws(() => configChangesCheck.options.parse({ allow: ['Cluster Settings'] }), /dotted setting path/);
  });
});

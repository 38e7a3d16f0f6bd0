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
  it('lists at most 200 changes, but every setting that matters even past them; the summary says how many are listed', async () => {
    const many = (v: number) => Object.fromEntries(Array.from({ length: 250 }, (_, i) => [`Key${String(i).padStart(3, '0')}`, v]));
    const r = await runCheck(configChangesCheck, { data: { effectiveConfig: cfg({ ...raw(false), AnalyticsSettings: many(2) }), baseline: base(cfg({ ...raw(true), AnalyticsSettings: many(1) })) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.changes?.length, 201);
    assert.deepEqual(r.changes?.at(-1), { area: 'config', item: 'ClusterSettings.Enable', before: 'true', after: 'false', judged: 'finding' });
    assert.equal(r.changes?.at(-2)?.item, 'AnalyticsSettings.Key199');
    assert.equal(r.summary, '251 setting(s) changed since preflight, 1 that matter (201 listed)');
    assert.deepEqual(r.measured, { changed: 251, blockingChanges: 1 });
  });
  it('past 200 changes, an allowed change that matters is not listed either', async () => {
    const many = (v: number) => Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`Key${i}`, v]));
    const r = await runCheck(configChangesCheck, { data: { effectiveConfig: cfg({ ...raw(false), AnalyticsSettings: many(2) }), baseline: base(cfg({ ...raw(true), AnalyticsSettings: many(1) })) }, options: { allow: ['ClusterSettings.Enable'] } });
    assert.equal(r.status, 'pass');
    assert.equal(r.changes?.length, 200);
    assert.equal(r.summary, '201 setting(s) changed since preflight (200 listed)');
  });
  it('a summary without findings or a cap names only the count', async () => {
    const r = await runCheck(configChangesCheck, { data: { effectiveConfig: cfg(raw(true, 100)), baseline: base(cfg(raw(true))) } });
    assert.equal(r.summary, '1 setting(s) changed since preflight');
    assert.deepEqual(r.measured, { changed: 1, blockingChanges: 0 });
  });
  it('no --baseline is an error (NO_BASELINE): nothing compared is never a pass', async () => {
    const r = await runCheck(configChangesCheck, { data: { effectiveConfig: cfg(raw(true)), baseline: null } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NO_BASELINE');
  });
  it('rejects an allow entry that is not a dotted path', () => {
    assert.throws(() => configChangesCheck.options.parse({ allow: ['Cluster Settings'] }), /dotted setting path/);
    const o = configChangesCheck.options.parse({ allow: ['ServiceSettings.SiteURL', 'PluginSettings.*'], settings: ['FileSettings.AmazonS3Bucket'] });
    assert.deepEqual([o.allow, o.settings], [['ServiceSettings.SiteURL', 'PluginSettings.*'], ['FileSettings.AmazonS3Bucket']]);
  });
});

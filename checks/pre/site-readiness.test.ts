import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SiteState } from '../../core/site-types.js';
import { runCheck } from '../../core/testing.js';
import check from './site-readiness.js';

const site = (o: Partial<SiteState> & { site: string }): SiteState => ({
  context: `ctx-${o.site}`, namespace: 'mattermost', installation: 'mm', found: true, state: 'stable', specVersion: '10.11.4', statusVersion: '10.11.4',
  drain: { source: 'annotation', drained: true, value: 'true', detail: 'annotation mmgate.io/drained=true' }, ...o,
});

describe('site-readiness', () => {
  it('passes a drained passive site while the writer is healthy', async () => {
    const r = await runCheck(check, { scope: { site: 'us' }, data: { siteStates: [site({ site: 'us', role: 'passive' }), site({ site: 'eu', role: 'active' })] } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['drainSource'], 'annotation');
  });

  it('fails the writer, and a site that still takes traffic', async () => {
    const r = await runCheck(check, { scope: { site: 'eu' }, data: { siteStates: [site({ site: 'us' }), site({ site: 'eu', role: 'active', drain: { source: 'prometheus', drained: false, value: '42', detail: '42.00 requests/s' } })] } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /site eu is the writer/);
    assert.match(r.findings[1]!.message, /still takes traffic: 42\.00 requests\/s/);
  });

  it('says "not checked" when no drain source is declared, and fails another site mid-change', async () => {
    const r = await runCheck(check, { scope: { site: 'us' }, data: { siteStates: [site({ site: 'us', drain: { source: 'none', detail: 'not checked: no source' } }), site({ site: 'eu', state: 'reconciling' })] } });
    assert.equal(r.status, 'fail');
    assert.ok(r.findings.some((f) => /site eu is reconciling/.test(f.message)));
    assert.ok(r.findings.some((f) => /drain not checked/.test(f.message)));
  });

  it('is not applicable without --site', async () => {
    assert.equal((await runCheck(check, { data: { siteStates: [] } })).status, 'not-applicable');
  });

  const judge = (me: string, siteStates: SiteState[], target?: Record<string, string>) => runCheck(check, { scope: { site: me }, data: { siteStates }, ...(target ? { target } : {}) });

  it('a site that is not among the sites read fails and lists the ones that were', async () => {
    const r = await judge('ap', [site({ site: 'us' }), site({ site: 'eu' })]);
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'site ap is not among the sites read');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'Config', name: 'sites' });
    assert.equal(r.findings[0]?.actual, 'us, eu');
    assert.equal((await judge('ap', [])).findings[0]?.actual, 'none');
  });
  it('the writer by its CR role and the writer by sites[].active say which told them', async () => {
    const byRole = await judge('eu', [site({ site: 'eu', role: 'active' })]);
    assert.match(byRole.findings[0]?.message ?? '', /\(its CR says mmgate\.io\/role: active\)/);
    assert.deepEqual(byRole.findings[0]?.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm (site eu)' });
    const byConfig = await judge('eu', [site({ site: 'eu', declaredActive: true })]);
    assert.match(byConfig.findings[0]?.message ?? '', /\(sites\[\]\.active is true\)/);
  });
  it('a site still taking traffic with no drain value says unset', async () => {
    const r = await judge('us', [site({ site: 'us', drain: { source: 'annotation', drained: false, detail: 'annotation missing' } })]);
    assert.equal(r.findings[0]?.actual, 'unset');
  });
  it('the site being upgraded is not judged as another site', async () => {
    const r = await judge('us', [site({ site: 'us', specVersion: '11.7.1', statusVersion: '10.11.4' }), site({ site: 'eu' })]);
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });
  it('another site mid-change (spec ahead of status) fails; one without a status version is not judged mid-change', async () => {
    const r = await judge('us', [site({ site: 'us' }), site({ site: 'eu', specVersion: '11.7.1', statusVersion: '10.11.4' })]);
    assert.equal(r.findings[0]?.message, 'site eu is mid-change (spec 11.7.1, status 10.11.4): it must carry the traffic while us upgrades');
    assert.equal((await judge('us', [site({ site: 'us' }), site({ site: 'eu', statusVersion: undefined })])).status, 'pass');
  });
  it('another site with no CR fails; one that could not be read is listed after it as could-not-look', async () => {
    const r = await judge('us', [site({ site: 'us' }), site({ site: 'eu', error: 'forbidden' }), site({ site: 'ap', found: false })]);
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.actual), ['has no Mattermost CR', 'could not be read: forbidden']);
    assert.equal(r.error?.code, 'SITE_UNREADABLE');
  });
  it('the summary and measurements name the role, the drain, the other sites and the target', async () => {
    const r = await judge('us', [site({ site: 'us' }), site({ site: 'eu' }), site({ site: 'ap' })], { version: '11.7.1' });
    assert.equal(r.summary, 'site us: passive, drain annotation mmgate.io/drained=true; 2 other site(s) judged; target 11.7.1');
    assert.deepEqual(r.measured, { site: 'us', drainSource: 'annotation', drained: true, otherSites: 2 });
    const image = await judge('us', [site({ site: 'us', role: 'passive' })], { image: 'mattermost/mattermost-enterprise-edition:11.7.1' });
    assert.match(image.summary ?? '', /^site us: passive, .*; target mattermost\/mattermost-enterprise-edition:11\.7\.1$/);
    const undeclared = await judge('us', [site({ site: 'us', drain: { source: 'none', detail: 'not checked' } })]);
    assert.equal(undeclared.measured?.['drained'], false);
  });
});

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
});

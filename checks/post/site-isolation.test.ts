import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SiteState } from '../../core/site-types.js';
import { runCheck } from '../../core/testing.js';
import { preflightBaseline } from '../fixtures.js';
import check from './site-isolation.js';

const site = (name: string, version: string, state = 'stable'): SiteState => ({ site: name, context: `ctx-${name}`, namespace: 'mattermost', installation: 'mm', found: true, state, specVersion: version, drain: { source: 'none', detail: '' } });
const baseline = (states: SiteState[]) => preflightBaseline({ siteStates: states });

describe('site-isolation', () => {
  it('passes when the other sites kept their preflight version', async () => {
    const r = await runCheck(check, { scope: { site: 'us' }, data: { siteStates: [site('us', '11.7.1'), site('eu', '10.11.4')], baseline: baseline([site('us', '10.11.4'), site('eu', '10.11.4')]) } });
    assert.equal(r.status, 'pass');
  });

  it('fails a site the upgrade reached', async () => {
    const r = await runCheck(check, { scope: { site: 'us' }, data: { siteStates: [site('us', '11.7.1'), site('eu', '11.7.1', 'reconciling')], baseline: baseline([site('us', '10.11.4'), site('eu', '10.11.4')]) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'site eu spec.version changed from 10.11.4 to 11.7.1');
  });
});

describe('site-isolation: what the other sites are judged by', () => {
  const before = baseline([site('us', '10.11.4'), site('eu', '10.11.4'), site('ap', '10.11.4')]);
  const run = (siteStates: SiteState[], base: unknown = before, scope: Record<string, unknown> = { site: 'us' }) =>
    runCheck(check, { scope, data: { siteStates, baseline: base } });

  it('is not applicable to a run that is not site by site', async () => {
    const r = await run([site('us', '11.7.1'), site('eu', '11.7.1', 'reconciling')], before, {});
    assert.equal(r.status, 'not-applicable');
    assert.equal(r.reason, 'not a site-by-site run (--site NAME)');
  });

  it('counts the other sites and says it compared them with preflight', async () => {
    const r = await run([site('us', '11.7.1'), site('eu', '10.11.4'), site('ap', '10.11.4')]);
    assert.equal(r.status, 'pass');
    assert.equal(r.summary, '2 other site(s) checked against the preflight baseline');
    assert.deepEqual(r.measured, { otherSites: 2 });
  });

  it('names the changed site as the subject, with what it should have stayed on', async () => {
    const r = await run([site('us', '11.7.1'), site('eu', '10.11.4'), site('ap', '11.7.1')]);
    assert.equal(r.status, 'fail');
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.deepEqual(f.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm (site ap)' });
    assert.equal(f.expected, 'untouched on 10.11.4, stable');
    assert.equal(f.actual, 'spec.version changed from 10.11.4 to 11.7.1');
    assert.match(f.remediation ?? '', /kubectl --context ctx-ap -n mattermost get mattermost mm -o yaml/);
  });

  it('fails a site on its version that is not stable, or has no state', async () => {
    const noState: SiteState = { ...site('ap', '10.11.4'), state: undefined };
    const r = await run([site('us', '11.7.1'), site('eu', '10.11.4', 'reconciling'), noState]);
    assert.deepEqual(r.findings.map((f) => f.message), ['site eu is reconciling, not stable', 'site ap is without a state, not stable']);
  });

  it('fails a site whose Mattermost CR is gone, or whose version was unset', async () => {
    const r = await run([site('us', '11.7.1'), { ...site('eu', '10.11.4'), found: false }, { ...site('ap', '10.11.4'), specVersion: undefined }]);
    assert.deepEqual(r.findings.map((f) => f.message), ['site eu has no Mattermost CR', 'site ap spec.version changed from 10.11.4 to unset']);
  });

  it('errors, not fails, on a site it could not read', async () => {
    const r = await run([site('us', '11.7.1'), { ...site('eu', '10.11.4'), error: 'context ctx-eu: connection refused' }, site('ap', '10.11.4')]);
    assert.equal(r.status, 'error');
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.equal(r.error?.code, 'SITE_UNREADABLE');
    assert.deepEqual(f.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm (site eu)' });
    assert.equal(f.expected, 'untouched on 10.11.4, stable');
    assert.equal(f.actual, 'could not be read: context ctx-eu: connection refused');
  });

  it('judges only the state of sites preflight did not record, or of every site without a baseline', async () => {
    const added = await run([site('us', '11.7.1'), site('eu', '10.11.4'), site('new', '11.7.1'), site('new2', '11.7.1', 'reconciling')]);
    assert.deepEqual(added.findings.map((f) => [f.message, f.expected]), [['site new2 is reconciling, not stable', 'untouched, stable']]);
    const none = await run([site('us', '11.7.1'), site('eu', '11.7.1')], null);
    assert.equal(none.status, 'pass');
    assert.match(none.summary ?? '', /^1 other site\(s\) checked for state only, not against preflight's versions: no baseline was given/);
    const unreadable = await run([site('us', '11.7.1'), { ...site('eu', '10.11.4'), error: 'timeout' }], null);
    assert.equal(unreadable.findings[0]?.expected, 'untouched, stable');
  });
});

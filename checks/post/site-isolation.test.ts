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

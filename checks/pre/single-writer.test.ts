import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SiteInstallation } from '../../core/drift-types.js';
import { runCheck } from '../../core/testing.js';
import check from './single-writer.js';

const site = (name: string, declaredActive: boolean | undefined, role: string | undefined, found = true): SiteInstallation => ({
  site: name, context: `ctx-${name}`, namespace: 'mattermost', installation: 'mm', found,
  ...(declaredActive !== undefined ? { declaredActive } : {}), ...(role !== undefined ? { role } : {}),
});

describe('single-writer', () => {
  const failing: { name: string; sites: SiteInstallation[]; message: RegExp; subject: string; expected: RegExp; actual: RegExp }[] = [
    { name: 'no site declared active', sites: [site('eu', false, 'passive'), site('us', false, 'passive')], message: /No site is declared the active writer/, subject: 'sites', expected: /exactly one/, actual: /none/ },
    { name: 'two sites declared active', sites: [site('eu', true, 'active'), site('us', true, 'active')], message: /2 sites are declared active writers: eu, us/, subject: 'sites', expected: /exactly one/, actual: /eu, us/ },
    { name: 'cluster disagrees with the declaration', sites: [site('eu', true, 'passive'), site('us', false, 'active')], message: /Site eu is declared active but its cluster says passive/, subject: 'mm', expected: /mmgate\.io\/role: active/, actual: /passive/ },
    { name: 'two clusters say active', sites: [site('eu', true, 'active'), site('us', false, 'active')], message: /2 clusters say they are the active writer/, subject: 'sites', expected: /one site/, actual: /eu, us/ },
    { name: 'no role marker', sites: [site('eu', true, 'active'), site('us', false, undefined)], message: /Site us's Mattermost CR does not say its role/, subject: 'mm', expected: /mmgate\.io\/role: passive/, actual: /no annotation/ },
    { name: 'installation missing', sites: [site('eu', true, 'active'), site('us', false, undefined, false)], message: /Site us has no Mattermost mattermost\/mm/, subject: 'mm', expected: /exists/, actual: /not found/ },
    { name: 'unknown role value', sites: [site('eu', true, 'active'), site('us', false, 'standby')], message: /mmgate\.io\/role is "standby"/, subject: 'mm', expected: /active or passive/, actual: /standby/ },
  ];
  for (const c of failing) {
    it(`fails: ${c.name}`, async () => {
      const r = await runCheck(check, { data: { siteInstallations: c.sites } });
      assert.equal(r.status, 'fail');
      const f = r.findings.find((x) => c.message.test(x.message));
      assert.ok(f, r.findings.map((x) => x.message).join(' | '));
      assert.equal(f.subject?.name, c.subject);
      assert.match(f.expected ?? '', c.expected);
      assert.match(f.actual ?? '', c.actual);
      assert.ok(f.remediation);
    });
  }

  it('passes with one declared writer that its cluster confirms', async () => {
    const r = await runCheck(check, { data: { siteInstallations: [site('eu', true, 'active'), site('us', false, 'Passive')] } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.summary, 'eu is the only writer');
    assert.deepEqual(r.measured, { sites: 2, declaredActive: 1, clusterActive: 1 });
  });

  it('a declaration the cluster contradicts names the declared role and the sites[].active flag, for each site', async () => {
    const r = await runCheck(check, { data: { siteInstallations: [site('eu', true, 'passive'), site('us', false, 'active')] } });
    assert.deepEqual(r.findings.map((f) => [f.message, f.expected, f.actual]), [
      ['Site eu is declared active but its cluster says passive', 'mmgate.io/role: active (sites[].active: true)', 'mmgate.io/role: passive'],
      ['Site us is declared passive but its cluster says active', 'mmgate.io/role: passive (sites[].active: false)', 'mmgate.io/role: active'],
    ]);
    assert.deepEqual(r.measured, { sites: 2, declaredActive: 1, clusterActive: 1 });
  });

  it('without requireRoleMarker, a site without the marker passes on its declaration', async () => {
    const r = await runCheck(check, { data: { siteInstallations: [site('eu', true, 'active'), site('us', false, undefined)] }, options: { requireRoleMarker: false } });
    assert.equal(r.status, 'pass');
  });

  it('is not applicable with fewer than two sites', async () => {
    const r = await runCheck(check, { data: { siteInstallations: [site('eu', true, 'active')] } });
    assert.equal(r.status, 'not-applicable');
    assert.match(r.reason ?? '', /1 site\(s\) configured/);
  });

  it('is error when a site could not be read', async () => {
    const r = await runCheck(check, { data: { siteInstallations: { $collectError: true, key: 'siteInstallations', code: 'UNREACHABLE', message: 'site us (context ctx-us): cannot reach' } } });
    assert.equal(r.status, 'error');
    assert.equal((await runCheck(check, { data: {} })).status, 'error');
  });
});

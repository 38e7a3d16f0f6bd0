import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LicenseView } from '../../core/identity.js';
import { runCheck } from '../../core/testing.js';
import { failed, mattermost, pod } from '../fixtures.js';
import { licenseCheck } from './license.js';

const lic = (o: Partial<LicenseView> = {}): LicenseView => ({
  url: 'https://chat.example.com', isLicensed: true, sanitized: false, skuShortName: 'enterprise', cluster: true, metrics: true,
  expiresAt: '2027-06-01T00:00:00.000Z', users: 500, activeUsers: 240, ...o,
});
const pods2 = [pod({ name: 'mm-7d9c6b5f4-abcde', nodeName: 'n1' }), pod({ name: 'mm-7d9c6b5f4-fghij', nodeName: 'n2' })];
const pods1 = [pods2[0]!];

describe('license', () => {
  it('passes a licence that covers clustering, expires well after the margin and has seats to spare', async () => {
    const r = await runCheck(licenseCheck, { data: { license: lic(), pods: pods2, installation: mattermost() } });
    assert.equal(r.status, 'pass');
    assert.match(r.summary ?? '', /expires 2027-06-01, 240 of 500 seats, clustering needed \(2 replicas\)/);
  });
  const fails: [string, Partial<LicenseView>, RegExp, RegExp][] = [
    ['unlicensed with two replicas', { isLicensed: false, cluster: undefined }, /not licensed, but the installation runs 2 replicas/, /IsLicensed false/],
    ['a licence without clustering for two replicas', { cluster: false }, /does not cover clustering/, /Cluster false/],
    ['a licence expiring within the 14-day margin', { expiresAt: '2026-11-27T12:00:00.000Z' }, /expires on 2026-11-27T12:00:00.000Z, in 7.0 days/, /^2026-11-27/],
    ['an expired licence', { expiresAt: '2026-11-01T00:00:00.000Z' }, /expired on 2026-11-01/, /^2026-11-01/],
    ['as many active users as seats', { activeUsers: 500 }, /500 active users for 500 licensed seats/, /500 active users/],
  ];
  for (const [name, over, message, actual] of fails) {
    it(`fails: ${name}`, async () => {
      const r = await runCheck(licenseCheck, { data: { license: lic(over), pods: pods2, installation: mattermost() } });
      assert.equal(r.status, 'fail', JSON.stringify(r.findings));
      assert.equal(r.findings.length, 1, JSON.stringify(r.findings));
      assert.match(r.findings[0]!.message, message);
      assert.match(r.findings[0]!.actual ?? '', actual);
      assert.deepEqual(r.findings[0]!.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm' });
      assert.ok(r.findings[0]!.remediation);
    });
  }
  it('an unlicensed single server needs no licence: not applicable', async () => {
    const r = await runCheck(licenseCheck, { data: { license: lic({ isLicensed: false }), pods: pods1, installation: mattermost({ replicas: 1 }) } });
    assert.equal(r.status, 'not-applicable');
  });
  it('a site with more than one replica needs clustering too', async () => {
    const r = await runCheck(licenseCheck, { data: { license: lic({ isLicensed: false }), pods: pods1, installation: mattermost({ replicas: 1 }), siteInstallations: [{ site: 'us', context: 'us', namespace: 'mattermost', installation: 'mm', found: true, replicas: 3 }] } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /sites with more than one replica: us/);
  });
  it('requireMetrics holds the licence to Metrics; a shorter margin accepts a licence expiring in a week', async () => {
    const r = await runCheck(licenseCheck, { data: { license: lic({ metrics: false, expiresAt: '2026-11-27T12:00:00.000Z' }), pods: pods2 }, options: { requireMetrics: true, expiryMargin: '3d' } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.actual), ['Metrics false']);
  });
  it('the sanitized licence: the expiry was not seen, so error SANITIZED_LICENSE naming the token to give', async () => {
    const r = await runCheck(licenseCheck, { data: { license: lic({ expiresAt: undefined, sanitized: true }), pods: pods2, installation: mattermost() } });
    assert.equal(r.status, 'error');
    assert.deepEqual(r.error, { code: 'SANITIZED_LICENSE', message: 'could not look at Mattermost mm (SANITIZED_LICENSE)' });
    assert.equal(r.findings.length, 1);
    assert.match(r.findings[0]!.message, /expiry could not be read/);
    assert.equal(r.findings[0]!.actual, 'no ExpiresAt');
    assert.equal(r.findings[0]!.expected, 'ExpiresAt in /api/v4/license/client');
    assert.deepEqual(r.findings[0]!.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm' });
    assert.match(r.findings[0]!.remediation ?? '', /read_license_information/);
  });
  it('active users that could not be counted are error NOT_COUNTED; beside a licence without clustering it fails', async () => {
    const r = await runCheck(licenseCheck, { data: { license: lic({ activeUsers: undefined, activeUsersError: 'HTTP 403: get_analytics' }), pods: pods2, installation: mattermost() } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NOT_COUNTED');
    assert.equal(r.findings[0]!.actual, 'HTTP 403: get_analytics');
    const mixed = await runCheck(licenseCheck, { data: { license: lic({ cluster: false, activeUsers: undefined }), pods: pods2, installation: mattermost() } });
    assert.equal(mixed.status, 'fail');
    assert.deepEqual(mixed.findings.map((f) => f.actual), ['Cluster false', 'no count']);
    assert.equal(mixed.error?.code, 'NOT_COUNTED');
  });
  it('requireMetrics auto: a licence without Metrics blocks when a metrics check is on, naming it, and passes when none is', async () => {
    const data = { license: lic({ metrics: false }), pods: pods2 };
    const on = await runCheck(licenseCheck, { data, checksOn: ['node-readiness', 'error-rate', 'api-latency'] });
    assert.equal(on.status, 'fail');
    assert.deepEqual(on.findings.map((f) => [f.actual, f.expected]), [['Metrics false', 'Metrics true']]);
    assert.match(on.findings[0]!.message, /which error-rate, api-latency need/);
    const off = await runCheck(licenseCheck, { data, checksOn: ['node-readiness'] });
    assert.equal(off.status, 'pass');
    const licensed = await runCheck(licenseCheck, { data: { license: lic({ metrics: true }), pods: pods2 }, checksOn: ['metrics-health'] });
    assert.equal(licensed.status, 'pass');
    const forcedOff = await runCheck(licenseCheck, { data, checksOn: ['metrics-health'], options: { requireMetrics: false } });
    assert.equal(forcedOff.status, 'pass');
  });
  it('a licence that could not be read is an error', async () => {
    const r = await runCheck(licenseCheck, { data: { license: failed('license'), pods: pods2 } });
    assert.equal(r.status, 'error');
  });
});

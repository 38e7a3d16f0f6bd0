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

  const judge = (over: Partial<LicenseView>, data: Record<string, unknown> = {}, options: Record<string, unknown> = {}) =>
    runCheck(licenseCheck, { data: { license: lic(over), pods: pods2, installation: mattermost(), ...data }, options });

  it('measures what the licence says', async () => {
    const r = await judge({});
    assert.deepEqual(r.measured, { licensed: true, replicas: 2, sku: 'enterprise', expiresAt: '2027-06-01T00:00:00.000Z', seats: 500, activeUsers: 240 });
  });
  it('a licence without SKU or seats measures neither and says unknown SKU', async () => {
    const r = await judge({ skuShortName: undefined, users: undefined, activeUsers: undefined });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.deepEqual(r.measured, { licensed: true, replicas: 2, expiresAt: '2027-06-01T00:00:00.000Z' });
    assert.match(r.summary ?? '', /^licensed \(unknown SKU\)/);
  });
  it('the replicas are the larger of the resource\'s and the running pods\'', async () => {
    const r = await judge({ cluster: false }, { installation: mattermost({ replicas: 3 }) });
    assert.equal(r.findings[0]?.message, 'The licence does not cover clustering, but the installation runs 3 replicas');
    assert.equal(r.measured?.['replicas'], 3);
  });
  it('a site with one replica needs no clustering', async () => {
    const r = await judge({ isLicensed: false }, { pods: pods1, installation: mattermost({ replicas: 1 }), siteInstallations: [{ site: 'us', context: 'us', namespace: 'mattermost', installation: 'mm', found: true, replicas: 1 }] });
    assert.equal(r.status, 'not-applicable');
  });
  it('a licence that does not say whether it covers clustering fails as unknown', async () => {
    const r = await judge({ cluster: undefined });
    assert.equal(r.findings[0]?.actual, 'Cluster unknown');
  });
  it('requireMetrics auto (the default) with no metrics check on: a licence without Metrics passes; with it required, a licence with Metrics passes', async () => {
    assert.equal(licenseCheck.options.parse({}).requireMetrics, 'auto');
    assert.equal((await judge({ metrics: false })).status, 'pass');
    assert.equal((await judge({ metrics: true }, {}, { requireMetrics: true })).status, 'pass');
  });
  it('requireMetrics with a licence silent on Metrics fails as unknown', async () => {
    const r = await judge({ metrics: undefined }, {}, { requireMetrics: true });
    assert.equal(r.findings[0]?.actual, 'Metrics unknown');
  });
  it('a licence expiring exactly at the margin passes', async () => {
    assert.equal((await judge({ expiresAt: '2026-12-04T12:00:00.000Z' })).status, 'pass');
  });
  it('a licence expiring this very moment has expired, and the finding names the date it must outlive', async () => {
    const r = await judge({ expiresAt: '2026-11-20T12:00:00.000Z' });
    assert.equal(r.findings[0]?.message, 'The licence expired on 2026-11-20T12:00:00.000Z');
    assert.equal(r.findings[0]?.expected, 'expiry after 2026-12-04T12:00:00.000Z (now + 14d)');
  });
  it('a licence with 0 or no seats has no seat limit to check', async () => {
    assert.equal((await judge({ users: 0, activeUsers: undefined })).status, 'pass');
    assert.equal((await judge({ users: undefined, activeUsers: undefined })).status, 'pass');
  });
  it('seats that cannot be checked because active users could not be counted fail', async () => {
    const r = await judge({ activeUsers: undefined, activeUsersError: 'GET /api/v4/analytics/old answered 403' });
    assert.equal(r.findings[0]?.message, 'Active users could not be counted, so the 500 licensed seats cannot be checked');
    assert.equal(r.findings[0]?.actual, 'GET /api/v4/analytics/old answered 403');
    assert.equal((await judge({ activeUsers: undefined })).findings[0]?.actual, 'no count');
  });
  it('one active user fewer than the seats passes', async () => {
    assert.equal((await judge({ activeUsers: 499 })).status, 'pass');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LicenseView } from '../../core/identity.js';
import { runCheck } from '../../core/testing.js';
import { failed, preflightBaseline } from '../fixtures.js';
import { licenseUnchangedCheck } from './license-unchanged.js';

const lic = (o: Partial<LicenseView> = {}): LicenseView => ({ url: 'https://chat.example.com', isLicensed: true, sanitized: false, skuShortName: 'enterprise', cluster: true, metrics: true, expiresAt: '2027-06-01T00:00:00.000Z', users: 500, ...o });
const base = (value?: LicenseView) => preflightBaseline(value ? { license: value } : {});

describe('license-unchanged', () => {
  it('passes when the licence is the same, and lists nothing', async () => {
    const r = await runCheck(licenseUnchangedCheck, { data: { license: lic(), baseline: base(lic()) } });
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.changes ?? [], []);
  });
  it('a lost licence fails with before and after, and is a finding in what changed', async () => {
    const r = await runCheck(licenseUnchangedCheck, { data: { license: { url: 'https://chat.example.com', isLicensed: false, sanitized: false }, baseline: base(lic()) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /lost the licence: at preflight IsLicensed was true, now it is false/);
    assert.equal(r.findings[0]!.expected, 'IsLicensed true, as at preflight (2026-11-20T10:00:00Z)');
    assert.equal(r.findings[0]!.actual, 'IsLicensed false');
    assert.deepEqual(r.changes?.find((c) => c.item === 'IsLicensed'), { area: 'license', item: 'IsLicensed', before: 'true', after: 'false', judged: 'finding' });
  });
  it('losing clustering alone fails; a renewed expiry is listed as information', async () => {
    const r = await runCheck(licenseUnchangedCheck, { data: { license: lic({ cluster: false, expiresAt: '2028-06-01T00:00:00.000Z' }), baseline: base(lic()) } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.actual), ['Cluster false']);
    assert.deepEqual(r.changes?.map((c) => `${c.item}:${c.judged}`), ['Cluster:finding', 'ExpiresAt:info']);
  });
  it('losing metrics alone fails; nothing to lose (clustering and metrics not covered before) passes', async () => {
    const r = await runCheck(licenseUnchangedCheck, { data: { license: lic({ metrics: false }), baseline: base(lic()) } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => [f.message, f.actual]), [['The upgrade lost performance metrics: at preflight Metrics was true, now it is false', 'Metrics false']]);
    assert.deepEqual(r.changes?.map((c) => `${c.item}:${c.judged}`), ['Metrics:finding']);
    const small = lic({ cluster: false, metrics: false });
    const same = await runCheck(licenseUnchangedCheck, { data: { license: small, baseline: base(small) } });
    assert.equal(same.status, 'pass', JSON.stringify(same.findings));
    assert.deepEqual(same.measured, { licensedBefore: true, licensedAfter: true, changes: 0 });
  });
  it('every other field that changed is listed as information, a field now absent as (none)', async () => {
    const r = await runCheck(licenseUnchangedCheck, { data: { license: lic({ skuShortName: 'professional', users: 100, expiresAt: undefined }), baseline: base(lic()) } });
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.changes, [
      { area: 'license', item: 'SkuShortName', before: 'enterprise', after: 'professional', judged: 'info' },
      { area: 'license', item: 'Users', before: '500', after: '100', judged: 'info' },
      { area: 'license', item: 'ExpiresAt', before: '2027-06-01T00:00:00.000Z', after: '(none)', judged: 'info' },
    ]);
    assert.equal(r.summary, '3 licence field(s) changed since preflight');
    assert.equal(r.measured?.['changes'], 3);
  });
  it('no --baseline is an error (NO_BASELINE): nothing compared is never a pass', async () => {
    const r = await runCheck(licenseUnchangedCheck, { data: { license: lic(), baseline: null } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NO_BASELINE');
    assert.equal(r.findings[0]!.actual, 'no --baseline');
  });
  it('a baseline without the licence is an error (NOT_IN_BASELINE) and names the file', async () => {
    const r = await runCheck(licenseUnchangedCheck, { data: { license: lic(), baseline: base() } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NOT_IN_BASELINE');
    assert.deepEqual(r.findings[0]!.subject, { kind: 'File', name: '/r/preflight.snapshot.json' });
    assert.match(r.findings[0]!.actual ?? '', /holds no "license": it was written by a preflight that did not collect it/);
  });
  it('a preflight that could not read the licence is an error with preflight\'s reason and the fix', async () => {
    const r = await runCheck(licenseUnchangedCheck, { data: { license: lic(), baseline: preflightBaseline({ license: failed('license') }) } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NOT_IN_BASELINE');
    assert.equal(r.findings[0]!.message, 'The preflight baseline holds no licence');
    assert.match(r.findings[0]!.actual ?? '', /^preflight could not look \(FORBIDDEN\)/);
    assert.match(r.findings[0]!.remediation ?? '', /mattermost\.admin\.token/);
  });
  it('a licence that could not be read now is an error', async () => {
    const r = await runCheck(licenseUnchangedCheck, { data: { license: failed('license'), baseline: base(lic()) } });
    assert.equal(r.status, 'error');
  });
});

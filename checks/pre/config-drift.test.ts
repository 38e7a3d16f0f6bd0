import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ClusterConfigs, SiteConfig } from '../../core/drift-types.js';
import { runCheck } from '../../core/testing.js';
import check from './config-drift.js';

const env = (over: Record<string, string> = {}) => Object.entries({
  MM_SERVICESETTINGS_SITEURL: 'https://chat-eu.example.com', MM_LOGSETTINGS_CONSOLELEVEL: 'INFO', MM_SQLSETTINGS_DATASOURCE: 'hidden:aaaa', ...over,
}).map(([name, value]) => ({ name, value }));

const site = (name: string, over: Partial<SiteConfig> = {}, envOver: Record<string, string> = {}, specOver: Record<string, unknown> = {}): SiteConfig => ({
  site: name, context: `ctx-${name}`, namespace: 'mattermost', installation: 'mm',
  cr: { found: true, spec: { version: '11.7.1', image: 'mattermost/mattermost-enterprise-edition', replicas: 2, mattermostEnv: env(envOver), ...specOver } },
  configMaps: { 'mm-extra': { 'plugins.json': '{"a":1}' } },
  secrets: { 'mm-db': { DB_CONNECTION_STRING: 'hidden:1111' } },
  ...over,
});
const cc = (sites: SiteConfig[], over: Partial<ClusterConfigs> = {}): ClusterConfigs => ({ sites, desired: {}, allow: ['spec.mattermostEnv[MM_SERVICESETTINGS_SITEURL]'], ...over });

describe('config-drift', () => {
  const failing: { name: string; data: ClusterConfigs; message: RegExp; subject: { kind: string; name: string }; expected: string; actual: string }[] = [
    {
      name: 'an env value differs between sites', data: cc([site('eu'), site('us', {}, { MM_LOGSETTINGS_CONSOLELEVEL: 'DEBUG' })]),
      message: /^spec\.mattermostEnv\[MM_LOGSETTINGS_CONSOLELEVEL\]\.value differs between site eu and site us$/, subject: { kind: 'Mattermost', name: 'mm' }, expected: '"INFO"', actual: '"DEBUG"',
    },
    {
      name: 'a secret env value differs (hidden)', data: cc([site('eu'), site('us', {}, { MM_SQLSETTINGS_DATASOURCE: 'hidden:bbbb' })]),
      message: /MM_SQLSETTINGS_DATASOURCE\]\.value differs between site eu and site us \(values hidden\)$/, subject: { kind: 'Mattermost', name: 'mm' }, expected: '(hidden)', actual: '(hidden)',
    },
    {
      name: 'a Secret key differs (hidden)', data: cc([site('eu'), site('us', { secrets: { 'mm-db': { DB_CONNECTION_STRING: 'hidden:2222' } } })]),
      message: /^secrets\.mm-db\.data\.DB_CONNECTION_STRING differs .* \(values hidden\)$/, subject: { kind: 'Secret', name: 'mm-db' }, expected: '(hidden)', actual: '(hidden)',
    },
    {
      name: 'an env entry only on one site', data: cc([site('eu'), site('us', {}, { MM_FEATUREFLAGS_X: 'true' })]),
      message: /MM_FEATUREFLAGS_X\]\.value differs/, subject: { kind: 'Mattermost', name: 'mm' }, expected: '(absent)', actual: '"true"',
    },
    {
      name: 'a ConfigMap key differs', data: cc([site('eu'), site('us', { configMaps: { 'mm-extra': { 'plugins.json': '{"a":2}' } } })]),
      message: /^configMaps\.mm-extra\.data\[plugins\.json\] differs/, subject: { kind: 'ConfigMap', name: 'mm-extra' }, expected: '"{\\"a\\":1}"', actual: '"{\\"a\\":2}"',
    },
    {
      name: 'a ConfigMap missing on a site', data: cc([site('eu'), site('us', { configMaps: { 'mm-extra': null } })]),
      message: /ConfigMap mm-extra is missing on us/, subject: { kind: 'ConfigMap', name: 'mm-extra' }, expected: 'present on every site (drift.configMaps)', actual: 'missing on us (mattermost)',
    },
    {
      name: 'live spec differs from git', data: cc([site('eu', {}, {}, { replicas: 3 })], { desired: { manifestPath: '/git/mm.yaml', manifestSpec: { version: '11.6.0', replicas: 2, mattermostEnv: env() } } }),
      message: /^spec\.replicas on site eu differs from git \(\/git\/mm\.yaml\)$/, subject: { kind: 'Mattermost', name: 'mm' }, expected: '2', actual: '3',
    },
    {
      name: 'installation missing on a site', data: cc([site('eu'), site('us', { cr: { found: false } })]),
      message: /Site us has no Mattermost mattermost\/mm/, subject: { kind: 'Mattermost', name: 'mm' }, expected: 'the installation exists', actual: 'not found',
    },
    {
      name: 'Helm values differ from git', data: cc([site('eu', { helm: { release: 'mm', revision: 4, values: { ingress: { enabled: true }, replicaCount: 3 } } })], { desired: { valuesPath: '/git/values.yaml', values: { ingress: { enabled: true }, replicaCount: 2 } } }),
      message: /^values\.replicaCount of release mm on site eu differs from git/, subject: { kind: 'HelmRelease', name: 'mm' }, expected: '2', actual: '3',
    },
  ];
  for (const c of failing) {
    it(`fails: ${c.name}`, async () => {
      const r = await runCheck(check, { data: { clusterConfigs: c.data } });
      assert.equal(r.status, 'fail', JSON.stringify(r));
      const f = r.findings.find((x) => c.message.test(x.message));
      assert.ok(f, r.findings.map((x) => x.message).join(' | '));
      assert.equal(f.subject?.kind, c.subject.kind);
      assert.equal(f.subject?.name, c.subject.name);
      assert.equal(f.expected, c.expected);
      assert.equal(f.actual, c.actual);
      assert.ok(f.remediation);
    });
  }

  it('passes when sites match, ignoring version/image and allowed paths', async () => {
    const r = await runCheck(check, {
      data: { clusterConfigs: cc([site('eu'), site('us', {}, { MM_SERVICESETTINGS_SITEURL: 'https://chat-us.example.com' }, { version: '11.6.0', image: 'other' })]) },
    });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['allowed'], 1);
  });

  it('a * segment in drift.allow matches one segment', async () => {
    const r = await runCheck(check, { data: { clusterConfigs: cc([site('eu'), site('us', {}, { MM_LOGSETTINGS_CONSOLELEVEL: 'DEBUG', MM_SERVICESETTINGS_SITEURL: 'x' })], { allow: ['spec.mattermostEnv[*].value'] }) } });
    assert.equal(r.status, 'pass');
  });

  it('is not applicable with one site and no desired state', async () => {
    const r = await runCheck(check, { data: { clusterConfigs: cc([site('eu')]) } });
    assert.equal(r.status, 'not-applicable');
    assert.match(r.reason ?? '', /nothing to compare/);
  });

  it('lists at most maxFindings differences and counts the rest', async () => {
    const many = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`MM_X_${i}`, String(i)]));
    const r = await runCheck(check, { data: { clusterConfigs: cc([site('eu'), site('us', {}, many)]) }, options: { maxFindings: 3 } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings.length, 4);
    assert.match(r.findings[3]?.message ?? '', /\(8 in all\)/);
  });

  it('is error when a site could not be read', async () => {
    const r = await runCheck(check, { data: { clusterConfigs: { $collectError: true, key: 'clusterConfigs', code: 'FORBIDDEN', message: 'site us: forbidden (403) to get secrets' } } });
    assert.equal(r.status, 'error');
    assert.equal((await runCheck(check, { data: {} })).status, 'error');
  });
});

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

  const judge = (clusterConfigs: ClusterConfigs, options: Record<string, unknown> = {}) => runCheck(check, { data: { clusterConfigs }, options });
  const helm = (replicaCount: number) => ({ release: 'mm', revision: 4, values: { replicaCount } });

  it('no site read at all fails', async () => {
    const r = await judge(cc([]));
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'Config', name: 'sites' });
    assert.equal(r.findings[0]?.message, 'No site was read');
  });
  it('one difference is one finding, with no "and more"', async () => {
    const r = await judge(cc([site('eu'), site('us', {}, { MM_LOGSETTINGS_CONSOLELEVEL: 'DEBUG' })]));
    assert.equal(r.findings.length, 1);
    assert.deepEqual(r.measured, { sites: 2, comparisons: 1, differences: 1, hidden: 0, allowed: 0 });
  });
  it('a hidden difference is counted as hidden', async () => {
    const r = await judge(cc([site('eu'), site('us', {}, { MM_SQLSETTINGS_DATASOURCE: 'hidden:bbbb' })]));
    assert.equal(r.measured?.['hidden'], 1);
  });
  it('a ConfigMap missing on a site is one finding, not a diff of each of its keys', async () => {
    const r = await judge(cc([site('eu'), site('us', { configMaps: { 'mm-extra': null } })]));
    assert.deepEqual(r.findings.map((f) => f.message), ['ConfigMap mm-extra is missing on us']);
  });
  it('a ConfigMap the other site does not list at all is missing there', async () => {
    const r = await judge(cc([site('eu'), site('us', { configMaps: {} })]));
    assert.deepEqual(r.findings.map((f) => f.message), ['ConfigMap mm-extra is missing on us']);
  });
  it('a missing Secret is named as a Secret, in the namespace of the site that lacks it', async () => {
    const r = await judge(cc([site('eu'), site('us', { namespace: 'mm-us', secrets: { 'mm-db': null } })]));
    const f = r.findings.find((x) => x.message.startsWith('Secret'));
    assert.equal(f?.message, 'Secret mm-db is missing on us');
    assert.deepEqual(f?.subject, { kind: 'Secret', namespace: 'mm-us', name: 'mm-db' });
  });
  it('when the first site has no installation, the others are not diffed against nothing', async () => {
    const r = await judge(cc([site('eu', { cr: { found: false } }), site('us')]));
    assert.deepEqual(r.findings.map((f) => f.message), ['Site eu has no Mattermost mattermost/mm']);
    assert.equal(r.measured?.['comparisons'], 0);
  });
  it('Helm values that differ between sites are drift', async () => {
    const r = await judge(cc([site('eu', { helm: helm(2) }), site('us', { helm: helm(3) })]));
    assert.equal(r.findings[0]?.message, 'values.replicaCount differs between site eu and site us');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'HelmRelease', namespace: 'mattermost', name: 'mm' });
  });
  it('desired values without a path name the option in the message', async () => {
    const r = await judge(cc([site('eu', { helm: helm(3) })], { desired: { values: { replicaCount: 2 } } }));
    assert.equal(r.findings[0]?.message, 'values.replicaCount of release mm on site eu differs from git (drift.desired.values)');
  });
  it('desired values with no release found on the site fail: no release secret', async () => {
    const r = await judge(cc([site('eu', { helm: null })], { desired: { valuesPath: '/git/values.yaml', values: { replicaCount: 2 } } }));
    assert.equal(r.findings[0]?.message, 'Site eu has no Helm release to compare with /git/values.yaml');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'HelmRelease', namespace: 'mattermost', name: 'release' });
    assert.equal(r.findings[0]?.actual, 'no release secret found');
  });
  it('desired values without kube.helm configured fail and say so', async () => {
    const r = await judge(cc([site('eu')], { desired: { values: { replicaCount: 2 } } }));
    assert.equal(r.findings[0]?.message, 'Site eu has no Helm release to compare with drift.desired.values');
    assert.equal(r.findings[0]?.subject?.name, 'kube.helm');
    assert.equal(r.findings[0]?.actual, 'kube.helm is not configured');
  });
  it('findings other than differences do not bring an "and more"', async () => {
    const r = await judge(cc([site('eu'), site('us', { cr: { found: false } })]), { maxFindings: 1 });
    assert.equal(r.findings.length, 1);
  });
  it('the "and more" finding names the drift config and the total', async () => {
    const many = Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`MM_X_${i}`, String(i)]));
    const r = await judge(cc([site('eu'), site('us', {}, many)]), { maxFindings: 1 });
    const more = r.findings.at(-1);
    assert.deepEqual(more?.subject, { kind: 'Config', name: 'drift' });
    assert.equal(more?.actual, '3');
  });
  it('ignored paths must not be empty', () => {
    assert.deepEqual(check.options.parse({ ignore: ['spec.version'] }).ignore, ['spec.version']);
    assert.throws(() => check.options.parse({ ignore: [''] }));
  });
});

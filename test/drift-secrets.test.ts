/**
 * End to end through the real runner: two sites (lab Kubernetes API servers, https with the lab
 * CA and a bearer token) with secret
 * values planted in a Secret, in mattermostEnv, in Helm values, in a ConfigMap and in the config
 * (${env:…}); the drift and single-writer collectors and checks run, and none of the planted
 * values may appear anywhere in the report or the snapshot, while their differences are still
 * reported as "(values hidden)".
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { configDrift } from '../checks/pre/config-drift.js';
import { singleWriter } from '../checks/pre/single-writer.js';
import { clusterConfigsCollector } from '../collectors/drift/cluster-configs.js';
import { siteInstallationsCollector } from '../collectors/drift/sites.js';
import type { Collector } from '../core/collector.js';
import { parseConfig } from '../core/config/load.js';
import { runGate } from '../core/runner.js';
import { Redactor } from '../core/secrets.js';
import type { ClusterConfigs } from '../core/drift-types.js';
import type { Check } from '../core/types.js';
import { helmReleaseSecret } from '../lab/kube/helm.js';
import { kubeconfigYaml } from '../lab/kube/kubeconfig.js';
import { startKubeApi, type KubeApi, type KubeObject } from '../lab/kube/server.js';
import { ObjectStore } from '../lab/kube/store.js';

const PLANTED = {
  secretEu: 'PLANTED-secret-eu-7f3a9c',
  secretUs: 'PLANTED-secret-us-1b2c3d',
  envDsnEu: 'postgres://mmuser:PLANTED-envpw-eu-4411@db-eu:5432/mattermost',
  envDsnUs: 'postgres://mmuser:PLANTED-envpw-us-9922@db-us:5432/mattermost',
  helmPwEu: 'PLANTED-helm-eu-5566',
  helmPwUs: 'PLANTED-helm-us-7788',
  configDsnPw: 'PLANTED-configpw-0001',
  smtpEu: 'PLANTED-smtp-eu-3141',
};

const TOKEN = 'drift-secrets-token';

/** A Helm 3 storage Secret for release mm (helm's secrets driver encoding); only the newest is deployed. */
function helmSecret(config: Record<string, unknown>, revision: number, status: 'deployed' | 'superseded'): KubeObject {
  return helmReleaseSecret({ name: 'mm', namespace: 'mattermost', revision, status, chart: { name: 'mattermost-enterprise-edition', version: '2.6.0' }, config });
}

function site(name: 'eu' | 'us', role: string, secret: string, envDsn: string, helmPw: string, logLevel: string): ObjectStore {
  const cr: KubeObject = {
    apiVersion: 'installation.mattermost.com/v1beta1', kind: 'Mattermost',
    metadata: {
      name: 'mm', namespace: 'mattermost', annotations: {
        'mmgate.io/role': role,
        // kubectl apply leaves the whole spec here, secrets included.
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ spec: { mattermostEnv: [{ name: 'MM_SQLSETTINGS_DATASOURCE', value: envDsn }] } }),
      },
    },
    spec: {
      version: name === 'eu' ? '11.7.1' : '11.6.0', image: 'mattermost/mattermost-enterprise-edition', replicas: 2,
      ingress: { enabled: true, host: `chat-${name}.example.com` },
      mattermostEnv: [
        { name: 'MM_SQLSETTINGS_DATASOURCE', value: envDsn },
        { name: 'MM_LOGSETTINGS_CONSOLELEVEL', value: logLevel },
        { name: 'MM_SERVICESETTINGS_SITEURL', value: `https://chat-${name}.example.com` },
        // A secret value under a name that does not look secret: masked because the Secret taught it.
        { name: 'MM_NOTES', value: `relay uses ${secret}` },
      ],
      elasticSearch: { host: 'es', username: 'elastic', password: helmPw },
    },
  };
  return new ObjectStore([
    cr,
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'mm-db', namespace: 'mattermost' }, stringData: { DB_CONNECTION_STRING: secret, DB_USER: 'mmuser' } },
    helmSecret({ externalDB: { password: helmPw, host: `db-${name}` }, config: { smtpPassword: name === 'eu' ? PLANTED.smtpEu : PLANTED.smtpEu }, replicaCount: 2 }, 3, 'deployed'),
    helmSecret({ replicaCount: 1 }, 2, 'superseded'),
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mm-extra', namespace: 'mattermost' }, data: { 'relay.conf': `password=${secret}`, level: logLevel } },
  ]);
}

let eu: KubeApi;
let us: KubeApi;
let kube: { path: string; dir: string };

before(async () => {
  eu = await startKubeApi({ tls: true, token: TOKEN, store: site('eu', 'active', PLANTED.secretEu, PLANTED.envDsnEu, PLANTED.helmPwEu, 'INFO') });
  us = await startKubeApi({ tls: true, token: TOKEN, store: site('us', 'passive', PLANTED.secretUs, PLANTED.envDsnUs, PLANTED.helmPwUs, 'DEBUG') });
  const dir = await mkdtemp(join(tmpdir(), 'mmgate-drift-secrets-'));
  const path = join(dir, 'kubeconfig');
  await writeFile(path, kubeconfigYaml([
    { name: 'eu', url: eu.url, caPem: eu.caPem!, token: TOKEN },
    { name: 'us', url: us.url, caPem: us.caPem!, token: TOKEN },
  ]), { mode: 0o600 });
  kube = { path, dir };
});
after(async () => {
  await eu?.close();
  await us?.close();
  if (kube) await rm(kube.dir, { recursive: true, force: true });
});

describe('drift and single-writer end to end, secrets never shown', () => {
  it('reports drift by path, hides secret differences, and leaks none of the planted values', async () => {
    await writeFile(join(kube.dir, 'desired.yaml'), [
      'apiVersion: installation.mattermost.com/v1beta1', 'kind: Mattermost', 'metadata: { name: mm }', 'spec:',
      '  version: 11.6.0', '  image: mattermost/mattermost-enterprise-edition', '  replicas: 2',
      '  ingress: { enabled: true, host: chat-eu.example.com }',
      '  mattermostEnv:', `    - { name: MM_SQLSETTINGS_DATASOURCE, value: "${PLANTED.envDsnEu}" }`, '    - { name: MM_LOGSETTINGS_CONSOLELEVEL, value: INFO }',
      '    - { name: MM_SERVICESETTINGS_SITEURL, value: "https://chat-eu.example.com" }', `    - { name: MM_NOTES, value: "relay uses ${PLANTED.secretEu}" }`,
      `  elasticSearch: { host: es, username: elastic, password: ${PLANTED.helmPwEu} }`, '',
    ].join('\n'));
    const redactor = new Redactor();
    const config = parseConfig({
      kube: { kubeconfig: kube.path, context: 'eu', namespace: 'mattermost', installation: 'mm', helm: { release: 'mm' } },
      database: { dsn: '${env:MMGATE_TEST_DSN}' },
      sites: [{ name: 'eu', context: 'eu', active: true }, { name: 'us', context: 'us', active: false }],
      drift: {
        configMaps: ['mm-extra'], secrets: ['mm-db'], desired: { manifest: 'desired.yaml' },
        allow: ['spec.ingress.host', 'spec.mattermostEnv[MM_SERVICESETTINGS_SITEURL]', 'values.externalDB.host'],
      },
    }, 'test', { dir: kube.dir, env: { MMGATE_TEST_DSN: `postgres://mmgate:${PLANTED.configDsnPw}@db:5432/mattermost` }, redactor });
    const collectors = new Map<string, Collector>([[clusterConfigsCollector.key, clusterConfigsCollector as Collector], [siteInstallationsCollector.key, siteInstallationsCollector as Collector]]);
    const { report, snapshot } = await runGate({
      phase: 'pre', checks: [configDrift, singleWriter] as unknown as Check[], collectors, config, configDir: kube.dir,
      scope: { context: 'eu', namespace: 'mattermost', installation: 'mm' }, target: { version: '11.7.1' },
      policy: { preset: 'recommended', checks: {}, waivers: [], ignore: [], today: '2026-11-20' },
      checkOptions: new Map<string, unknown>([['config-drift', configDrift.options.parse({ maxFindings: 200 })], ['single-writer', singleWriter.options.parse({})]]),
      redactor, timeouts: { collectorMs: 20_000, checkMs: 5_000, overallMs: 60_000 },
    });
    const everything = JSON.stringify({ report, snapshot });
    for (const [name, value] of Object.entries(PLANTED)) assert.ok(!everything.includes(value), `${name} leaked`);
    for (const part of ['PLANTED-envpw', 'PLANTED-secret', 'PLANTED-helm', 'PLANTED-config', 'PLANTED-smtp']) assert.ok(!everything.includes(part), `${part} leaked`);

    const drift = report.results.find((r) => r.id === 'config-drift');
    assert.equal(drift?.status, 'fail', JSON.stringify(drift));
    const messages = drift?.findings.map((f) => f.message) ?? [];
    const has = (re: RegExp) => assert.ok(messages.some((m) => re.test(m)), `no finding ${re}:\n${messages.join('\n')}`);
    has(/^spec\.mattermostEnv\[MM_SQLSETTINGS_DATASOURCE\]\.value differs between site eu and site us \(values hidden\)$/);
    has(/^spec\.mattermostEnv\[MM_NOTES\]\.value differs between site eu and site us \(values hidden\)$/);
    has(/^secrets\.mm-db\.data\.DB_CONNECTION_STRING differs between site eu and site us \(values hidden\)$/);
    has(/^spec\.elasticSearch\.password differs between site eu and site us \(values hidden\)$/);
    has(/^values\.externalDB\.password differs between site eu and site us \(values hidden\)$/);
    has(/^configMaps\.mm-extra\.data\[relay\.conf\] differs between site eu and site us \(values hidden\)$/);
    const level = drift?.findings.find((f) => f.message === 'spec.mattermostEnv[MM_LOGSETTINGS_CONSOLELEVEL].value differs between site eu and site us');
    assert.deepEqual([level?.expected, level?.actual], ['"INFO"', '"DEBUG"']);
    // The us site drifted from git too; version/image and allowed paths never count.
    has(/^spec\.mattermostEnv\[MM_LOGSETTINGS_CONSOLELEVEL\]\.value on site us differs from git/);
    assert.ok(!messages.some((m) => /spec\.(version|image)|ingress\.host|SITEURL|externalDB\.host/.test(m)), messages.join('\n'));
    assert.ok(!messages.some((m) => /on site eu differs from git/.test(m)), 'eu matches git');
    // Same value on both sites (smtpPassword, DB_USER): equal hashes, no finding.
    assert.ok(!messages.some((m) => /smtpPassword|DB_USER/.test(m)));
    for (const f of drift?.findings ?? []) if (/values hidden/.test(f.message)) assert.ok(['(hidden)', '(absent)'].includes(f.expected ?? '') && ['(hidden)', '(absent)'].includes(f.actual ?? ''));

    const writer = report.results.find((r) => r.id === 'single-writer');
    assert.equal(writer?.status, 'pass', JSON.stringify(writer));
    // Helm values come from the newest revision (3), not revision 2.
    const cc = snapshot.data.clusterConfigs as ClusterConfigs;
    assert.equal(cc.sites[0]?.helm?.revision, 3);
  });
});

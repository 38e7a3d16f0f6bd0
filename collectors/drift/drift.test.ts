/**
 * Drift, site and snapshot collectors against two lab Kubernetes API servers (lab/kube, https
 * with the lab CA and a bearer token) through the real KubeClient, plus the pure helpers that
 * keep secrets out of the snapshot.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { kubeconfigYaml } from '../../lab/kube/kubeconfig.js';
import { startKubeApi, type KubeApi, type KubeObject } from '../../lab/kube/server.js';
import { ObjectStore } from '../../lab/kube/store.js';
import { CollectFailure } from '../../core/collector.js';
import { isHidden } from '../../core/drift-types.js';
import { Redactor } from '../../core/secrets.js';
import { testEnv } from '../../test/collect-env.js';
import { volumeSnapshotsCollector } from '../backups/volume-snapshots.js';
import { clusterConfigsCollector, helmReleaseConfig } from './cluster-configs.js';
import { makeHasher, protect } from './protect.js';
import { replicationStatusCollector, siteInstallationsCollector } from './sites.js';

const TOKEN = 'drift-test-token';

const mm = (name: string, meta: Partial<KubeObject['metadata']> = {}, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'installation.mattermost.com/v1beta1', kind: 'Mattermost', metadata: { name, namespace: 'mattermost', ...meta }, spec: { replicas: 2, ...spec },
});
const snapshot = (name: string, creationTimestamp: string, status: Record<string, unknown>): KubeObject => ({
  apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshot',
  metadata: { name, namespace: 'mattermost', creationTimestamp }, spec: { source: { persistentVolumeClaimName: 'db-data' } }, status,
});

let a: KubeApi;
let b: KubeApi;
let kube: { path: string; dir: string };

before(async () => {
  a = await startKubeApi({
    tls: true, token: TOKEN,
    store: new ObjectStore([
      mm('mm', { annotations: { 'mmgate.io/role': 'active' } }, { mattermostEnv: [{ name: 'MM_X', value: '1' }] }),
      snapshot('db-1', '2026-11-20T01:00:00Z', { readyToUse: true, creationTime: '2026-11-20T00:59:00Z', restoreSize: '10Gi' }),
      // Never taken: no status.creationTime, so takenAt falls back to when the object was created.
      snapshot('db-2', '2026-11-20T02:00:00Z', { readyToUse: false, error: { message: 'Failed to check and update snapshot content' } }),
    ]),
  });
  // Site b has no CSI snapshot CRDs: its API server answers 404 for snapshot.storage.k8s.io.
  b = await startKubeApi({
    tls: true, token: TOKEN,
    store: new ObjectStore([mm('mm', { labels: { 'mmgate.io/role': 'passive' } })]),
    faults: [{ path: '^/apis/snapshot\\.storage\\.k8s\\.io/', status: 404 }],
  });
  const dir = await mkdtemp(join(tmpdir(), 'mmgate-drift-'));
  const path = join(dir, 'kubeconfig');
  await writeFile(path, kubeconfigYaml([
    { name: 'a', url: a.url, caPem: a.caPem!, token: TOKEN },
    { name: 'b', url: b.url, caPem: b.caPem!, token: TOKEN },
  ]), { mode: 0o600 });
  kube = { path, dir };
});
after(async () => {
  await a?.close();
  await b?.close();
  if (kube) await rm(kube.dir, { recursive: true, force: true });
});

describe('protect', () => {
  it('hides secret-named values, env entries with secret names, and values the Redactor knows; equal values hash alike', () => {
    const r = new Redactor();
    r.add('known-secret-value');
    const hash = makeHasher(Buffer.alloc(32, 1));
    const out = protect({
      env: [{ name: 'MM_SQLSETTINGS_DATASOURCE', value: 'postgres://u:pw-in-env@db/mm' }, { name: 'MM_LOG', value: 'INFO' }],
      elasticSearch: { password: 'es-password-1' },
      licenseSecret: 'mm-license',
      note: 'uses known-secret-value inside',
      enableAuth: 'true',
      replicas: 2,
    }, hash, r) as Record<string, unknown>;
    const env = out['env'] as { name: string; value: string }[];
    assert.ok(isHidden(env[0]?.value));
    assert.equal(env[1]?.value, 'INFO');
    assert.ok(isHidden((out['elasticSearch'] as Record<string, string>)['password']));
    assert.ok(isHidden(out['licenseSecret']));
    assert.ok(isHidden(out['note']));
    assert.ok(isHidden(out['enableAuth']));
    assert.equal(out['replicas'], 2);
    assert.equal(hash('x'), hash('x'));
    assert.notEqual(hash('x'), hash('y'));
    // Secret values under secret names are learnt (masked anywhere later); references and trivial literals are not.
    assert.equal(r.redact('pw es-password-1 and postgres://u:pw-in-env@db/mm'), 'pw *** and ***');
    assert.equal(r.redact('mm-license true'), 'mm-license true');
    assert.ok(!JSON.stringify(out).includes('pw-in-env'));
  });

  it('decodes the user values of a Helm 3 release secret', () => {
    const release = Buffer.from(gzipSync(Buffer.from(JSON.stringify({ name: 'mm', config: { replicaCount: 3 } })))).toString('base64');
    assert.deepEqual(helmReleaseConfig({ metadata: { name: 'x' }, data: { release: Buffer.from(release).toString('base64') } }), { replicaCount: 3 });
  });
});

describe('site collectors (lab clusters)', () => {
  // kube.path exists once before() ran: build the config lazily.
  const sites = [{ name: 'eu', context: 'a', active: true }, { name: 'us', context: 'b', active: false }];
  const kubeCfg = (context = 'a') => ({ kubeconfig: kube.path, context, namespace: 'mattermost', installation: 'mm' });

  it('siteInstallations reads each site\'s CR and its role from an annotation or a label', async () => {
    const got = await siteInstallationsCollector.collect(testEnv({ config: { kube: kubeCfg(), sites } }));
    assert.deepEqual(got.map((s) => [s.site, s.context, s.found, s.role, s.declaredActive, s.replicas]), [['eu', 'a', true, 'active', true, 2], ['us', 'b', true, 'passive', false, 2]]);
  });

  it('clusterConfigs reads the main context once when it is one of the sites, reference first', async () => {
    const cc = await clusterConfigsCollector.collect(testEnv({ config: { kube: kubeCfg(), sites } }));
    assert.deepEqual(cc.sites.map((s) => s.site), ['eu', 'us']);
    assert.deepEqual((cc.sites[0]?.cr.spec as { mattermostEnv: unknown }).mattermostEnv, [{ name: 'MM_X', value: '1' }]);
    const solo = await clusterConfigsCollector.collect(testEnv({ config: { kube: kubeCfg('b') } }));
    assert.deepEqual(solo.sites.map((s) => [s.site, s.context]), [['main', 'b']]);
  });

  it('a site whose context is missing fails the collector, naming the site', async () => {
    const env = testEnv({ config: { kube: kubeCfg(), sites: [...sites, { name: 'ap', context: 'nowhere' }] } });
    await assert.rejects(siteInstallationsCollector.collect(env), (e: Error) => e instanceof CollectFailure && /site ap \(context nowhere\)/.test(e.message) && e.code === 'CONFIG');
  });

  it('volumeSnapshots lists snapshot.storage.k8s.io/v1, or says the API is not there', async () => {
    const base = { backups: { snapshots: { volumes: ['db-data'] } } };
    const got = await volumeSnapshotsCollector.collect(testEnv({ config: { ...base, kube: kubeCfg('a') } }));
    assert.equal(got?.apiAvailable, true);
    assert.deepEqual(got?.items.map((i) => [i.name, i.sourcePVC, i.readyToUse, i.takenAt, i.error ?? null]), [
      ['db-1', 'db-data', true, '2026-11-20T00:59:00Z', null],
      ['db-2', 'db-data', false, '2026-11-20T02:00:00Z', 'Failed to check and update snapshot content'],
    ]);
    const none = await volumeSnapshotsCollector.collect(testEnv({ config: { ...base, kube: kubeCfg('b') } }));
    assert.equal(none?.apiAvailable, false);
    assert.equal(await volumeSnapshotsCollector.collect(testEnv({ config: {} })), null);
  });

  it('replicationStatus without a DSN or query says so (the check then fails closed)', async () => {
    const r = await replicationStatusCollector.collect(testEnv({ config: { sites } }));
    assert.deepEqual(r, { siteCount: 2, maxLag: '30s', source: 'none', primaries: [] });
  });
});

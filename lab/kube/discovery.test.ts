import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeApi } from './server.js';
import { startKubeApi } from './server.js';
import { ObjectStore } from './store.js';
import { DISCOVERY_ACCEPT, call } from './test-support.js';

interface ResourceList { groupVersion: string; resources: { name: string; kind: string; namespaced: boolean; verbs: string[]; shortNames?: string[] }[] }
interface DiscoveryList { apiVersion: string; items: { metadata: { name: string }; versions: { version: string; resources: { resource: string; scope: string; responseKind: { group: string; version: string; kind: string }; shortNames?: string[]; subresources?: { subresource: string }[] }[] }[] }[] }

async function withApi(opts: Partial<Parameters<typeof startKubeApi>[0]>, fn: (api: KubeApi) => Promise<void>): Promise<void> {
  const api = await startKubeApi({ store: new ObjectStore(), ...opts });
  try {
    await fn(api);
  } finally {
    await api.close();
  }
}

describe('discovery', () => {
  let api: KubeApi;
  before(async () => {
    api = await startKubeApi({ store: new ObjectStore() });
  });
  after(() => api.close());

  it('/version reports 1.32 by default, as JSON', async () => {
    const r = await call(api, '/version');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual([r.json().major, r.json().minor, r.json().gitVersion], ['1', '32', 'v1.32.4']);
  });

  it('answers legacy APIVersions and APIGroupList to a plain JSON client', async () => {
    const apiDoc = await call(api, '/api', { headers: { accept: 'application/json, */*' } });
    assert.deepEqual(apiDoc.json().versions, ['v1']);
    assert.equal(apiDoc.json().kind, 'APIVersions');
    const apis = (await call(api, '/apis')).json<{ kind: string; groups: { name: string; preferredVersion: { groupVersion: string } }[] }>();
    assert.equal(apis.kind, 'APIGroupList');
    assert.deepEqual(apis.groups.map((g) => g.preferredVersion.groupVersion), [
      'apps/v1', 'batch/v1', 'networking.k8s.io/v1', 'installation.mattermost.com/v1beta1', 'mattermost.com/v1alpha1',
      'snapshot.storage.k8s.io/v1', 'metrics.k8s.io/v1beta1',
    ]);
  });

  it('lists core resources with pods/log and pods/proxy, and every advertised group answers its resource list', async () => {
    const core = (await call(api, '/api/v1')).json<ResourceList>();
    const byName = new Map(core.resources.map((r) => [r.name, r]));
    for (const n of ['nodes', 'pods', 'namespaces', 'services', 'configmaps', 'secrets', 'events', 'persistentvolumeclaims', 'serviceaccounts']) assert.ok(byName.has(n), n);
    assert.deepEqual(byName.get('pods/log'), { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
    assert.equal(byName.get('pods/proxy')?.kind, 'PodProxyOptions');
    assert.equal(byName.get('nodes')?.namespaced, false);
    const groups = (await call(api, '/apis')).json<{ groups: { preferredVersion: { groupVersion: string } }[] }>().groups;
    for (const g of groups) {
      const list = await call(api, `/apis/${g.preferredVersion.groupVersion}`);
      assert.equal(list.status, 200, g.preferredVersion.groupVersion);
      assert.equal(list.json<ResourceList>().groupVersion, g.preferredVersion.groupVersion);
    }
    const mm = (await call(api, '/apis/installation.mattermost.com/v1beta1')).json<ResourceList>().resources.find((r) => r.name === 'mattermosts');
    assert.deepEqual(mm?.shortNames, ['mm']);
    assert.equal((await call(api, '/apis/apps')).json().kind, 'APIGroup');
  });

  it('serves aggregated v2 with its exact media type when asked, v2beta1 when only that is offered', async () => {
    const v2 = await call(api, '/apis', { headers: { accept: DISCOVERY_ACCEPT } });
    assert.equal(v2.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    const list = v2.json<DiscoveryList>();
    assert.equal(list.apiVersion, 'apidiscovery.k8s.io/v2');
    const mm = list.items.find((i) => i.metadata.name === 'installation.mattermost.com')!.versions[0]!.resources[0]!;
    assert.deepEqual([mm.resource, mm.scope, mm.shortNames, mm.responseKind], ['mattermosts', 'Namespaced', ['mm'], { group: 'installation.mattermost.com', version: 'v1beta1', kind: 'Mattermost' }]);
    const beta = await call(api, '/api', { headers: { accept: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json' } });
    assert.equal(beta.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    const core = beta.json<DiscoveryList>().items;
    assert.deepEqual(core.map((i) => i.metadata.name), ['']);
    const pods = core[0]!.versions[0]!.resources.find((r) => r.resource === 'pods')!;
    assert.deepEqual(pods.subresources?.map((s) => s.subresource), ['log', 'proxy', 'status']);
    assert.equal(pods.responseKind.kind, 'Pod');
  });

  it('follows the real server version: 1.28 has no v2, 1.33 no v2beta1, 1.26 no aggregated discovery', async () => {
    const contentType = async (minor: string, accept: string): Promise<string | undefined> => {
      let out: string | undefined;
      await withApi({ serverVersion: { major: '1', minor, gitVersion: `v1.${minor}.0` } }, async (a) => {
        out = (await call(a, '/apis', { headers: { accept } })).headers['content-type'];
      });
      return out;
    };
    assert.equal(await contentType('28', DISCOVERY_ACCEPT), 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    assert.equal(await contentType('33', 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json'), 'application/json');
    assert.equal(await contentType('33', DISCOVERY_ACCEPT), 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(await contentType('26', DISCOVERY_ACCEPT), 'application/json');
  });

  it('aggregatedDiscovery: false answers legacy documents even to kubectl', async () => {
    await withApi({ aggregatedDiscovery: false }, async (a) => {
      const r = await call(a, '/apis', { headers: { accept: DISCOVERY_ACCEPT } });
      assert.equal(r.headers['content-type'], 'application/json');
      assert.equal(r.json().kind, 'APIGroupList');
    });
  });

  it('metricsServer: false drops metrics.k8s.io from discovery and its paths answer the plain 404', async () => {
    await withApi({ metricsServer: false }, async (a) => {
      const groups = (await call(a, '/apis')).json<{ groups: { name: string }[] }>().groups.map((g) => g.name);
      assert.ok(!groups.includes('metrics.k8s.io'));
      const agg = (await call(a, '/apis', { headers: { accept: DISCOVERY_ACCEPT } })).json<DiscoveryList>();
      assert.ok(!agg.items.some((i) => i.metadata.name === 'metrics.k8s.io'));
      const nodes = await call(a, '/apis/metrics.k8s.io/v1beta1/nodes');
      assert.equal(nodes.status, 404);
      assert.equal(nodes.text, '404 page not found\n');
    });
  });

  it('refuses an Accept it cannot produce with 406 NotAcceptable', async () => {
    const r = await call(api, '/apis', { headers: { accept: 'application/vnd.kubernetes.protobuf' } });
    assert.equal(r.status, 406);
    assert.equal(r.json().reason, 'NotAcceptable');
  });
});

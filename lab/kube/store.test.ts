import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifests } from './manifests.js';
import type { StoreChange } from './store.js';
import { ObjectStore } from './store.js';
import type { KubeObject } from './types.js';

const cm = (name: string, namespace = 'ns', data: Record<string, string> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });

describe('ObjectStore', () => {
  it('sets uid, creationTimestamp and a rising global resourceVersion', () => {
    const store = new ObjectStore();
    const a = store.put(cm('a'));
    const b = store.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b', namespace: 'ns' } });
    assert.match(a.metadata.uid!, /^[0-9a-f-]{36}$/);
    assert.match(a.metadata.creationTimestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(Number(b.metadata.resourceVersion), Number(a.metadata.resourceVersion) + 1);
    assert.equal(store.resourceVersion, b.metadata.resourceVersion);
  });

  it('keeps identity on replace and reports ADDED, MODIFIED, DELETED', () => {
    const store = new ObjectStore();
    const seen: StoreChange[] = [];
    const off = store.onChange((c) => seen.push(c));
    const first = store.put(cm('a', 'ns', { k: '1' }));
    const second = store.put(cm('a', 'ns', { k: '2' }));
    assert.equal(second.metadata.uid, first.metadata.uid);
    assert.equal(second.metadata.creationTimestamp, first.metadata.creationTimestamp);
    assert.equal(store.delete('v1', 'ConfigMap', 'ns', 'a'), true);
    assert.equal(store.delete('v1', 'ConfigMap', 'ns', 'a'), false);
    off();
    store.put(cm('b'));
    assert.deepEqual(seen.map((c) => c.type), ['ADDED', 'MODIFIED', 'DELETED']);
    assert.deepEqual(seen[1]!.previous?.data, { k: '1' });
    assert.ok(Number(seen[2]!.object.metadata.resourceVersion) > Number(second.metadata.resourceVersion));
  });

  it('converts Secret stringData to base64 data and defaults the type, as the API server does', () => {
    const store = new ObjectStore([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns' }, data: { a: 'eA==' }, stringData: { b: 'héllo' } }]);
    const s = store.get('v1', 'Secret', 'ns', 's')!;
    assert.deepEqual(s.data, { a: 'eA==', b: Buffer.from('héllo').toString('base64') });
    assert.equal(s.stringData, undefined);
    assert.equal(s.type, 'Opaque');
  });

  it('lists in etcd key order and hands out copies', () => {
    const store = new ObjectStore([cm('mm-2', 'a'), cm('mm-10', 'a'), cm('x', 'a-b'), cm('z', 'b')]);
    assert.deepEqual(store.list('v1', 'ConfigMap').map((o) => `${o.metadata.namespace}/${o.metadata.name}`), ['a-b/x', 'a/mm-10', 'a/mm-2', 'b/z']);
    assert.deepEqual(store.list('v1', 'ConfigMap', 'a').map((o) => o.metadata.name), ['mm-10', 'mm-2']);
    store.get('v1', 'ConfigMap', 'b', 'z')!.metadata.name = 'changed';
    assert.equal(store.get('v1', 'ConfigMap', 'b', 'z')!.metadata.name, 'z');
    assert.equal(store.get('v1', 'ConfigMap', 'b', 'nope'), undefined);
  });

  it('replays changes since a resourceVersion, and says when they are gone', () => {
    const store = new ObjectStore();
    const rv = Number(store.put(cm('a')).metadata.resourceVersion);
    store.put(cm('b'));
    store.delete('v1', 'ConfigMap', 'ns', 'a');
    assert.deepEqual(store.changesSince(rv)!.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED b', 'DELETED a']);
    assert.deepEqual(store.changesSince(Number(store.resourceVersion)), []);
    for (let i = 0; i < 1001; i++) store.put(cm(`bulk-${i}`));
    assert.equal(store.changesSince(rv), undefined);
  });

  it('refuses objects without apiVersion, kind or name', () => {
    const store = new ObjectStore();
    assert.throws(() => store.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: '' } }), /without metadata.name/);
    assert.throws(() => store.put({ apiVersion: '', kind: 'Pod', metadata: { name: 'x' } }), /apiVersion and kind/);
  });
});

describe('parseManifests', () => {
  it('reads multi-document YAML and expands List kinds', () => {
    const objs = parseManifests(`
apiVersion: v1
kind: Namespace
metadata: {name: a}
---
---
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Namespace, metadata: {name: b}}
- {apiVersion: v1, kind: Namespace, metadata: {name: c}}
`);
    assert.deepEqual(objs.map((o) => o.metadata.name), ['a', 'b', 'c']);
    assert.throws(() => parseManifests('kind: Pod\nmetadata: {name: x}\n', 'bad.yaml'), /bad.yaml: every object needs apiVersion/);
  });
});

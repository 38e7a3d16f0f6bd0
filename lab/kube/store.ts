/**
 * The lab's in-memory etcd: objects keyed by apiVersion/kind/namespace/name, one global
 * resourceVersion counter (as etcd's revision is global), and change events for watches.
 * Everything handed in or out is a deep copy, so a caller mutating an object cannot change
 * the store behind the server's back.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject, WatchEvent } from './types.js';

/** A change as listeners see it: the watch event, plus the object's state before a MODIFIED. */
export interface StoreChange extends WatchEvent {
  previous?: KubeObject;
}

export type ChangeListener = (change: StoreChange) => void;

/** How many past events a watch with a resourceVersion can replay before it gets 410 Expired. */
const HISTORY_LIMIT = 1000;

interface RecordedEvent extends WatchEvent {
  rv: number;
}

export class ObjectStore {
  private readonly objects = new Map<string, KubeObject>();
  private readonly listeners = new Set<ChangeListener>();
  private readonly history: RecordedEvent[] = [];
  private revision = 0;
  /** view()'s sorted arrays per apiVersion/kind, dropped when an object of that kind changes. */
  private readonly sorted = new Map<string, KubeObject[]>();

  constructor(objects: KubeObject[] = []) {
    for (const o of objects) this.put(o);
  }

  /** The latest resourceVersion handed out, as the API server reports it (a decimal string). */
  get resourceVersion(): string {
    return String(this.revision);
  }

  /** Create or replace. Returns the stored copy, with uid, creationTimestamp and resourceVersion set. */
  put(input: KubeObject): KubeObject {
    assertObject(input);
    const obj = structuredClone(input);
    const key = keyOf(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
    const existing = this.objects.get(key);
    // An update keeps the identity of the object it replaces, as the API server does.
    obj.metadata.uid ??= existing?.metadata.uid ?? randomUUID();
    obj.metadata.creationTimestamp ??= existing?.metadata.creationTimestamp ?? rfc3339(new Date());
    if (obj.apiVersion === 'v1' && obj.kind === 'Secret') normaliseSecret(obj);
    obj.metadata.resourceVersion = String(++this.revision);
    this.objects.set(key, obj);
    this.sorted.delete(`${obj.apiVersion}\u0000${obj.kind}`);
    this.emit({ type: existing ? 'MODIFIED' : 'ADDED', object: obj, ...(existing ? { previous: existing } : {}) });
    return structuredClone(obj);
  }

  /**
   * Adds objects that were there before anyone watched (a big generated world): no copy, no
   * change event, no history, so 60,000 pods load in seconds. The caller hands them over.
   */
  preload(objects: Iterable<KubeObject>): void {
    for (const obj of objects) {
      assertObject(obj);
      obj.metadata.uid ??= randomUUID();
      obj.metadata.creationTimestamp ??= rfc3339(new Date());
      obj.metadata.resourceVersion = String(++this.revision);
      this.objects.set(keyOf(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name), obj);
      this.sorted.delete(`${obj.apiVersion}\u0000${obj.kind}`);
    }
  }

  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const obj = this.objects.get(keyOf(apiVersion, kind, namespace, name));
    return obj && structuredClone(obj);
  }

  /** Every object, of every kind (the real lab seeds them into a real API server). */
  all(): KubeObject[] {
    return [...this.objects.values()].map((o) => structuredClone(o));
  }

  /** Objects of one kind, in etcd key order; all namespaces when none is given. */
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[] {
    return this.view(apiVersion, kind, namespace).map((o) => structuredClone(o));
  }

  /**
   * The stored objects themselves (not copies), in etcd key order: for the list route, which
   * copies only the page it returns. A cluster of 60,000 pods is listed in 120 pages; copying and
   * sorting every pod for each page would make the lab, not the client, the thing measured.
   * The array is cached until an object of that kind changes; callers must not mutate it.
   */
  view(apiVersion: string, kind: string, namespace?: string): readonly KubeObject[] {
    const kindKey = `${apiVersion}\u0000${kind}`;
    let sorted = this.sorted.get(kindKey);
    if (!sorted) {
      sorted = [...this.objects.values()].filter((o) => o.apiVersion === apiVersion && o.kind === kind).sort(byEtcdKey);
      this.sorted.set(kindKey, sorted);
    }
    return namespace === undefined ? sorted : sorted.filter((o) => o.metadata.namespace === namespace);
  }

  delete(apiVersion: string, kind: string, namespace: string | undefined, name: string): boolean {
    const key = keyOf(apiVersion, kind, namespace, name);
    const obj = this.objects.get(key);
    if (!obj) return false;
    this.objects.delete(key);
    this.sorted.delete(`${obj.apiVersion}\u0000${obj.kind}`);
    // A delete is a change too: the final state carries a new resourceVersion.
    obj.metadata.resourceVersion = String(++this.revision);
    this.emit({ type: 'DELETED', object: obj });
    return true;
  }

  /** Subscribe to changes; returns the unsubscribe function. */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The events after resourceVersion `rv`, oldest first, or undefined when they are no longer
   * kept (the caller then answers 410 Expired, as a compacted etcd makes the API server do).
   */
  changesSince(rv: number): WatchEvent[] | undefined {
    if (rv >= this.revision) return [];
    const first = this.history[0];
    if (!first || first.rv > rv + 1) return undefined;
    return this.history.filter((e) => e.rv > rv).map((e) => ({ type: e.type, object: structuredClone(e.object) }));
  }

  /** The oldest resourceVersion a watch can still start from. */
  get oldestResourceVersion(): number {
    return (this.history[0]?.rv ?? this.revision + 1) - 1;
  }

  private emit(change: StoreChange): void {
    this.history.push({ type: change.type, object: structuredClone(change.object), rv: this.revision });
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    for (const l of this.listeners) l(structuredClone(change));
  }
}

function keyOf(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return `${apiVersion}\u0000${kind}\u0000${namespace ?? ''}\u0000${name}`;
}

/**
 * etcd returns a range in byte order of `/registry/<resource>/<namespace>/<name>`: not by locale,
 * so `mm-10` sorts before `mm-2`, and namespace `a-b` before `a`.
 */
function byEtcdKey(a: KubeObject, b: KubeObject): number {
  const ka = etcdKey(a);
  const kb = etcdKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export function etcdKey(o: KubeObject): string {
  return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
}

function assertObject(obj: KubeObject): void {
  if (!obj || typeof obj !== 'object') throw new TypeError('ObjectStore.put: not an object');
  if (!obj.apiVersion || !obj.kind) throw new TypeError('ObjectStore.put: apiVersion and kind are required');
  if (!obj.metadata?.name) throw new TypeError(`ObjectStore.put: ${obj.kind} without metadata.name`);
}

/** The API server merges stringData into data (base64) and defaults the type, so readers never see stringData. */
function normaliseSecret(secret: KubeObject): void {
  const stringData = secret.stringData as Record<string, string> | undefined;
  if (stringData) {
    const data = { ...((secret.data as Record<string, string> | undefined) ?? {}) };
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
    secret.data = data;
    delete secret.stringData;
  }
  secret.type ??= 'Opaque';
}

/** RFC 3339 with second precision and `Z`, as metav1.Time serialises. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

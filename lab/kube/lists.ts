/**
 * List semantics of the API server: selectors, key order, `limit` chunks with an opaque
 * `continue` token, `remainingItemCount` (only for unfiltered lists, as etcd3's store does),
 * and the list envelope whose built-in items carry no kind/apiVersion.
 */
import type { ResourceType } from './resources.js';
import { apiVersionOf } from './resources.js';
import { checkFieldLabels, fieldValue, matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import type { ObjectStore } from './store.js';
import { etcdKey } from './store.js';
import type { ListMeta } from './tables.js';
import type { KubeObject } from './types.js';

export interface ListResult {
  items: KubeObject[];
  meta: ListMeta;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}


/** Same shape as the real token (base64url JSON of version, resourceVersion and start key), so clients treat it as opaque. */
function encodeContinue(rv: number, lastKey: string): string {
  const token: ContinueToken = { v: 'meta.k8s.io/v1', rv, start: `${lastKey}\u0000` };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(raw: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as ContinueToken;
    if (t.v !== 'meta.k8s.io/v1' || typeof t.rv !== 'number' || typeof t.start !== 'string') throw new Error('bad shape');
    return t;
  } catch {
    throw new SelectorError('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

/** Lists one resource. Throws SelectorError (→ 400) for bad selectors, limits or continue tokens. */
export function listObjects(store: ObjectStore, resource: ResourceType, namespace: string | undefined, query: URLSearchParams): ListResult {
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  checkFieldLabels(fields, resource);
  const limitRaw = query.get('limit');
  const limit = limitRaw ? Number(limitRaw) : 0;
  if (!Number.isInteger(limit) || limit < 0) throw new SelectorError(`invalid limit: ${limitRaw}`);
  const cont = query.get('continue') ? decodeContinue(query.get('continue')!) : undefined;

  // The stored objects, narrowed by an equality on an indexed field (spec.nodeName: kubectl
  // describe nodes asks once per node) when there is one. A page starts by binary search at the
  // continue key and stops once it is full: 120 pages of 60,000 pods cost 60,000 visits, not 7.2M.
  const all = store.view(apiVersionOf(resource), resource.kind, namespace);
  const indexed = fields.find((f) => !f.negated && INDEXED_FIELDS.has(f.field));
  const candidates = indexed ? byField(all, indexed.field).get(indexed.value) ?? [] : all;
  const matches = (o: KubeObject) => matchesLabels(o.metadata.labels, labels) && matchesFields(o, fields);
  const start = cont ? firstAfter(candidates, cont.start) : 0;
  const items: KubeObject[] = [];
  let i = start;
  for (; i < candidates.length && (limit === 0 || items.length < limit); i++) if (matches(candidates[i]!)) items.push(candidates[i]!);
  let more = false;
  for (let j = i; j < candidates.length && !more; j++) more = matches(candidates[j]!);

  const rv = cont?.rv ?? Number(store.resourceVersion);
  const meta: ListMeta = { resourceVersion: String(rv) };
  if (limit > 0 && more) {
    meta.continue = encodeContinue(rv, etcdKey(items.at(-1)!));
    if (labels.length === 0 && fields.length === 0 && !indexed) meta.remainingItemCount = candidates.length - i;
  }
  return { items: items.map((o) => structuredClone(o)), meta };
}

/** The index of the first object whose etcd key sorts after a continue token's start key. */
function firstAfter(sorted: readonly KubeObject[], startKey: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (`${etcdKey(sorted[mid]!)}\u0000` > startKey) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/** Fields the API server indexes for pods (pkg/registry/core/pod: spec.nodeName is a trigger index). */
const INDEXED_FIELDS: ReadonlySet<string> = new Set(['spec.nodeName']);
const fieldIndexes = new WeakMap<readonly KubeObject[], Map<string, Map<string, KubeObject[]>>>();

/** Objects grouped by a field's value, cached for as long as the store's view array lives. */
function byField(all: readonly KubeObject[], field: string): Map<string, KubeObject[]> {
  let perField = fieldIndexes.get(all);
  if (!perField) fieldIndexes.set(all, (perField = new Map()));
  let index = perField.get(field);
  if (!index) {
    index = new Map();
    for (const o of all) {
      const v = fieldValue(o, field);
      const list = index.get(v);
      if (list) list.push(o); else index.set(v, [o]);
    }
    perField.set(field, index);
  }
  return index;
}

/** The JSON list body: `PodList` with items stripped of kind/apiVersion, CR lists keeping them. */
export function listBody(resource: ResourceType, result: ListResult): Record<string, unknown> {
  const items = resource.custom
    ? result.items
    : result.items.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest);
  return { kind: `${resource.kind}List`, apiVersion: apiVersionOf(resource), metadata: result.meta, items };
}

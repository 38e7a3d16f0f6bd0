/**
 * `?watch=true`: a chunked stream of newline-delimited `{"type","object"}` events, fed by the
 * store's changes. Without a resourceVersion (or with "0") it opens with ADDED for what exists;
 * with one it replays the changes since, or sends 410 Expired as an ERROR event when they are gone.
 */
import type { ServerResponse } from 'node:http';
import type { FieldRequirement, LabelRequirement } from './selectors.js';
import { matchesFields, matchesLabels } from './selectors.js';
import { status } from './status.js';
import type { ObjectStore, StoreChange } from './store.js';
import type { KubeObject, WatchEvent } from './types.js';

export interface WatchSpec {
  store: ObjectStore;
  apiVersion: string;
  kind: string;
  namespace?: string;
  /** The name of a single-object watch (`fieldSelector=metadata.name=x` is the usual form). */
  name?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  resourceVersion?: string;
  timeoutSeconds?: number;
  /** Turns an object into what the event carries: the object itself, or a one-row Table. */
  render: (obj: KubeObject, first: boolean) => unknown;
}

/** Starts streaming on `res`; returns the function that ends the stream (idempotent). */
export function serveWatch(res: ServerResponse, spec: WatchSpec): () => void {
  const matches = (o: KubeObject): boolean =>
    o.apiVersion === spec.apiVersion && o.kind === spec.kind &&
    (spec.namespace === undefined || o.metadata.namespace === spec.namespace) &&
    (spec.name === undefined || o.metadata.name === spec.name) &&
    matchesLabels(o.metadata.labels, spec.labels) && matchesFields(o, spec.fields);

  let first = true;
  let ended = false;
  const send = (type: string, object: unknown): void => {
    if (!ended) res.write(`${JSON.stringify({ type, object })}\n`);
  };
  const sendEvent = (e: WatchEvent): void => {
    send(e.type, spec.render(e.object, first));
    first = false;
  };

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  let unsubscribe = (): void => {};
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
    if (timer) clearTimeout(timer);
    res.end();
  };
  res.on('close', stop);

  const rv = spec.resourceVersion;
  if (!rv || rv === '0') {
    for (const o of spec.store.list(spec.apiVersion, spec.kind, spec.namespace).filter(matches)) sendEvent({ type: 'ADDED', object: o });
  } else {
    const since = spec.store.changesSince(Number(rv));
    if (!since) {
      const oldest = spec.store.oldestResourceVersion;
      send('ERROR', status(410, 'Expired', `too old resource version: ${rv} (${oldest})`));
      stop();
      return stop;
    }
    for (const e of since) if (matches(e.object)) sendEvent(e);
  }

  unsubscribe = spec.store.onChange((change: StoreChange) => {
    const now = matches(change.object);
    if (change.type !== 'MODIFIED') {
      if (now) sendEvent(change);
      return;
    }
    // A modification can move an object into or out of the selection: the watch cache reports that as ADDED or DELETED.
    const before = change.previous ? matches(change.previous) : now;
    if (now) sendEvent({ type: before ? 'MODIFIED' : 'ADDED', object: change.object });
    else if (before) sendEvent({ type: 'DELETED', object: change.object });
  });
  if (spec.timeoutSeconds && spec.timeoutSeconds > 0) timer = setTimeout(stop, spec.timeoutSeconds * 1000);
  return stop;
}

/**
 * Shapes shared by the simulated Kubernetes API server (lab/kube). They live here, not in
 * server.ts, so the store, printers and handlers can use them without importing the server.
 */

/** Any Kubernetes object as it travels on the wire (JSON). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    creationTimestamp?: string;
    resourceVersion?: string;
    uid?: string;
    generation?: number;
    ownerReferences?: unknown[];
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change in the store, as a watch stream sends it. */
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

/** A request to `/api/v1/namespaces/{ns}/pods/{name}[:{port}]/proxy/{path}`, after the API server checks. */
export interface PodProxyRequest {
  namespace: string;
  pod: string;
  port: number;
  method: string;
  /** Everything after `/proxy`, with the query string (`/api/v4/system/ping?x=1`); `/` at least. */
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface PodProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The query of a pod log request, decoded. */
export interface PodLogQuery {
  namespace: string;
  pod: string;
  container?: string;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  previous?: boolean;
  timestamps?: boolean;
}

/**
 * A fault to inject. `path` is a regex source tested against pathname+search. Flags combine:
 * `delayMs` waits first, then `reset`, `status`, `malformed` or `goneOnContinue` decide the answer
 * (without one of those the request is then served normally).
 */
export interface FaultRule {
  method?: string;
  path: string;
  status?: number;
  delayMs?: number;
  /** Destroy the socket without an answer. */
  reset?: boolean;
  /** Answer 200 with the real body cut in half (invalid JSON). */
  malformed?: boolean;
  /** Answer 200 with a body that is not JSON at all (an HTML page, as a login proxy in the way sends). */
  garbage?: boolean;
  /** With `status` (429, 503): the Retry-After header, in seconds. */
  retryAfter?: number;
  /** Answer 410 Gone (reason Expired) when the request carries `?continue=`; other requests pass. */
  goneOnContinue?: boolean;
  /** Apply N times, then stop. Default: forever. */
  times?: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  /** The raw query string without `?`, '' when none. */
  query: string;
  accept?: string;
  userAgent?: string;
  authenticated: boolean;
  status: number;
  durationMs: number;
  /** performance.now() when the request arrived (the benchmark orders requests by it). */
  startedAt: number;
}

/**
 * URL paths to API request descriptions, following k8s.io/apiserver RequestInfoFactory:
 * `/apis/{group}/{version}/namespaces/{ns}/{resource}/{name}/{subresource}/{rest…}`.
 */

export type ApiPath =
  | { type: 'version' }
  | { type: 'api' }
  | { type: 'apis' }
  | { type: 'group'; group: string }
  | { type: 'groupVersion'; group: string; version: string }
  | ResourcePath;

export interface ResourcePath {
  type: 'resource';
  group: string;
  version: string;
  /** The plural resource name (`pods`). */
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The raw path after the subresource, for proxy: `/api/v4/system/ping`, '' when none. */
  rest: string;
}

/** Namespace subresources are addressed as `namespaces/{name}/{sub}`, not as a namespaced resource. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Parses a pathname (no query); undefined for paths outside the API (`/healthz`, `/foo`). */
export function parseApiPath(pathname: string): ApiPath | undefined {
  if (pathname === '/version' || pathname === '/version/') return { type: 'version' };
  const parts = pathname.split('/').slice(1);
  if (parts.at(-1) === '' && !parts.includes('proxy')) parts.pop(); // a trailing slash means nothing outside proxy paths
  let group: string;
  let version: string | undefined;
  let at: number;
  if (parts[0] === 'api') {
    if (parts.length === 1) return { type: 'api' };
    group = '';
    version = parts[1];
    at = 2;
  } else if (parts[0] === 'apis') {
    if (parts.length === 1) return { type: 'apis' };
    group = parts[1]!;
    if (parts.length === 2) return { type: 'group', group };
    version = parts[2];
    at = 3;
  } else {
    return undefined;
  }
  if (!version) return undefined;
  let rest = parts.slice(at);
  if (rest.length === 0) return { type: 'groupVersion', group, version };
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2]!)) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource, ...tail] = rest;
  if (!resource) return undefined;
  return {
    type: 'resource',
    group,
    version,
    resource,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name: decodeURIComponent(name) } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
    rest: tail.length ? `/${tail.join('/')}` : '',
  };
}

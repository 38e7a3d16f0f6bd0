/**
 * Discovery documents: the legacy per-group-version APIResourceLists and the aggregated
 * APIGroupDiscoveryList (KEP-3352). kubectl trusts these to map `mm` to mattermosts, so they
 * are generated from the same static table the server routes with.
 */
import type { GroupVersion, ResourceType } from './resources.js';
import { apiVersionOf, groupVersions, resourcesOf } from './resources.js';

/**
 * Which aggregated discovery versions a real API server of this minor version serves:
 * v2beta1 from 1.27 (beta, on by default) until its removal in 1.33; v2 from 1.30 (GA).
 */
export function servedAggregatedVersions(minor: number): string[] {
  const out: string[] = [];
  if (minor >= 30) out.push('v2');
  if (minor >= 27 && minor <= 32) out.push('v2beta1');
  return out;
}

export function apiVersions(serverAddress: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function apiGroup(group: string, versions: GroupVersion[]): Record<string, unknown> {
  const list = versions.map((gv) => ({ groupVersion: apiVersionOf(gv), version: gv.version }));
  return { name: group, versions: list, preferredVersion: list[0] };
}

function groupsOf(includeMetrics: boolean): Map<string, GroupVersion[]> {
  const groups = new Map<string, GroupVersion[]>();
  for (const gv of groupVersions(includeMetrics)) {
    if (gv.group === '') continue;
    groups.set(gv.group, [...(groups.get(gv.group) ?? []), gv]);
  }
  return groups;
}

export function apiGroupList(includeMetrics: boolean): Record<string, unknown> {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groupsOf(includeMetrics)].map(([g, vs]) => apiGroup(g, vs)) };
}

/** `/apis/{group}`, or undefined for a group the server does not serve. */
export function apiGroupDocument(group: string, includeMetrics: boolean): Record<string, unknown> | undefined {
  const versions = groupsOf(includeMetrics).get(group);
  return versions && { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) };
}

/** `/api/v1` or `/apis/{g}/{v}`: resources, then their subresources as `pods/log` entries. */
export function apiResourceList(gv: GroupVersion): Record<string, unknown> {
  const resources: Record<string, unknown>[] = [];
  for (const r of resourcesOf(gv)) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
    });
    for (const s of r.subresources ?? []) {
      resources.push({ name: `${r.plural}/${s.name}`, singularName: '', namespaced: r.namespaced, kind: s.kind, verbs: s.verbs });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: apiVersionOf(gv), resources };
}

/**
 * Built-in and aggregated-API resources leave responseKind's group/version empty (same as the
 * group version); the CRD discovery controller fills them in. Mirrored so clients see both forms.
 */
function responseKind(r: ResourceType, kind: string): Record<string, string> {
  return r.custom ? { group: r.group, version: r.version, kind } : { group: '', version: '', kind };
}

function discoveryResource(r: ResourceType): Record<string, unknown> {
  return {
    resource: r.plural,
    responseKind: responseKind(r, r.kind),
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
    ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    ...(r.categories ? { categories: r.categories } : {}),
    ...(r.subresources?.length
      ? { subresources: r.subresources.map((s) => ({ subresource: s.name, responseKind: responseKind(r, s.kind), verbs: s.verbs })) }
      : {}),
  };
}

/** `/api` (core only) or `/apis` (every other group) as an APIGroupDiscoveryList. */
export function aggregatedDiscovery(which: 'api' | 'apis', version: string, includeMetrics: boolean): Record<string, unknown> {
  const byGroup = new Map<string, GroupVersion[]>();
  for (const gv of groupVersions(includeMetrics)) {
    if ((gv.group === '') !== (which === 'api')) continue;
    byGroup.set(gv.group, [...(byGroup.get(gv.group) ?? []), gv]);
  }
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: [...byGroup].map(([group, gvs]) => ({
      metadata: { name: group, creationTimestamp: null },
      versions: gvs.map((gv) => ({ version: gv.version, resources: resourcesOf(gv).map(discoveryResource), freshness: 'Current' })),
    })),
  };
}

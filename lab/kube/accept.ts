/**
 * Accept-header negotiation as the API server does it: the client lists media types in order of
 * preference (kubectl: aggregated discovery v2, then v2beta1, then plain JSON) and the server
 * answers with the first one it can produce. The `as`/`g`/`v` parameters select Tables and
 * aggregated discovery.
 */

export interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(header: string | undefined): MediaRange[] {
  if (!header || header.trim() === '') return [{ type: '*/*', params: {} }];
  return header.split(',').map((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    return {
      type: (type ?? '').toLowerCase(),
      params: Object.fromEntries(params.map((p) => {
        const eq = p.indexOf('=');
        return eq < 0 ? [p, ''] : [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
      })),
    };
  });
}

/** A plain JSON answer is acceptable for this range (`application/json`, `application/*`, `*\/*`, no `as=`). */
export function acceptsPlainJson(r: MediaRange): boolean {
  return ['application/json', 'application/*', '*/*'].includes(r.type) && !r.params.as;
}

export type ResourceRendering = { as: 'json' } | { as: 'table'; version: string };

/** What to render a resource request as, or undefined when nothing the client accepts can be produced (406). */
export function negotiateResource(accept: string | undefined): ResourceRendering | undefined {
  for (const r of parseAccept(accept)) {
    if (r.type === 'application/json' && r.params.as === 'Table' && r.params.g === 'meta.k8s.io' && (r.params.v === 'v1' || r.params.v === 'v1beta1')) {
      return { as: 'table', version: r.params.v };
    }
    if (acceptsPlainJson(r)) return { as: 'json' };
  }
  return undefined;
}

export type DiscoveryRendering = { as: 'legacy' } | { as: 'aggregated'; version: string };

/** Aggregated discovery when the client asks for a version the server serves, else the legacy documents. */
export function negotiateDiscovery(accept: string | undefined, servedAggregated: string[]): DiscoveryRendering | undefined {
  for (const r of parseAccept(accept)) {
    if (r.type === 'application/json' && r.params.as === 'APIGroupDiscoveryList' && r.params.g === 'apidiscovery.k8s.io') {
      if (r.params.v && servedAggregated.includes(r.params.v)) return { as: 'aggregated', version: r.params.v };
      continue;
    }
    if (acceptsPlainJson(r)) return { as: 'legacy' };
  }
  return undefined;
}

export const tableContentType = (version: string): string => `application/json;as=Table;v=${version};g=meta.k8s.io`;
export const discoveryContentType = (version: string): string => `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;

/**
 * What the simulated API server answers for a request that passed authentication and faults:
 * discovery, gets, lists (JSON or Table), watches, pod logs and the pod proxy. Clients are
 * read-only: every write verb on a resource gets 405, since mmgate never mutates a cluster.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DiscoveryRendering } from './accept.js';
import { discoveryContentType, negotiateDiscovery, negotiateResource, tableContentType } from './accept.js';
import { aggregatedDiscovery, apiGroupDocument, apiGroupList, apiResourceList, apiVersions, servedAggregatedVersions } from './discovery.js';
import { listBody, listObjects } from './lists.js';
import type { PodLogsSource } from './pod-logs.js';
import { podLogReply } from './pod-logs.js';
import type { PodProxy } from './pod-proxy.js';
import { podProxyReply } from './pod-proxy.js';
import type { Reply } from './reply.js';
import { jsonReply, pageNotFound, statusReply } from './reply.js';
import type { ResourcePath } from './request-path.js';
import { parseApiPath } from './request-path.js';
import type { ResourceType } from './resources.js';
import { apiVersionOf, findResource, groupVersions } from './resources.js';
import { checkFieldLabels, parseFieldSelector, parseLabelSelector, SelectorError } from './selectors.js';
import { badRequest, methodNotAllowed, notAcceptable, notFound, unknownPath } from './status.js';
import type { ObjectStore } from './store.js';
import { buildTable } from './tables.js';
import { serveWatch } from './watch.js';

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

export interface RouteContext {
  store: ObjectStore;
  version: ServerVersion;
  aggregatedDiscovery: boolean;
  metricsServer: boolean;
  now: () => Date;
  podLogs?: PodLogsSource;
  podProxy?: PodProxy;
  /** `host:port` the server listens on, for /api's serverAddressByClientCIDRs. */
  serverAddress: string;
}

export interface RequestFacts {
  req: IncomingMessage;
  url: URL;
  body: Buffer;
}

/** A streaming answer (watch): it writes to the response itself and returns how to stop it. */
export type Streamer = (res: ServerResponse) => () => void;

const READ_METHODS = new Set(['GET', 'HEAD']);

export async function route(ctx: RouteContext, facts: RequestFacts): Promise<Reply | Streamer> {
  const { req, url } = facts;
  const method = req.method ?? 'GET';
  const path = parseApiPath(url.pathname);
  if (!path) {
    // The real server's health endpoints answer plain text.
    if (['/healthz', '/livez', '/readyz'].includes(url.pathname)) return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' };
    return pageNotFound();
  }
  if (path.type === 'resource') return resourceRoute(ctx, facts, path);
  if (!READ_METHODS.has(method)) return statusReply(methodNotAllowed());

  const includeMetrics = ctx.metricsServer;
  switch (path.type) {
    case 'version':
      return jsonReply(200, versionDocument(ctx.version));
    case 'api':
    case 'apis': {
      const served = ctx.aggregatedDiscovery ? servedAggregatedVersions(Number.parseInt(ctx.version.minor, 10)) : [];
      const rendering: DiscoveryRendering | undefined = negotiateDiscovery(req.headers.accept, served);
      if (!rendering) return statusReply(notAcceptable());
      if (rendering.as === 'aggregated') {
        return jsonReply(200, aggregatedDiscovery(path.type, rendering.version, includeMetrics), discoveryContentType(rendering.version));
      }
      return jsonReply(200, path.type === 'api' ? apiVersions(ctx.serverAddress) : apiGroupList(includeMetrics));
    }
    case 'group': {
      const doc = apiGroupDocument(path.group, includeMetrics);
      return doc ? jsonReply(200, doc) : pageNotFound();
    }
    case 'groupVersion': {
      const gv = groupVersions(includeMetrics).find((g) => g.group === path.group && g.version === path.version);
      return gv ? jsonReply(200, apiResourceList(gv)) : pageNotFound();
    }
  }
}

/** The /version document; the gcloud kubectl dispatcher picks its kubectl binary from `minor`. */
function versionDocument(v: ServerVersion): Record<string, string> {
  return {
    major: v.major, minor: v.minor, gitVersion: v.gitVersion,
    gitCommit: '0000000000000000000000000000000000000000', gitTreeState: 'clean', buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.6', compiler: 'gc', platform: 'linux/amd64',
  };
}

const isTrue = (v: string | null): boolean => v === 'true' || v === '1';

async function resourceRoute(ctx: RouteContext, facts: RequestFacts, path: ResourcePath): Promise<Reply | Streamer> {
  const { req, url } = facts;
  const method = req.method ?? 'GET';
  // An unserved group (or metrics.k8s.io with metrics-server off) falls through to the not-found handler: plain text.
  if (!groupVersions(ctx.metricsServer).some((g) => g.group === path.group && g.version === path.version)) return pageNotFound();
  const resource = findResource(path.group, path.version, path.resource);
  if (!resource) return statusReply(unknownPath());
  if (resource.namespaced ? path.namespace === undefined && path.name !== undefined : path.namespace !== undefined) {
    return statusReply(unknownPath());
  }

  if (path.subresource === 'proxy' && resource.kind === 'Pod' && resource.group === '') {
    return podProxyReply(ctx.store, ctx.podProxy, {
      namespace: path.namespace!, target: path.name!, method, path: path.rest + url.search, requestPath: url.pathname,
      host: req.headers.host ?? '', headers: req.headers, remoteAddress: req.socket.remoteAddress ?? '', body: facts.body,
    });
  }
  if (!READ_METHODS.has(method)) return statusReply(methodNotAllowed());
  if (path.subresource === 'log' && resource.kind === 'Pod' && resource.group === '') {
    return podLogReply(ctx.store, ctx.podLogs, path.namespace!, path.name!, url.searchParams, ctx.now());
  }
  if (path.subresource !== undefined && !(path.subresource === 'status' && resource.subresources?.some((s) => s.name === 'status'))) {
    return statusReply(unknownPath());
  }

  const rendering = negotiateResource(req.headers.accept);
  if (!rendering) return statusReply(notAcceptable());
  try {
    if (isTrue(url.searchParams.get('watch'))) return watchRoute(ctx, resource, path, url.searchParams, rendering.as === 'table' ? rendering.version : undefined);
    if (path.name !== undefined) {
      const obj = ctx.store.get(apiVersionOf(resource), resource.kind, path.namespace, path.name);
      if (!obj) return statusReply(notFound(resource.group, resource.plural, path.name));
      if (rendering.as === 'json') return jsonReply(200, obj);
      const table = buildTable(resource, [obj], { resourceVersion: obj.metadata.resourceVersion ?? '' }, ctx.now(), rendering.version);
      return jsonReply(200, table, tableContentType(rendering.version));
    }
    const result = listObjects(ctx.store, resource, path.namespace, url.searchParams);
    if (rendering.as === 'json') return jsonReply(200, listBody(resource, result));
    return jsonReply(200, buildTable(resource, result.items, result.meta, ctx.now(), rendering.version), tableContentType(rendering.version));
  } catch (err) {
    if (err instanceof SelectorError) return statusReply(badRequest(err.message));
    throw err;
  }
}

function watchRoute(ctx: RouteContext, resource: ResourceType, path: ResourcePath, query: URLSearchParams, tableVersion: string | undefined): Streamer {
  const labels = parseLabelSelector(query.get('labelSelector'));
  const fields = parseFieldSelector(query.get('fieldSelector'));
  checkFieldLabels(fields, resource);
  const timeout = Number(query.get('timeoutSeconds') ?? 0);
  return (res) =>
    serveWatch(res, {
      store: ctx.store, apiVersion: apiVersionOf(resource), kind: resource.kind, labels, fields,
      ...(path.namespace !== undefined ? { namespace: path.namespace } : {}),
      ...(path.name !== undefined ? { name: path.name } : {}),
      ...(query.get('resourceVersion') ? { resourceVersion: query.get('resourceVersion')! } : {}),
      ...(timeout > 0 ? { timeoutSeconds: timeout } : {}),
      // Table watches carry one-row Tables; like the real server, only the first event repeats the column headers.
      render: (obj, first) => {
        if (!tableVersion) return obj;
        const table = buildTable(resource, [obj], { resourceVersion: obj.metadata.resourceVersion ?? '' }, ctx.now(), tableVersion);
        if (!first) delete table.columnDefinitions;
        return table;
      },
    });
}

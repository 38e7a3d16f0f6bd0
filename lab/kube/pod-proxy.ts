/**
 * `…/pods/{name}[:{port}]/proxy/{path}`: the API server's checks (pkg/registry/core/pod
 * ResourceLocation), then the lab's podProxy callback standing in for the pod's socket.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from './reply.js';
import { statusReply } from './reply.js';
import { badRequest, notFound, serviceUnavailable } from './status.js';
import type { ObjectStore } from './store.js';
import type { KubeObject, PodProxyRequest, PodProxyResponse } from './types.js';

export type PodProxy = (req: PodProxyRequest) => Promise<PodProxyResponse>;

interface PodShape {
  spec?: { containers?: { ports?: { containerPort: number }[] }[] };
  status?: { phase?: string; podIP?: string; podIPs?: { ip: string }[] };
}

/** Headers that describe one hop, which Go's ReverseProxy never forwards. */
const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host', 'content-length'];

export interface ProxyCall {
  namespace: string;
  /** `name`, `name:port` or `scheme:name:port`, as utilnet.SplitSchemeNamePort reads it. */
  target: string;
  method: string;
  /** After `/proxy`, with the query. */
  path: string;
  /** The whole request path, for X-Forwarded-Uri. */
  requestPath: string;
  host: string;
  headers: IncomingHttpHeaders;
  remoteAddress: string;
  body: Buffer;
}

function splitTarget(target: string): { name: string; port?: string } | undefined {
  const parts = target.split(':');
  if (parts.length === 1) return { name: parts[0]! };
  if (parts.length === 2) return { name: parts[0]!, port: parts[1]! };
  if (parts.length === 3 && (parts[0] === 'http' || parts[0] === 'https')) return { name: parts[1]!, port: parts[2]! };
  return undefined;
}

/**
 * The request headers the pod sees. The Authorization header is gone: after authenticating the
 * caller, k8s.io/apiserver's filters/authentication.go deletes it ("authorization header is not
 * required anymore in case of a successful authentication"), so a cluster credential never
 * reaches a workload through the proxy. The lab must not leak what the real server strips.
 */
function forwardedHeaders(call: ProxyCall): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(call.headers)) {
    if (v === undefined || k === 'authorization' || HOP_BY_HOP.includes(k)) continue;
    out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  out['x-forwarded-for'] = out['x-forwarded-for'] ? `${out['x-forwarded-for']}, ${call.remoteAddress}` : call.remoteAddress;
  out['x-forwarded-uri'] = call.requestPath;
  out['x-forwarded-host'] = call.host;
  out['x-forwarded-proto'] = 'https';
  return out;
}

/** Go's http server sniffs a Content-Type when the handler sets none; the proxied answer gets one the same way. */
function sniffContentType(body: Buffer): string {
  const head = body.subarray(0, 512).toString('utf8').trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return 'text/html; charset=utf-8';
  return body.includes(0) ? 'application/octet-stream' : 'text/plain; charset=utf-8';
}

export async function podProxyReply(store: ObjectStore, proxy: PodProxy | undefined, call: ProxyCall): Promise<Reply> {
  const target = splitTarget(call.target);
  if (!target) return statusReply(badRequest(`invalid pod request "${call.target}"`));
  const pod = store.get('v1', 'Pod', call.namespace, target.name) as (PodShape & KubeObject) | undefined;
  if (!pod) return statusReply(notFound('', 'pods', target.name));
  const firstPort = pod.spec?.containers?.flatMap((c) => c.ports ?? [])[0]?.containerPort;
  const port = Number(target.port ?? firstPort ?? 80);
  const ip = pod.status?.podIPs?.[0]?.ip || pod.status?.podIP;
  // ResourceLocation refuses a pod without a (global unicast) IP before dialling anything.
  if (!ip) return statusReply(badRequest('address not allowed'));
  // A pod that is not Running has nothing listening: the real proxy's dial fails like this.
  const refused = (): Reply =>
    statusReply(serviceUnavailable(`error trying to reach service: dial tcp ${ip}:${port}: connect: connection refused`));
  if (pod.status?.phase !== 'Running' || !proxy) return refused();
  let answer: PodProxyResponse;
  try {
    answer = await proxy({
      namespace: call.namespace, pod: target.name, port, method: call.method, path: call.path || '/',
      headers: forwardedHeaders(call), body: call.body,
    });
  } catch (err) {
    return statusReply(serviceUnavailable(`error trying to reach service: ${err instanceof Error ? err.message : String(err)}`));
  }
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([k]) => !HOP_BY_HOP.includes(k.toLowerCase())));
  const typeKey = Object.keys(headers).find((k) => k.toLowerCase() === 'content-type');
  const contentType = typeKey ? headers[typeKey]! : sniffContentType(answer.body);
  if (typeKey) delete headers[typeKey];
  return { status: answer.status, contentType, body: answer.body, headers };
}

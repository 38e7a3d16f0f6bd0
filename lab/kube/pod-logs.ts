/**
 * `GET …/pods/{name}/log`: the checks the API server (pkg/registry/core/pod LogLocation) and the
 * kubelet make before any log line flows, then text/plain from the lab's podLogs callback.
 */
import type { Reply } from './reply.js';
import { statusReply } from './reply.js';
import { badRequest, notFound } from './status.js';
import type { ObjectStore } from './store.js';
import type { KubeObject, PodLogQuery } from './types.js';

export type PodLogsSource = (q: PodLogQuery) => string | undefined;

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { waiting?: { reason?: string } };
  lastState?: { terminated?: object };
}
interface PodShape {
  spec?: { containers?: { name: string }[]; initContainers?: { name: string }[]; ephemeralContainers?: { name: string }[]; nodeName?: string };
  status?: { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[]; ephemeralContainerStatuses?: ContainerStatus[] };
}

/** strconv.ParseBool, as query parameters are decoded. */
const parseBool = (v: string | null): boolean | undefined => (v === null ? undefined : ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v));
const parseInt10 = (v: string | null): number | undefined => (v === null || v === '' ? undefined : Number.parseInt(v, 10));

/** validateContainer: every container kind counts, in VisitContainers order (init, regular, ephemeral). */
function resolveContainer(pod: PodShape & KubeObject, requested: string | null): string | Reply {
  const spec = pod.spec ?? {};
  const regular = spec.containers ?? [];
  const all = [...(spec.initContainers ?? []), ...regular, ...(spec.ephemeralContainers ?? [])].map((c) => c.name);
  if (!requested) {
    if (regular.length === 1) return regular[0]!.name;
    if (regular.length === 0) return statusReply(badRequest(`a container name must be specified for pod ${pod.metadata.name}`));
    return statusReply(badRequest(`a container name must be specified for pod ${pod.metadata.name}, choose one of: [${all.join(' ')}]`));
  }
  if (!all.includes(requested)) return statusReply(badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`));
  return requested;
}

/** The kubelet's refusals, which the API server passes on as 400 BadRequest. */
function kubeletRefusal(pod: PodShape & KubeObject, container: string, previous: boolean): Reply | undefined {
  const s = pod.status ?? {};
  const cs = [...(s.containerStatuses ?? []), ...(s.initContainerStatuses ?? []), ...(s.ephemeralContainerStatuses ?? [])].find((c) => c.name === container);
  const who = `container "${container}" in pod "${pod.metadata.name}"`;
  if (previous && !cs?.lastState?.terminated) return statusReply(badRequest(`previous terminated ${who} not found`));
  if (!pod.spec?.nodeName) return undefined; // not scheduled: the API server answers an empty log
  const neverRan = !cs || (cs.state?.waiting && !cs.lastState?.terminated && !cs.restartCount);
  if (!previous && neverRan) return statusReply(badRequest(`${who} is waiting to start: ${cs?.state?.waiting?.reason || 'ContainerCreating'}`));
  return undefined;
}

const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))\s/;

/**
 * Applied after podLogs, and harmless if podLogs already did it: sinceSeconds/sinceTime drop lines
 * whose leading RFC 3339 timestamp is older (lines without one are kept), then tailLines and limitBytes.
 */
function trimLog(text: string, q: PodLogQuery, limitBytes: number | undefined, now: Date): string {
  let lines = text.split('\n');
  const trailingNewline = lines.at(-1) === '';
  if (trailingNewline) lines.pop();
  const since = q.sinceTime ? Date.parse(q.sinceTime) : q.sinceSeconds !== undefined ? now.getTime() - q.sinceSeconds * 1000 : undefined;
  if (since !== undefined && !Number.isNaN(since)) {
    lines = lines.filter((l) => {
      const m = TIMESTAMP.exec(l);
      return !m || Date.parse(m[1]!) >= since;
    });
  }
  if (q.tailLines !== undefined && q.tailLines >= 0) lines = q.tailLines === 0 ? [] : lines.slice(-q.tailLines);
  let out = lines.join('\n') + (trailingNewline && lines.length ? '\n' : '');
  if (limitBytes !== undefined && limitBytes > 0) out = Buffer.from(out).subarray(0, limitBytes).toString('utf8');
  return out;
}

export function podLogReply(store: ObjectStore, source: PodLogsSource | undefined, namespace: string, name: string, query: URLSearchParams, now: Date): Reply {
  const pod = store.get('v1', 'Pod', namespace, name) as (PodShape & KubeObject) | undefined;
  if (!pod) return statusReply(notFound('', 'pods', name));
  const container = resolveContainer(pod, query.get('container'));
  if (typeof container !== 'string') return container;
  const q: PodLogQuery = { namespace, pod: name, container };
  const tailLines = parseInt10(query.get('tailLines'));
  const sinceSeconds = parseInt10(query.get('sinceSeconds'));
  const previous = parseBool(query.get('previous'));
  const timestamps = parseBool(query.get('timestamps'));
  if (tailLines !== undefined) q.tailLines = tailLines;
  if (sinceSeconds !== undefined) q.sinceSeconds = sinceSeconds;
  if (query.get('sinceTime')) q.sinceTime = query.get('sinceTime')!;
  if (previous !== undefined) q.previous = previous;
  if (timestamps !== undefined) q.timestamps = timestamps;
  const refusal = kubeletRefusal(pod, container, previous ?? false);
  if (refusal) return refusal;
  const text = source?.(q) ?? '';
  return { status: 200, contentType: 'text/plain', body: trimLog(text, q, parseInt10(query.get('limitBytes')), now) };
}

/**
 * ingress-nginx, simulated over the lab's Kubernetes objects: a request for a host goes to the
 * Ingress with that host, then to its backend Service, then to the ready pods the Service's
 * selector matches. An Ingress annotated `nginx.ingress.kubernetes.io/canary: "true"` with
 * `canary-by-cookie: NAME` takes the requests whose cookie NAME is `always` (ingress-nginx's
 * canary rules, which the operator's canary Ingress uses: operator https://github.com/mattermost/mattermost-operator/blob/v1.25.9/controllers/mattermost/clusterinstallation/canary.go). The store is
 * read at every request, so the operator's switch of the main Service is seen at once.
 */
import type { ObjectStore } from '../kube/store.js';
import type { KubeObject } from '../kube/types.js';

type Ingress = KubeObject & { metadata: { annotations?: Record<string, string> }; spec?: { rules?: { host?: string; http?: { paths?: { backend?: { service?: { name: string } } }[] } }[] } };
type Service = KubeObject & { spec?: { selector?: Record<string, string> } };

const CANARY = 'nginx.ingress.kubernetes.io/canary';
const BY_COOKIE = 'nginx.ingress.kubernetes.io/canary-by-cookie';

function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** Every Ingress host of the namespace. */
export function ingressHosts(store: ObjectStore, namespace: string): string[] {
  const hosts = (store.list('networking.k8s.io/v1', 'Ingress', namespace) as Ingress[]).flatMap((i) => (i.spec?.rules ?? []).map((r) => r.host ?? ''));
  return [...new Set(hosts.filter(Boolean))];
}

/**
 * The pod names a request for `host` may reach, or undefined when no Ingress has the host (the
 * lab then spreads over every ready pod, as the in-place scenarios always did).
 */
export function podsForHost(store: ObjectStore, namespace: string, host: string, cookieHeader: string | undefined): string[] | undefined {
  const ingresses = (store.list('networking.k8s.io/v1', 'Ingress', namespace) as Ingress[]).filter((i) => i.spec?.rules?.some((r) => r.host === host));
  if (ingresses.length === 0) return undefined;
  const canary = ingresses.find((i) => {
    const a = i.metadata.annotations ?? {};
    return a[CANARY] === 'true' && a[BY_COOKIE] !== undefined && cookieValue(cookieHeader, a[BY_COOKIE]) === 'always';
  });
  const chosen = canary ?? ingresses.find((i) => i.metadata.annotations?.[CANARY] !== 'true');
  const service = chosen?.spec?.rules?.find((r) => r.host === host)?.http?.paths?.[0]?.backend?.service?.name;
  const svc = service ? store.get('v1', 'Service', namespace, service) as Service | undefined : undefined;
  const selector = Object.entries(svc?.spec?.selector ?? {});
  if (selector.length === 0) return [];
  return store.list('v1', 'Pod', namespace).filter((p) => selector.every(([k, v]) => p.metadata.labels?.[k] === v)).map((p) => p.metadata.name);
}

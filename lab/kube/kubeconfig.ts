/**
 * A kubeconfig for a lab API server, for kubectl (`--kubeconfig`) and client-node (`loadFromString`).
 * With a CA it trusts the lab certificate; without one (http) it sets insecure-skip-tls-verify,
 * which client-node requires for http:// and which must never be combined with a CA.
 */
import { stringify } from 'yaml';

export interface LabKubeconfig {
  url: string;
  caPem?: string;
  token?: string;
  namespace?: string;
  /** Context, cluster and user name. Default `mmgate-lab`. */
  name?: string;
}

/** One lab API server, or several (sites): one context each; the first is the current context. */
export function kubeconfigYaml(c: LabKubeconfig | readonly LabKubeconfig[]): string {
  const all = Array.isArray(c) ? c : [c as LabKubeconfig];
  const named = all.map((x) => ({ ...x, name: x.name ?? 'mmgate-lab' }));
  const cluster = (x: LabKubeconfig): Record<string, unknown> => (x.caPem
    ? { server: x.url, 'certificate-authority-data': Buffer.from(x.caPem).toString('base64') }
    : { server: x.url, 'insecure-skip-tls-verify': true });
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: named.map((x) => ({ name: x.name, cluster: cluster(x) })),
    users: named.map((x) => ({ name: x.name, user: x.token ? { token: x.token } : {} })),
    contexts: named.map((x) => ({ name: x.name, context: { cluster: x.name, user: x.name, ...(x.namespace ? { namespace: x.namespace } : {}) } })),
    'current-context': named[0]?.name ?? 'mmgate-lab',
    preferences: {},
  });
}

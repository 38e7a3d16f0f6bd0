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

export function kubeconfigYaml(c: LabKubeconfig): string {
  const name = c.name ?? 'mmgate-lab';
  const cluster: Record<string, unknown> = { server: c.url };
  if (c.caPem) cluster['certificate-authority-data'] = Buffer.from(c.caPem).toString('base64');
  else cluster['insecure-skip-tls-verify'] = true;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster }],
    users: [{ name, user: c.token ? { token: c.token } : {} }],
    contexts: [{ name, context: { cluster: name, user: name, ...(c.namespace ? { namespace: c.namespace } : {}) } }],
    'current-context': name,
    preferences: {},
  });
}

/**
 * mmgate's identity on the real backend: the ServiceAccount mmgate-lab/mmgate, bound to exactly
 * the roles of docs/rbac.yaml (or a variant of them with one rule removed, for the RBAC test), and
 * a token for it from the TokenRequest API. Its audit-log username is MMGATE_USER.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { ApiError, type KubeApi } from './api.js';

export const MMGATE_NAMESPACE = 'mmgate-lab';
export const MMGATE_SA = 'mmgate';
export const MMGATE_USER = `system:serviceaccount:${MMGATE_NAMESPACE}:${MMGATE_SA}`;

export interface PolicyRule { apiGroups: string[]; resources: string[]; verbs: string[] }
export interface RbacRole { kind: 'ClusterRole' | 'Role'; name: string; namespace?: string; rules: PolicyRule[] }

function docsRbac(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'docs', 'rbac.yaml'))) return join(dir, 'docs', 'rbac.yaml');
    const parent = dirname(dir);
    if (parent === dir) throw new Error('real lab: docs/rbac.yaml not found above the lab');
    dir = parent;
  }
}

/** The roles of docs/rbac.yaml, as written. */
export function documentedRoles(): RbacRole[] {
  return parseAllDocuments(readFileSync(docsRbac(), 'utf8')).map((d) => d.toJS() as { kind: RbacRole['kind']; metadata: { name: string; namespace?: string }; rules: PolicyRule[] })
    .map((o) => ({ kind: o.kind, name: o.metadata.name, ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}), rules: o.rules }));
}

/** One line naming a rule: `Role mattermost/mmgate-read: [pods/proxy] get`. */
export function describeRule(role: RbacRole, rule: PolicyRule): string {
  const where = role.namespace ? `${role.namespace}/${role.name}` : role.name;
  const groups = rule.apiGroups.map((g) => g || 'core').join(',');
  return `${role.kind} ${where}: ${groups} [${rule.resources.join(', ')}] ${rule.verbs.join(',')}`;
}

const RBAC = '/apis/rbac.authorization.k8s.io/v1';
const path = (kind: string, name: string, namespace?: string) =>
  `${RBAC}${namespace ? `/namespaces/${namespace}` : ''}/${kind === 'ClusterRole' ? 'clusterroles' : kind === 'Role' ? 'roles' : kind === 'ClusterRoleBinding' ? 'clusterrolebindings' : 'rolebindings'}${name ? `/${name}` : ''}`;

async function replace(api: KubeApi, kind: string, name: string, namespace: string | undefined, body: Record<string, unknown>): Promise<void> {
  await api.delete(path(kind, name, namespace)).catch((e: unknown) => { if (!(e instanceof ApiError && e.status === 404)) throw e; });
  await api.post(path(kind, '', namespace), { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name, ...(namespace ? { namespace } : {}) }, ...body });
}

/**
 * Binds mmgate's ServiceAccount to `roles` (a Role whose namespace the scenario lacks is skipped:
 * it grants nothing there) and returns a fresh token for it.
 */
export async function grantMmgate(api: KubeApi, roles: readonly RbacRole[]): Promise<string> {
  await api.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: MMGATE_NAMESPACE } }).catch((e: unknown) => { if (!(e instanceof ApiError && e.status === 409)) throw e; });
  await api.post(`/api/v1/namespaces/${MMGATE_NAMESPACE}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: MMGATE_SA } }).catch((e: unknown) => { if (!(e instanceof ApiError && e.status === 409)) throw e; });
  const subjects = [{ kind: 'ServiceAccount', name: MMGATE_SA, namespace: MMGATE_NAMESPACE }];
  for (const role of roles) {
    if (role.namespace && !(await api.find(`/api/v1/namespaces/${role.namespace}`))) continue;
    await replace(api, role.kind, role.name, role.namespace, { rules: role.rules });
    const binding = role.kind === 'ClusterRole' ? 'ClusterRoleBinding' : 'RoleBinding';
    await replace(api, binding, role.name, role.namespace, { subjects, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: role.kind, name: role.name } });
  }
  const tr = await api.post<{ status: { token: string } }>(`/api/v1/namespaces/${MMGATE_NAMESPACE}/serviceaccounts/${MMGATE_SA}/token`, {
    apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 },
  });
  return tr.status.token;
}

/** Removes what grantMmgate bound (before the next scenario binds its own). */
export async function revokeMmgate(api: KubeApi, roles: readonly RbacRole[]): Promise<void> {
  for (const role of roles) {
    for (const kind of [role.kind, role.kind === 'ClusterRole' ? 'ClusterRoleBinding' : 'RoleBinding']) {
      await api.delete(path(kind, role.name, role.namespace)).catch(() => undefined);
    }
  }
}

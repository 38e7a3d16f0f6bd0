/**
 * Where the real control plane's binaries are: $MMGATE_CONTROLPLANE_BIN, or the folder
 * scripts/build-control-plane.sh builds into (.cache/controlplane/<version>/ of this checkout).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONTROL_PLANE_BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager'] as const;

/** The checkout's root: the folder above dist/ or the source tree that holds tools/controlplane. */
function repoRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'tools', 'controlplane', 'go.mod'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The Kubernetes version tools/controlplane/go.mod builds. */
export function controlPlaneVersion(root = repoRoot()): string | undefined {
  if (!root) return undefined;
  const mod = readFileSync(join(root, 'tools', 'controlplane', 'go.mod'), 'utf8');
  return /^\s*k8s\.io\/kubernetes\s+(v\S+)/m.exec(mod)?.[1];
}

/** The binaries' folder, or a sentence saying what is missing and how to get it. */
export function findControlPlane(): { dir: string } | { missing: string } {
  const root = repoRoot();
  const dir = process.env['MMGATE_CONTROLPLANE_BIN']
    ? resolve(process.env['MMGATE_CONTROLPLANE_BIN'])
    : root ? join(root, '.cache', 'controlplane', controlPlaneVersion(root) ?? 'unknown') : undefined;
  const absent = dir ? CONTROL_PLANE_BINARIES.filter((b) => !existsSync(join(dir, b))) : [...CONTROL_PLANE_BINARIES];
  if (dir && absent.length === 0) return { dir };
  return { missing: `the real control plane is not built (${absent.join(', ')} missing${dir ? ` in ${dir}` : ''}): run scripts/build-control-plane.sh (needs Go) or set MMGATE_CONTROLPLANE_BIN` };
}

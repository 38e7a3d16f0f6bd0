/**
 * CustomResourceDefinitions the real lab installs: the Mattermost operator's own CRDs (read from
 * ../shared/reference/mattermost-operator/crds/ beside the checkout, or $MMGATE_CRDS), so every
 * seeded Mattermost CR passes the real structural-schema validation; and a VolumeSnapshot CRD of
 * the lab's own (group snapshot.storage.k8s.io, schema left open), so backup scenarios can keep
 * their snapshots.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../kube/types.js';
import type { KubeApi } from './api.js';

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

function operatorCrdDir(): string {
  if (process.env['MMGATE_CRDS']) return process.env['MMGATE_CRDS'];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, '..', 'shared', 'reference', 'mattermost-operator', 'crds');
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('real lab: the Mattermost operator CRDs were not found (../shared/reference/mattermost-operator/crds beside the checkout): set MMGATE_CRDS to a folder holding them');
    dir = parent;
  }
}

const volumeSnapshotCrd = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
  // *.k8s.io groups need this annotation; "unapproved, …" is the documented value for stand-ins.
  metadata: { name: 'volumesnapshots.snapshot.storage.k8s.io', annotations: { 'api-approved.kubernetes.io': 'unapproved, a lab stand-in for the CSI snapshot CRD' } },
  spec: {
    group: 'snapshot.storage.k8s.io', scope: 'Namespaced',
    names: { plural: 'volumesnapshots', singular: 'volumesnapshot', kind: 'VolumeSnapshot', listKind: 'VolumeSnapshotList', shortNames: ['vs'] },
    versions: [{
      name: 'v1', served: true, storage: true, subresources: { status: {} },
      schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    }],
  },
};

/** The CustomResourceDefinitions of every *.yaml file in `dir`. */
export function crdsIn(dir: string): KubeObject[] {
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()
    .flatMap((f) => parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as KubeObject))
    .filter((o) => o?.kind === 'CustomResourceDefinition');
}

export function labCrds(): KubeObject[] {
  return [...crdsIn(operatorCrdDir()), volumeSnapshotCrd as KubeObject];
}

/** Creates the CRDs (the lab's by default) and waits until the server serves each (condition Established). */
export async function installCrds(api: KubeApi, crds: KubeObject[] = labCrds()): Promise<void> {
  for (const crd of crds) await api.post(CRD_PATH, crd);
  const until = Date.now() + 60_000;
  for (const crd of crds) {
    for (;;) {
      const got = await api.get<{ status?: { conditions?: { type: string; status: string }[] } }>(`${CRD_PATH}/${crd.metadata.name}`);
      // Established, and its storage answers (right after, lists get 429 "storage is (re)initializing").
      if (got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') && await served(api, crd)) break;
      if (Date.now() > until) throw new Error(`real lab: CRD ${crd.metadata.name} not established within 60s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function served(api: KubeApi, crd: KubeObject): Promise<boolean> {
  const spec = crd['spec'] as { group: string; names: { plural: string }; versions: { name: string; served: boolean }[] };
  const version = spec.versions.find((v) => v.served)?.name;
  return api.get(`/apis/${spec.group}/${version}/${spec.names.plural}`).then(() => true, () => false);
}

/**
 * Every manifest under deploy/ (and docs/rbac.yaml, applied with them) is accepted by the real
 * kube-apiserver the project builds (lab/real/controlplane.ts, tools/controlplane/go.mod): each
 * document is sent as written (YAML, decoded by the server as `kubectl apply` would have it) in a
 * server-side dry run (`dryRun=All`: admission and validation run, nothing is stored) with
 * `fieldValidation=Strict` (an unknown or duplicated field is an error, not a warning).
 * Unlike the OpenAPI check of test/deploy.test.ts this also runs the server's own validation: a
 * value the schema types correctly but the API refuses (a Job restarting Always) fails here.
 * Only the API server is needed (no pods, no network namespace, no root); without the built
 * binaries the suite is skipped with the reason, except under CI or MMGATE_REQUIRE_TOOLS=1.
 * deploy/ holds built-in kinds only (Argo CD hooks are annotated Jobs), so no CRD of another
 * project is installed: the test fails naming the kind if a manifest of an unserved kind appears.
 */
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiError, type KubeApi } from '../lab/real/api.js';
import { findControlPlane } from '../lab/real/binaries.js';
import { startControlPlane, type ControlPlane } from '../lab/real/controlplane.js';
import { deployManifests, manifestDocs, ROOT, type ManifestObject } from './manifests.js';
import { skipIfMissing } from './tools.js';

const found = findControlPlane();
const skip = skipIfMissing('missing' in found ? found.missing : undefined, 'deploy/ manifests against the real kube-apiserver');

interface Resource { name: string; namespaced: boolean; kind: string }

/** The collection URL of a kind, from the server's discovery (a kind it does not serve fails, named). */
async function collection(api: KubeApi, obj: ManifestObject): Promise<string> {
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const { resources } = await api.get<{ resources: Resource[] }>(base).catch((e: unknown) => {
    throw new Error(`the API server does not serve ${obj.apiVersion} (needed by ${obj.kind}): ${String(e)}`);
  });
  const r = resources.find((x) => x.kind === obj.kind && !x.name.includes('/'));
  assert.ok(r, `the API server serves no kind ${obj.kind} in ${obj.apiVersion}`);
  if (!r.namespaced) return `${base}/${r.name}`;
  assert.ok(obj.metadata.namespace, `${obj.kind} ${obj.metadata.name ?? obj.metadata.generateName}: a namespaced kind without metadata.namespace`);
  return `${base}/namespaces/${obj.metadata.namespace}/${r.name}`;
}

const DRY_RUN = '?dryRun=All&fieldValidation=Strict';

async function dryRunCreate(api: KubeApi, obj: ManifestObject, yaml: string): Promise<ManifestObject> {
  return api.send<ManifestObject>('POST', `${await collection(api, obj)}${DRY_RUN}`, yaml, 'application/yaml');
}

/** The API server's refusal of `yaml` (fails when it is accepted). */
async function refusal(api: KubeApi, obj: ManifestObject, yaml: string): Promise<ApiError> {
  const e = await dryRunCreate(api, obj, yaml).then(() => undefined, (err: unknown) => err);
  assert.ok(e instanceof ApiError, `accepted, or not refused by the server: ${String(e)}`);
  return e;
}

describe('deploy/ manifests against the real kube-apiserver (server-side dry run, strict)', { skip, concurrency: 1, timeout: 300_000 }, () => {
  const files = deployManifests();
  let cp: ControlPlane | undefined;
  const api = () => cp!.admin;

  before(async () => {
    cp = await startControlPlane();
    // Namespaces are not part of deploy/ (they exist where it is applied): without them the
    // NamespaceLifecycle admission plugin refuses everything.
    const namespaces = new Set(files.flatMap((f) => manifestDocs(f).map((d) => d.obj.metadata.namespace)).filter((n) => n !== undefined));
    for (const name of namespaces) await api().post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  });
  after(async () => {
    if (cp) process.stdout.write(`kube-apiserver ready in ${cp.startMs} ms\n`);
    await cp?.stop();
  });

  it('there are manifests to send', () => assert.ok(files.length >= 7, files.join(', ')));

  for (const file of files) {
    it(`${relative(ROOT, file)} is accepted`, async () => {
      for (const { obj, yaml } of manifestDocs(file)) {
        const got = await dryRunCreate(api(), obj, yaml);
        assert.equal(`${got.apiVersion}/${got.kind}`, `${obj.apiVersion}/${obj.kind}`);
        if (obj.metadata.name) assert.equal(got.metadata.name, obj.metadata.name);
        else assert.ok(got.metadata.name?.startsWith(obj.metadata.generateName ?? '\0'), `generateName ${obj.metadata.generateName} gave ${got.metadata.name}`);
        // A dry run stores nothing: the object is not there afterwards.
        if (obj.metadata.name) assert.equal(await api().find(`${await collection(api(), obj)}/${obj.metadata.name}`), undefined, `${obj.kind} ${obj.metadata.name} was stored`);
      }
    });
  }

  it('the dry runs stored nothing, also under a generated name', async () => {
    const jobs = await api().get<{ items: unknown[] }>('/apis/batch/v1/namespaces/mattermost/jobs');
    assert.deepEqual(jobs.items, []);
  });

  it('a kind the server does not serve (another project\'s CRD not installed) fails, named', async () => {
    await assert.rejects(collection(api(), { apiVersion: 'argoproj.io/v1alpha1', kind: 'AnalysisTemplate', metadata: { name: 'x', namespace: 'mattermost' } }),
      /does not serve argoproj\.io\/v1alpha1 \(needed by AnalysisTemplate\)/);
  });

  describe('the validation bites', () => {
    const { obj, yaml } = manifestDocs(join(ROOT, 'deploy', 'job-preflight.yaml'))[0]!;
    const altered = (from: string, to: string): string => {
      assert.ok(yaml.includes(from), `job-preflight.yaml no longer holds "${from}": adjust this test`);
      return yaml.replace(from, to);
    };

    it('a misspelt field is refused, naming it', async () => {
      const e = await refusal(api(), obj, altered('backoffLimit: 0', 'backofLimit: 0'));
      assert.equal(e.status, 400);
      assert.match(e.body, /unknown field \\?"spec\.backofLimit\\?"/);
    });

    it('a string where an integer goes is refused, naming the field', async () => {
      const e = await refusal(api(), obj, altered('backoffLimit: 0', 'backoffLimit: none'));
      assert.equal(e.status, 400);
      assert.match(e.body, /backoffLimit/);
    });

    it('a value the schema allows but the API does not (a Job restarting Always) is refused, naming the field', async () => {
      const e = await refusal(api(), obj, altered('restartPolicy: Never', 'restartPolicy: Always'));
      assert.equal(e.status, 422);
      assert.match(e.body, /spec\.template\.spec\.restartPolicy/);
    });
  });
});

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
 * deploy/ holds built-in kinds only (Argo CD hooks are annotated Jobs); a manifest of a kind the
 * server does not serve fails, named. The other projects' kinds are in docs/integrations.md (a
 * Flagger Canary, an Argo Rollouts AnalysisTemplate): their real CRDs, pinned under fixtures/crds/
 * (README there: repository, path, version), are installed and those snippets dry-run too.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ApiError, type KubeApi } from '../lab/real/api.js';
import { findControlPlane } from '../lab/real/binaries.js';
import { startControlPlane, type ControlPlane } from '../lab/real/controlplane.js';
import { crdsIn, installCrds } from '../lab/real/crds.js';
import { parse } from 'yaml';
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

/** `body`: the YAML as written, or the object (sent as JSON). */
async function dryRunCreate(api: KubeApi, obj: ManifestObject, body: string | ManifestObject = obj): Promise<ManifestObject> {
  return api.send<ManifestObject>('POST', `${await collection(api, obj)}${DRY_RUN}`, body, typeof body === 'string' ? 'application/yaml' : 'application/json');
}

/** The API server's refusal of `body` (fails when it is accepted). */
async function refusal(api: KubeApi, obj: ManifestObject, body: string | ManifestObject): Promise<ApiError> {
  const e = await dryRunCreate(api, obj, body).then(() => undefined, (err: unknown) => err);
  assert.ok(e instanceof ApiError, `accepted, or not refused by the server: ${String(e)}`);
  return e;
}

/**
 * What docs/integrations.md leaves to the reader in a snippet, by kind: the Canary shows only its
 * webhooks, so what the CRD requires besides (the workload, its port, the analysis cadence) is
 * filled in here.
 */
const LEFT_TO_THE_READER: Record<string, Record<string, unknown>> = {
  Canary: {
    metadata: { name: 'mattermost', namespace: 'mattermost' },
    spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'mm' }, service: { port: 8065 }, analysis: { interval: '1m', threshold: 1, stepWeight: 20 } },
  },
};

function merged(under: unknown, over: unknown): unknown {
  if (!under || !over || typeof under !== 'object' || typeof over !== 'object' || Array.isArray(over)) return over ?? under;
  const out: Record<string, unknown> = { ...(under as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = merged(out[k], v);
  return out;
}

/** The YAML blocks of docs/integrations.md that are Kubernetes objects (they name a kind). */
function docSnippets(): { obj: ManifestObject; yaml: string; completed: boolean }[] {
  const md = readFileSync(join(ROOT, 'docs', 'integrations.md'), 'utf8');
  return [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => ({ yaml: m[1]!, raw: parse(m[1]!) as ManifestObject | null }))
    .filter((s) => typeof s.raw?.kind === 'string')
    .map(({ yaml, raw }) => {
      const fill = LEFT_TO_THE_READER[raw!.kind];
      return { yaml, obj: (fill ? merged(fill, raw) : raw) as ManifestObject, completed: Boolean(fill) };
    });
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

  describe('docs/integrations.md against the pinned CRDs of Flagger and Argo Rollouts', () => {
    const snippets = docSnippets();
    before(async () => { await installCrds(api(), crdsIn(join(ROOT, 'fixtures', 'crds'))); });

    it('the snippets are there: a Canary and an AnalysisTemplate', () => {
      assert.deepEqual(snippets.map((x) => x.obj.kind).sort(), ['AnalysisTemplate', 'Canary']);
    });

    for (const { obj, yaml, completed } of snippets) {
      it(`the ${obj.kind} is accepted${completed ? ' (what it leaves to the reader filled in)' : ' as written'}`, async () => {
        const got = await dryRunCreate(api(), obj, completed ? obj : yaml);
        assert.equal(`${got.apiVersion}/${got.kind}`, `${obj.apiVersion}/${obj.kind}`);
      });
    }

    it('a CRD\'s schema bites too: a misspelt field of the AnalysisTemplate and an unknown webhook type of the Canary are refused, named', async () => {
      const at = snippets.find((x) => x.obj.kind === 'AnalysisTemplate')!;
      assert.ok(at.yaml.includes('successCondition:'));
      const e = await refusal(api(), at.obj, at.yaml.replace('successCondition:', 'sucessCondition:'));
      assert.match(e.body, /unknown field \\?"spec\.metrics\[0\]\.sucessCondition\\?"/);
      const canary = snippets.find((x) => x.obj.kind === 'Canary')!.obj as ManifestObject & { spec: { analysis: { webhooks: { type: string }[] } } };
      const wrong = structuredClone(canary);
      wrong.spec.analysis.webhooks[0]!.type = 'pre-rolout';
      const e2 = await refusal(api(), canary, wrong);
      assert.equal(e2.status, 422);
      assert.match(e2.body, /spec\.analysis\.webhooks\[0\]\.type: Unsupported value: \\?"pre-rolout\\?"/);
    });
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

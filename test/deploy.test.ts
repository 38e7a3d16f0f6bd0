/**
 * Every manifest under deploy/ is valid for the Kubernetes version the project's control plane is
 * built from (tools/controlplane/go.mod): each object is checked against that release's own
 * OpenAPI v3 schema (api/openapi-spec/v3 of the k8s.io/kubernetes module), strictly — a field the
 * API does not know is an error, as `kubectl apply --validate=strict` would say.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import { deployManifests, manifestDocs, ROOT, type ManifestObject } from './manifests.js';
import { buildProgram } from '../cli/program.js';

function kubernetesVersion(): string {
  const mod = readFileSync(join(ROOT, 'tools/controlplane/go.mod'), 'utf8');
  const v = /^\s*k8s\.io\/kubernetes (v\S+)/m.exec(mod)?.[1];
  assert.ok(v, 'tools/controlplane/go.mod pins k8s.io/kubernetes');
  return v;
}

/** The module's folder in Go's module cache (downloaded from the module proxy when missing). */
function specDir(version: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', `k8s.io/kubernetes@${version}`], { encoding: 'utf8', env: { ...process.env, GOFLAGS: '-mod=mod' } });
  return join((JSON.parse(out) as { Dir: string }).Dir, 'api', 'openapi-spec', 'v3');
}

type Schema = Record<string, unknown>;
/** Objects that list their properties admit no others, unless the API preserves unknown fields. */
function strict(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(strict);
  if (!s || typeof s !== 'object') return s;
  const o = Object.fromEntries(Object.entries(s as Schema).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, strict(ps)])) : strict(v)])) as Schema;
  if (o['properties'] && o['additionalProperties'] === undefined && !o['x-kubernetes-preserve-unknown-fields']) o['additionalProperties'] = false;
  return o;
}

function validatorFor(dir: string, apiVersion: string, kind: string): ValidateFunction {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const file = group ? `apis__${group}__${version}_openapi.json` : `api__${version}_openapi.json`;
  const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { components: { schemas: Record<string, Schema> } };
  const name = Object.entries(doc.components.schemas).find(([, s]) => (s['x-kubernetes-group-version-kind'] as { group: string; version: string; kind: string }[] | undefined)
    ?.some((g) => g.group === group && g.version === version && g.kind === kind))?.[0];
  assert.ok(name, `Kubernetes ${apiVersion} has no kind ${kind}`);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ components: { schemas: strict(doc.components.schemas) } }, 'spec');
  return ajv.getSchema(`spec#/components/schemas/${name}`)!;
}

interface HookJob { spec: { template: { spec: { containers: { args: string[] }[] } } } }

describe('deploy/ manifests against the Kubernetes API schema', () => {
  const version = kubernetesVersion();
  const dir = specDir(version);
  const files = deployManifests();

  it('there are manifests to check', () => assert.ok(files.length >= 7, files.join(', ')));

  for (const file of files) {
    it(`${relative(ROOT, file)} is valid for Kubernetes ${version}`, () => {
      for (const { obj } of manifestDocs(file)) {
        const validate = validatorFor(dir, obj.apiVersion, obj.kind);
        assert.ok(validate(obj), `${obj.kind}: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
      }
    });
  }

  it('the Argo CD hooks name the target in their args, the same version in both', () => {
    // PreSync runs before the sync applies anything, the mmgate-config ConfigMap too: a target read
    // from the ConfigMap would be the previous one. The Jobs' args come from the new commit.
    const argsOf = (file: string): string[] => (manifestDocs(join(ROOT, 'deploy', 'argocd', file))[0]!.obj as unknown as HookJob).spec.template.spec.containers[0]!.args;
    const targets = ['presync-preflight.yaml', 'postsync-verify.yaml'].map((f) => {
      const args = argsOf(f);
      const at = args.indexOf('--target-version');
      assert.ok(at > 0, `${f}: args give --target-version`);
      assert.match(args[at + 1] ?? '', /^\d+\.\d+\.\d+$/, `${f}: --target-version is followed by a version`);
      const command = buildProgram().commands.find((c) => c.name() === args[0]);
      assert.ok(command, `${f}: ${args[0]} is an mmgate command`);
      const known = new Set(command.options.flatMap((o) => [o.long, o.short]));
      for (const flag of args.filter((a) => a.startsWith('-'))) assert.ok(known.has(flag), `${f}: ${args[0]} has no ${flag}`);
      return args[at + 1];
    });
    assert.equal(targets[0], targets[1], 'preflight and verify judge the same target');
  });

  it('the strict check sees an unknown field and a wrong type (it can fail)', () => {
    const job = manifestDocs(join(ROOT, 'deploy', 'job-preflight.yaml'))[0]!.obj as ManifestObject & { spec: Record<string, unknown> };
    const validate = validatorFor(dir, 'batch/v1', 'Job');
    assert.equal(validate({ ...job, spec: { ...job.spec, backofLimit: 0 } }), false, 'a misspelt field is refused');
    assert.equal(validate({ ...job, spec: { ...job.spec, backoffLimit: 'zero' } }), false, 'a string where an integer goes is refused');
  });
});

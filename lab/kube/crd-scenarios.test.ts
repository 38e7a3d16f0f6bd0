import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { parseAllDocuments } from 'yaml';
import { readCrds, repoRoot } from './test-support.js';

const SCENARIOS = join(repoRoot(), 'fixtures', 'scenarios');

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(name) ? [p] : [];
  });
}

/** The CRD's openAPIV3Schema; k8s extensions (x-kubernetes-*, int32 formats) are not JSON Schema, so ajv runs lenient on them. */
function crdValidator(kind: string, versionName: string): ValidateFunction {
  const crd = readCrds().find((c) => c.spec.names.kind === kind)!;
  const version = crd.spec.versions.find((v) => v.name === versionName) as unknown as { schema: { openAPIV3Schema: object } };
  return new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(version.schema.openAPIV3Schema);
}
const mattermostValidator = () => crdValidator('Mattermost', 'v1beta1');

function scenarioDocs(kind: string): { where: string; obj: unknown }[] {
  return yamlFiles(SCENARIOS).flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8')).map((d, i) => ({ where: `${relative(repoRoot(), file)}#${i + 1}`, obj: d.toJS() as { kind?: string } | null })))
    .filter((d) => d.obj?.kind === kind);
}

describe('Mattermost documents against the real CRD schema', () => {
  const validate = mattermostValidator();

  it('the validator accepts a valid Mattermost and rejects a wrong type', () => {
    const ok = { apiVersion: 'installation.mattermost.com/v1beta1', kind: 'Mattermost', metadata: { name: 'mm' }, spec: { replicas: 2, version: '10.5.2' } };
    assert.equal(validate(ok), true, JSON.stringify(validate.errors));
    assert.equal(validate({ ...ok, spec: { replicas: 'two' } }), false);
  });

  it('every kind: Mattermost under fixtures/scenarios validates', () => {
    const docs = yamlFiles(SCENARIOS).flatMap((file) =>
      parseAllDocuments(readFileSync(file, 'utf8')).map((d, i) => ({ where: `${relative(repoRoot(), file)}#${i + 1}`, obj: d.toJS() as { kind?: string } | null })));
    const mattermosts = docs.filter((d) => d.obj?.kind === 'Mattermost');
    assert.ok(mattermosts.length > 0, `no kind: Mattermost document found under ${relative(repoRoot(), SCENARIOS)}/**.yaml yet: the scenarios must exist before this check can pass`);
    const failures = mattermosts.filter((d) => !validate(d.obj)).map((d) => `${d.where}: ${JSON.stringify(validate.errors)}`);
    assert.deepEqual(failures, []);
  });
});

describe('ClusterInstallation documents against the real v1alpha1 CRD schema', () => {
  const validate = crdValidator('ClusterInstallation', 'v1alpha1');

  it('the validator accepts a valid ClusterInstallation and rejects a wrong type or a missing ingressName', () => {
    const ok = { apiVersion: 'mattermost.com/v1alpha1', kind: 'ClusterInstallation', metadata: { name: 'mm' }, spec: { ingressName: 'chat.example.com', blueGreen: { enable: true, productionDeployment: 'blue' } } };
    assert.equal(validate(ok), true, JSON.stringify(validate.errors));
    assert.equal(validate({ ...ok, spec: { ...ok.spec, blueGreen: { enable: 'yes' } } }), false);
    assert.equal(validate({ ...ok, spec: { replicas: 2 } }), false, 'spec.ingressName is required');
  });

  it('every kind: ClusterInstallation under fixtures/scenarios validates', () => {
    const docs = scenarioDocs('ClusterInstallation');
    assert.ok(docs.length >= 2, 'the blue/green and canary worlds define ClusterInstallations');
    assert.deepEqual(docs.filter((d) => !validate(d.obj)).map((d) => `${d.where}: ${JSON.stringify(validate.errors)}`), []);
  });
});

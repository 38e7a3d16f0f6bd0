/**
 * The manifests the tests validate: every YAML file under deploy/, and docs/rbac.yaml, which is
 * applied with them (deploy/README.md). Shared by test/deploy.test.ts (the pinned OpenAPI schema)
 * and test/deploy-apiserver.test.ts (the real kube-apiserver).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : n.endsWith('.yaml') ? [p] : [];
  });
}

export function deployManifests(): string[] {
  return [...yamlFiles(join(ROOT, 'deploy')), join(ROOT, 'docs', 'rbac.yaml')];
}

export interface ManifestObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; generateName?: string; namespace?: string };
  [key: string]: unknown;
}

/** One document of a manifest file: the object, and its YAML exactly as written in the file. */
export interface Manifest { obj: ManifestObject; yaml: string }

/** The file's documents (empty ones left out); asserts that the YAML parses. */
export function manifestDocs(file: string): Manifest[] {
  const text = readFileSync(file, 'utf8');
  const parsed = parseAllDocuments(text);
  for (const d of parsed) assert.deepEqual(d.errors.map((e) => e.message), [], `${file}: the YAML parses`);
  const docs = parsed.map((d) => ({ obj: d.toJS() as ManifestObject | null, yaml: text.slice(d.range[0], d.range[2]) }))
    .filter((d): d is Manifest => d.obj !== null);
  assert.ok(docs.length > 0, `${file} holds no object`);
  return docs;
}

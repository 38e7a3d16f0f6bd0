/**
 * Reads Kubernetes manifests (multi-document YAML or JSON, `kind: List` expanded) into objects
 * for an ObjectStore, so lab clusters are written as the YAML people already know.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from './types.js';

export function parseManifests(text: string, source = 'manifest'): KubeObject[] {
  const out: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(`${source}: ${doc.errors[0]!.message}`);
    const value = doc.toJS() as KubeObject | null;
    if (value === null || value === undefined) continue;
    if (value.kind === 'List' || (value.kind?.endsWith('List') && Array.isArray(value.items))) {
      out.push(...(value.items as KubeObject[]));
    } else {
      out.push(value);
    }
  }
  for (const o of out) {
    if (!o?.apiVersion || !o.kind || !o.metadata?.name) throw new Error(`${source}: every object needs apiVersion, kind and metadata.name`);
  }
  return out;
}

export function loadManifests(path: string): KubeObject[] {
  return parseManifests(readFileSync(path, 'utf8'), path);
}

/**
 * Helpers for the lab/kube tests: a small HTTP(S) client that trusts the lab CA and keeps the raw
 * answer (status, headers, text), plus tiny object builders. Not used outside tests.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { KubeApi } from './server.js';
import type { KubeObject } from './types.js';

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export function call(api: Pick<KubeApi, 'url' | 'caPem'>, path: string, opts: CallOptions = {}): Promise<RawAnswer> {
  const url = new URL(path, api.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // Node sends a DELETE body neither chunked nor with a length unless told: say the length.
    const headers = { ...opts.headers, ...(opts.body !== undefined ? { 'content-length': String(Buffer.byteLength(opts.body)) } : {}) };
    const req = send(url, { method: opts.method ?? 'GET', headers, ...(api.caPem ? { ca: api.caPem } : {}), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** kubectl's Accept for human output. */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
/** kubectl ≥1.30's Accept for /api and /apis. */
export const DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

export const NOW = new Date('2026-11-22T12:00:00Z');

/** An ISO timestamp `seconds` before NOW. */
export const ago = (seconds: number): string => new Date(NOW.getTime() - seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function pod(namespace: string, name: string, extra: { labels?: Record<string, string>; spec?: Record<string, unknown>; status?: Record<string, unknown> } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, creationTimestamp: ago(3600), ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { containers: [{ name: 'app', image: 'example/app:1' }], nodeName: 'node-a', ...extra.spec },
    status: { phase: 'Running', podIP: '10.244.0.9', podIPs: [{ ip: '10.244.0.9' }], ...extra.status },
  };
}

/** The repository root, found upwards from this module (works from dist/ and from the sources). */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'fixtures'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root (package.json + fixtures/) not found');
    dir = parent;
  }
  return dir;
}

export interface Crd {
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string; singular: string; shortNames?: string[] };
    versions: { name: string; served: boolean; additionalPrinterColumns?: Record<string, unknown>[] }[];
  };
}

/** The operator's real CRDs, from shared/reference beside the repository; fails loudly when that folder is absent. */
export function readCrds(): Crd[] {
  const dir = join(repoRoot(), '..', 'shared', 'reference', 'mattermost-operator', 'crds');
  assert.ok(existsSync(dir), `the real Mattermost operator CRDs are expected in ${dir} (shared/reference beside the repository); without them the static resource table cannot be checked`);
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).flatMap((f) =>
    parseAllDocuments(readFileSync(join(dir, f), 'utf8')).map((d) => d.toJS() as Crd).filter((c) => c?.spec?.names));
}

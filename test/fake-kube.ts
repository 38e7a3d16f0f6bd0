/**
 * A minimal Kubernetes API for collector tests: serves fixed objects over plain HTTP on
 * 127.0.0.1 (GET one object, LIST with a label selector), answers 404 Status otherwise, and
 * writes a kubeconfig (insecure-skip-tls-verify, so client-node accepts http) with one context
 * per fake cluster. Not the lab simulator: just enough to drive the real KubeClient.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeObject { apiVersion?: string; kind?: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown }; [k: string]: unknown }

/** Where an object lives in the API: /api/v1/namespaces/ns/secrets, /apis/group/v/namespaces/ns/plural. */
export interface FakeCollection { path: string; items: FakeObject[] }

export interface FakeCluster {
  readonly url: string;
  readonly requests: string[];
  stop(): Promise<void>;
}

function matchesSelector(labels: Record<string, string> | undefined, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    const [k, v] = term.split('=');
    return k !== undefined && labels?.[k] === v;
  });
}

export async function startFakeCluster(collections: FakeCollection[]): Promise<FakeCluster> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    for (const c of collections) {
      if (url.pathname === c.path) {
        const items = c.items.filter((i) => matchesSelector(i.metadata.labels, url.searchParams.get('labelSelector')));
        return send(200, { kind: 'List', apiVersion: 'v1', metadata: {}, items });
      }
      if (url.pathname.startsWith(`${c.path}/`)) {
        const name = decodeURIComponent(url.pathname.slice(c.path.length + 1));
        const item = c.items.find((i) => i.metadata.name === name);
        if (item) return send(200, item);
      }
    }
    send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: `${url.pathname} not found` });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Writes a kubeconfig with a context per cluster (named by the keys); the first is current. */
export async function writeKubeconfig(contexts: Record<string, FakeCluster>): Promise<{ path: string; dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mmgate-kube-'));
  const names = Object.keys(contexts);
  const doc = [
    'apiVersion: v1', 'kind: Config',
    'clusters:', ...names.flatMap((n) => [`- name: ${n}`, '  cluster:', `    server: ${contexts[n]?.url}`, '    insecure-skip-tls-verify: true']),
    'users:', '- name: tester', '  user:', '    token: fake-kube-token',
    'contexts:', ...names.flatMap((n) => [`- name: ${n}`, '  context:', `    cluster: ${n}`, '    user: tester']),
    `current-context: ${names[0]}`, '',
  ].join('\n');
  const path = join(dir, 'kubeconfig');
  await writeFile(path, doc);
  return { path, dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

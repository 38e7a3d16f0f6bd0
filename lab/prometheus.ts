/**
 * A real Prometheus (the Debian `prometheus` binary) for a lab scenario: it scrapes every running
 * Mattermost pod's :8067/metrics through the lab's Kubernetes API pod proxy — the way Prometheus
 * scrapes through an API server (`scheme: https`, the cluster CA, a bearer token) — with targets in
 * a file_sd file the lab rewrites as pods come and go, so a rollout's new pods are scraped too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { ObjectStore } from './kube/store.js';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const SCRAPE_INTERVAL_S = 1;

export interface LabPrometheus {
  readonly url: string;
  /** Waits until every target has at least `samples` scrapes in Prometheus. */
  waitForSamples(samples: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

interface PodShape { metadata: { name: string; labels?: Record<string, string> }; status?: { phase?: string } }

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts Prometheus in `dir` scraping the pods of `namespace` (all but `skipPods`; "*" skips every pod). */
export async function startLabPrometheus(o: {
  dir: string; kubeUrl: string; caPem: string; token: string; store: ObjectStore; namespace: string; skipPods: readonly string[];
}): Promise<LabPrometheus> {
  if (!existsSync(PROMETHEUS_BIN)) throw new Error(`lab: ${PROMETHEUS_BIN} is not installed (apt-get install prometheus)`);
  await mkdir(join(o.dir, 'data'), { recursive: true });
  await writeFile(join(o.dir, 'ca.pem'), o.caPem);
  await writeFile(join(o.dir, 'token'), o.token, { mode: 0o600 });
  const targetsFile = join(o.dir, 'targets.json');
  const api = new URL(o.kubeUrl);
  const targetsOf = (): string => JSON.stringify(o.store.list('v1', 'Pod', o.namespace)
    .map((p) => p as unknown as PodShape)
    .filter((p) => p.status?.phase === 'Running' && p.metadata.labels?.['app'] === 'mattermost')
    .filter((p) => !o.skipPods.includes('*') && !o.skipPods.includes(p.metadata.name))
    .map((p) => ({
      targets: [api.host],
      labels: { __metrics_path__: `/api/v1/namespaces/${o.namespace}/pods/${p.metadata.name}:8067/proxy/metrics`, namespace: o.namespace, pod: p.metadata.name },
    })));
  let written = '';
  const sync = async (): Promise<void> => {
    const next = targetsOf();
    if (next === written) return;
    written = next;
    await writeFile(`${targetsFile}.tmp`, next);
    await rename(`${targetsFile}.tmp`, targetsFile);
  };
  await sync();
  await writeFile(join(o.dir, 'prometheus.yml'), [
    'global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }',
    'scrape_configs:',
    '  - job_name: mattermost',
    '    scheme: https',
    '    tls_config: { ca_file: ca.pem }',
    '    authorization: { credentials_file: token }',
    '    file_sd_configs: [{ files: [targets.json], refresh_interval: 1s }]',
    '',
  ].join('\n'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(PROMETHEUS_BIN, [
    `--config.file=${join(o.dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(o.dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', '--storage.tsdb.retention.time=1h',
  ], { cwd: o.dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const follower = setInterval(() => { sync().catch(() => undefined); }, 500);
  const stop = async (): Promise<void> => {
    clearInterval(follower);
    if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  };
  const query = async (q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> => {
    const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`);
    const body = await res.json() as { data?: { result?: { metric: Record<string, string>; value: [number, string] }[] } };
    return body.data?.result ?? [];
  };
  try {
    const until = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`lab: prometheus exited: ${stderr}`);
      const ok = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > until) throw new Error(`lab: prometheus did not become ready in 30s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    url,
    async waitForSamples(samples, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const want = (JSON.parse(written) as unknown[]).length;
        const counts = await query('count_over_time(up{job="mattermost"}[5m])').catch(() => []);
        const enough = counts.filter((c) => Number(c.value[1]) >= samples).length;
        if (enough >= want) return;
        if (Date.now() > until) throw new Error(`lab: prometheus scraped ${enough} of ${want} targets ${samples} times within ${timeoutMs / 1000}s: ${stderr}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    stop,
  };
}

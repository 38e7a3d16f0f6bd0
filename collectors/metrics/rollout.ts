/**
 * rolloutMetrics (mmgate watch): the 5xx the Mattermost servers themselves answered while the
 * operator rolled the pods — not only what the front-door probes saw. With Prometheus, one
 * increase() over the watch's duration once it ends (series of pods that went away still count);
 * with the direct scrape, every Ready pod's /metrics every few seconds, adding up the differences
 * between consecutive scrapes of each pod (a restart starts its counters over).
 */
import type { PromMetrics } from 'prom2javascript';
import type { Collector, CollectEnv } from '../../core/collector.js';
import { parseDuration } from '../../core/duration.js';
import { isPodReady, mattermostPods } from '../../core/installation.js';
import { API_TIME, type ApiSeries, type RolloutMetrics } from '../../core/metrics-types.js';
import type { KubePod } from '../../core/kube-types.js';
import { kubeClient } from '../kube/client.js';
import { metricsSource, sleep } from './index.js';
import { prometheusApi } from './prometheus.js';
import { apiDelta, scrapePod } from './scrape.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** The servers' own 5xx during the rollout (mmgate watch). */
    rolloutMetrics: RolloutMetrics;
  }
}

function tally(series: readonly ApiSeries[]): { requests: number; errors: number } {
  let requests = 0;
  let errors = 0;
  for (const s of series) {
    const n = s.buckets.find(([le]) => le === Infinity)?.[1] ?? 0;
    requests += n;
    if (/^5\d\d$/.test(s.statusCode)) errors += n;
  }
  return { requests, errors };
}

async function byScrape(env: CollectEnv, done: Promise<unknown>): Promise<Omit<RolloutMetrics, 'source' | 'requests' | 'errors'>> {
  const kube = await kubeClient(env);
  const ns = env.scope.namespace;
  const last = new Map<string, PromMetrics>();
  const pods: Record<string, { requests: number; errors: number }> = {};
  const unreadable = new Set<string>();
  const watchStart = env.now().getTime() - 1000;
  let finished = false;
  void done.finally(() => { finished = true; });
  const every = Math.max(1000, parseDuration(env.config.watch.interval));
  for (;;) {
    const stop = finished || env.signal.aborted;
    const list = await kube.list<KubePod>(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods`).catch(() => [] as KubePod[]);
    const ready = mattermostPods(list, env.scope).filter(isPodReady).map((p) => p.metadata.name);
    await Promise.all(ready.map(async (pod) => {
      const s = await scrapePod(env, ns, pod);
      if (!s.ok) { unreadable.add(pod); return; }
      const before = last.get(pod);
      last.set(pod, s.metrics);
      // A pod first seen is counted from its second scrape, unless it started during the watch:
      // then all it served was during the rollout.
      const startedAt = (s.metrics['mattermost_process_start_time_seconds']?.data[0] as { value?: number } | undefined)?.value ?? 0;
      if (!before && startedAt * 1000 < watchStart) return;
      const t = tally(apiDelta(pod, before ?? {}, s.metrics));
      const acc = (pods[pod] ??= { requests: 0, errors: 0 });
      acc.requests += t.requests;
      acc.errors += t.errors;
    }));
    if (stop) break;
    await Promise.race([sleep(every, env.signal), done.catch(() => undefined)]);
  }
  return { pods, unreadable: [...unreadable].sort() };
}

async function byPrometheus(env: CollectEnv, done: Promise<unknown>): Promise<Omit<RolloutMetrics, 'source' | 'requests' | 'errors'>> {
  const started = env.now();
  await done.catch(() => undefined);
  const api = await prometheusApi(env);
  const p = env.config.prometheus!;
  const seconds = Math.max(1, Math.ceil((env.now().getTime() - started.getTime()) / 1000));
  const sel = p.selector.replaceAll('{namespace}', env.scope.namespace);
  const answer = await api.query(`sum by (${p.podLabel}, status_code) (increase(${API_TIME}_count{${sel}}[${seconds}s]))`, 'the API requests during the rollout');
  const pods: Record<string, { requests: number; errors: number }> = {};
  for (const s of answer) {
    const pod = s.metric[p.podLabel] ?? '?';
    const acc = (pods[pod] ??= { requests: 0, errors: 0 });
    acc.requests += s.value;
    if (/^5\d\d$/.test(s.metric['status_code'] ?? '')) acc.errors += s.value;
  }
  return { pods, unreadable: [] };
}

export const rolloutMetricsCollector: Collector<'rolloutMetrics'> = {
  key: 'rolloutMetrics',
  source: 'watch: the Mattermost servers\' own API answers (Prometheus, or /metrics through the pod proxy)',
  budgetMs: (config) => parseDuration(config.watch.timeout) + 60_000,
  async collect(env) {
    const source = metricsSource(env);
    const done = env.need('rolloutWatch');
    const r = source === 'prometheus' ? await byPrometheus(env, done) : await byScrape(env, done);
    const all = Object.values(r.pods);
    return { source, minRequests: env.config.metrics.minRequests, ...r, requests: Math.round(all.reduce((s, x) => s + x.requests, 0)), errors: Math.round(all.reduce((s, x) => s + x.errors, 0)) };
  },
};

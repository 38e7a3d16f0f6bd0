/**
 * `mmgate watch`: while the operator rolls the pods, probe the front door as a user's client
 * would and read the rollout's progress, every `watch.interval`, until the installation is stable
 * on the target version or `watch.timeout` passes. Only reads (GETs), like every collector.
 */
import type { Collector, CollectEnv } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { parseDuration } from '../../core/duration.js';
import { errorMessage } from '../../core/errors.js';
import { APP_CONTAINER, isClusterInstallation, isPodReady, mattermostPods, workloadVersion } from '../../core/installation.js';
import type { KubePod, InstallationCR } from '../../core/kube-types.js';
import type { RolloutSample, RolloutWatch } from '../../core/rollout-types.js';
import { imageVersion, formatVersion, parseVersionId } from '../../core/version.js';
import { kubeClient } from '../kube/client.js';
import { crPath } from '../kube/collectors.js';
import { frontDoorUrl, USER_AGENT } from '../mattermost/http.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** Front-door probes and rollout progress sampled during the rollout. */
    rolloutWatch: RolloutWatch;
  }
}

const sleep = (ms: number, signal: AbortSignal) => new Promise<void>((resolve) => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

export const rolloutWatchCollector: Collector<'rolloutWatch'> = {
  key: 'rolloutWatch',
  source: 'watch: front-door probes and rollout progress',
  // The watch runs as long as the rollout may take, plus a margin to finish its last sample.
  budgetMs: (config) => parseDuration(config.watch.timeout) + 30_000,
  async collect(env) {
    const target = env.target.version;
    if (!target) throw new CollectFailure('NOT_CONFIGURED', 'mmgate watch needs the version the rollout goes to: set target.version or --target-version');
    const intervalMs = parseDuration(env.config.watch.interval);
    const timeoutMs = parseDuration(env.config.watch.timeout);
    const kube = await kubeClient(env);
    const frontDoor = await frontDoorUrl(env);
    const started = env.now();
    const samples: RolloutSample[] = [];
    let completed = false;
    while (!env.signal.aborted) {
      const sample = await takeSample(env, kube, frontDoor, target, started, Math.min(intervalMs, 5_000));
      samples.push(sample);
      if (sample.complete) { completed = true; break; }
      if (sample.elapsedMs >= timeoutMs) break;
      await sleep(intervalMs, env.signal);
    }
    return {
      targetVersion: target, frontDoor, intervalMs, timeoutMs, startedAt: started.toISOString(), finishedAt: env.now().toISOString(),
      completed, interrupted: !completed && env.signal.aborted, samples,
    };
  },
};

async function takeSample(env: CollectEnv, kube: Awaited<ReturnType<typeof kubeClient>>, frontDoor: string, target: string, started: Date, probeTimeoutMs: number): Promise<RolloutSample> {
  const at = env.now();
  const [probe, state] = await Promise.all([probeFrontDoor(frontDoor, probeTimeoutMs, env.signal), readRollout(env, kube, target)]);
  return { at: at.toISOString(), elapsedMs: at.getTime() - started.getTime(), probe, ...state };
}

async function probeFrontDoor(url: string, timeoutMs: number, signal: AbortSignal): Promise<RolloutSample['probe']> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${url}/api/v4/system/ping`, { headers: { 'User-Agent': USER_AGENT }, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
    const body = await res.text();
    const latencyMs = Math.round(performance.now() - t0);
    let status: string | undefined;
    try { status = (JSON.parse(body) as { status?: string }).status; } catch { /* not JSON: judged by the HTTP status */ }
    const version = parseVersionId(res.headers.get('x-version-id') ?? undefined)?.version;
    const ok = res.status === 200 && status === 'OK';
    return { ok, status: res.status, latencyMs, ...(version ? { version } : {}), ...(ok ? {} : { error: `HTTP ${res.status}${status ? ` status ${status}` : ''}` }) };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - t0), error: errorMessage(err) };
  }
}

async function readRollout(env: CollectEnv, kube: Awaited<ReturnType<typeof kubeClient>>, target: string): Promise<Omit<RolloutSample, 'at' | 'elapsedMs' | 'probe'>> {
  try {
    const ns = encodeURIComponent(env.scope.namespace);
    const [pods, cr] = await Promise.all([
      kube.list<KubePod>(`/api/v1/namespaces/${ns}/pods`),
      kube.get<InstallationCR>(crPath(env.scope.kind ?? env.config.kube.kind ?? 'Mattermost', env.scope.namespace, env.scope.installation)),
    ]);
    const app = mattermostPods(pods, env.scope);
    const ready = app.filter(isPodReady);
    const versions: Record<string, number> = {};
    for (const p of ready) {
      const image = p.spec?.containers.find((c) => c.name === APP_CONTAINER)?.image ?? '';
      const v = imageVersion(image);
      const key = v ? formatVersion(v) : image;
      versions[key] = (versions[key] ?? 0) + 1;
    }
    const s = cr?.status;
    // spec.replicas may be left to the operator's default: then the status says how many it runs.
    const specReplicas = cr?.spec?.replicas ?? s?.replicas;
    const complete = Boolean(cr) && s?.state === 'stable' && (isClusterInstallation(cr) || (s.observedGeneration ?? 0) >= (cr?.metadata.generation ?? 0))
      && s.updatedReplicas === specReplicas && s.replicas === specReplicas && workloadVersion(cr ?? null, env.scope) === target
      && app.length === specReplicas && ready.length === specReplicas && versions[target] === specReplicas;
    return {
      readyPods: ready.length, pods: app.length, versions,
      ...(s?.state ? { state: s.state } : {}), ...(s?.updatedReplicas !== undefined ? { updatedReplicas: s.updatedReplicas } : {}),
      ...(s?.replicas !== undefined ? { replicas: s.replicas } : {}), ...(specReplicas !== undefined ? { specReplicas } : {}),
      complete,
    };
  } catch (err) {
    return { readyPods: 0, pods: 0, versions: {}, kubeError: errorMessage(err), complete: false };
  }
}

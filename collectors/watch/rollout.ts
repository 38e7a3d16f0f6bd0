/**
 * `mmgate watch`: while the operator rolls the pods, two loops run until the installation is
 * stable on the target version or `watch.timeout` passes — the front-door probe loop at
 * `watch.probeRate` (probe.ts: sub-second outages are seen) and the rollout read at
 * `watch.interval`. Only reads (GETs), like every collector.
 */
import type { Collector, CollectEnv } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { parseDuration } from '../../core/duration.js';
import { errorMessage } from '../../core/errors.js';
import { APP_CONTAINER, isClusterInstallation, isPodReady, mattermostPods, workloadVersion } from '../../core/installation.js';
import type { KubePod, InstallationCR } from '../../core/kube-types.js';
import type { FrontDoorProbe, RolloutSample, RolloutWatch } from '../../core/rollout-types.js';
import { formatVersion, imageVersion } from '../../core/version.js';
import { kubeClient } from '../kube/client.js';
import { crPath } from '../kube/collectors.js';
import { frontDoorUrl, USER_AGENT } from '../mattermost/http.js';
import { probeTimeoutFor, runProbeLoop } from './probe.js';

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
    // A sample (watch.minDuration) goes on past a complete rollout: it judges availability over a window.
    const minMs = Math.min(timeoutMs, env.config.watch.minDuration ? parseDuration(env.config.watch.minDuration) : 0);
    const probeRate = env.config.watch.probeRate;
    const probePeriodMs = 1000 / probeRate;
    const probeTimeoutMs = probeTimeoutFor(probePeriodMs);
    const kube = await kubeClient(env);
    const frontDoor = await frontDoorUrl(env);
    const started = env.now();
    const origin = performance.now();
    const probes: FrontDoorProbe[] = [];
    // The probe loop stops with the rollout loop (or the run's abort), after its probe in flight.
    const stopProbes = new AbortController();
    const probing = runProbeLoop({
      url: frontDoor, periodMs: probePeriodMs, timeoutMs: probeTimeoutMs, userAgent: USER_AGENT, origin,
      signal: AbortSignal.any([env.signal, stopProbes.signal]), onProbe: (p) => probes.push(p),
    });
    const samples: RolloutSample[] = [];
    let completed = false;
    try {
      while (!env.signal.aborted) {
        const at = env.now();
        const sample: RolloutSample = { at: at.toISOString(), elapsedMs: Math.round(performance.now() - origin), ...await readRollout(env, kube, target) };
        samples.push(sample);
        completed = sample.complete;
        if (sample.complete && sample.elapsedMs >= minMs) break;
        if (sample.elapsedMs >= timeoutMs) break;
        await sleep(sample.complete ? Math.min(intervalMs, minMs - sample.elapsedMs) : intervalMs, env.signal);
      }
    } finally {
      stopProbes.abort();
      await probing;
    }
    return {
      targetVersion: target, frontDoor, intervalMs, timeoutMs, probeRate, probePeriodMs, probeTimeoutMs,
      startedAt: started.toISOString(), finishedAt: env.now().toISOString(),
      completed, interrupted: !completed && env.signal.aborted, samples, probes,
    };
  },
};

async function readRollout(env: CollectEnv, kube: Awaited<ReturnType<typeof kubeClient>>, target: string): Promise<Omit<RolloutSample, 'at' | 'elapsedMs'>> {
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

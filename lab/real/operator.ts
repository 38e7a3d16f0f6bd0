/**
 * The lab operator on the real backend: it does what the Mattermost Operator does on an upgrade
 * (operator https://github.com/mattermost/mattermost-operator/blob/v1.25.9/controllers/mattermost/mattermost/mattermost.go, updateMattermostDeployment and checkUpdateJob), through the real API — the CR's spec.version changes, the
 * mattermost-update-check Job runs, the Deployment gets the new image — and then the real
 * Deployment controller rolls the pods. The operator follows the Deployment's status into the CR's
 * status (reconciling → stable), as the real one does. Same UpgradeSpec as the simulator's.
 */
import type { UpgradeSpec } from '../operator.js';
import type { KubeApi } from './api.js';
import type { NodeAgent } from './agent.js';

interface Deployment {
  metadata: { generation?: number; name: string };
  spec: { replicas?: number; paused?: boolean; strategy?: unknown; template: { spec: { containers: { name: string; image: string }[] } } };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; readyReplicas?: number; unavailableReplicas?: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function realUpgrade(api: KubeApi, agent: NodeAgent, up: UpgradeSpec, o: { namespace: string; installation: string; stepMs: number; onStep?: (s: string) => void }): Promise<void> {
  const step = (s: string) => o.onStep?.(s);
  const ns = `/namespaces/${o.namespace}`;
  const crPath = `/apis/installation.mattermost.com/v1beta1${ns}/mattermosts/${o.installation}`;
  const depPath = `/apis/apps/v1${ns}/deployments/${o.installation}`;
  const cr = await api.get<{ spec?: { image?: string }; metadata: { generation?: number } }>(crPath);
  const baseImage = cr.spec?.image ?? 'mattermost/mattermost-enterprise-edition';
  const image = `${baseImage}:${up.version}`;

  const updated = await api.mergePatch<{ metadata: { generation?: number } }>(crPath, { spec: { version: up.version } });
  await api.mergePatch(`${crPath}/status`, { status: { state: 'reconciling' } });
  step(`Mattermost ${o.installation}: spec.version → ${up.version}, state reconciling`);

  const jobPath = `/apis/batch/v1${ns}/jobs`;
  await api.post(jobPath, {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: 'mattermost-update-check', labels: { app: 'mattermost-update-check' } },
    // The Job controller is not running: the Job's pod never starts; its status is the operator's to tell.
    spec: { backoffLimit: 10, template: { metadata: { labels: { app: 'mattermost-update-check' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'mattermost', image, args: ['db', 'migrate'] }] } } },
  });
  step('Job mattermost-update-check: running db migrate');
  await sleep(o.stepMs);
  if (up.updateJobFails) {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await api.mergePatch(`${jobPath}/mattermost-update-check/status`, { status: { failed: 1, startTime: now, conditions: [
      { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: now, lastProbeTime: now },
      { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastTransitionTime: now, lastProbeTime: now },
    ] } });
    await api.mergePatch(`${crPath}/status`, { status: { state: 'reconciling', error: 'update image job failed' } });
    step('Job mattermost-update-check: failed; old pods keep serving');
    return;
  }
  await api.send('DELETE', `${jobPath}/mattermost-update-check?propagationPolicy=Background`);
  step('Job mattermost-update-check: succeeded');

  if (up.newPodsCrash) agent.crashVersions.add(up.version);
  const dep = await api.get<Deployment>(depPath);
  const template = structuredClone(dep.spec.template);
  for (const c of template.spec.containers) if (c.name === 'mattermost') c.image = image;
  await api.mergePatch(depPath, {
    spec: { template, ...(up.recreate ? { strategy: { type: 'Recreate', rollingUpdate: null } } : {}) },
  });
  step(`Deployment ${o.installation}: image → ${image}; the Deployment controller rolls the pods`);
  await follow(api, depPath, crPath, up, updated.metadata.generation ?? 1, o.stepMs, step);
}

/** Mirrors the rollout into the CR's status until it completes, stalls, or reaches stopAfterPods. */
async function follow(api: KubeApi, depPath: string, crPath: string, up: UpgradeSpec, crGeneration: number, stepMs: number, step: (s: string) => void): Promise<void> {
  const until = Date.now() + 120_000;
  let last = -1;
  let stalledSince = Date.now();
  for (;;) {
    if (Date.now() > until) throw new Error('real lab: the rollout did not finish within 120s');
    const d = await api.get<Deployment>(depPath);
    const want = d.spec.replicas ?? 1;
    const s = d.status ?? {};
    const current = (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
    const done = current && s.updatedReplicas === want && s.availableReplicas === want && (s.replicas ?? 0) === want;
    if (!current) { await sleep(50); continue; }
    if ((s.updatedReplicas ?? 0) !== last) { last = s.updatedReplicas ?? 0; stalledSince = Date.now(); step(`rollout: ${last}/${want} updated`); }
    await api.mergePatch(`${crPath}/status`, { status: {
      state: done ? 'stable' : 'reconciling', version: up.version, replicas: want, updatedReplicas: s.updatedReplicas ?? 0,
      ...(done ? { observedGeneration: crGeneration } : {}),
    } });
    if (done) { step(`Mattermost: stable on ${up.version}`); return; }
    if (up.stopAfterPods !== undefined && (s.updatedReplicas ?? 0) >= up.stopAfterPods && !d.spec.paused) {
      await api.mergePatch(depPath, { spec: { paused: true } });
      step(`rollout paused after ${up.stopAfterPods} pods`);
      return;
    }
    // A crashing version never becomes ready: the rollout stays where it is (maxUnavailable 0).
    if (up.newPodsCrash && Date.now() - stalledSince > Math.max(2000, stepMs * 6)) { step('rollout stalls: the new pods crash-loop'); return; }
    await sleep(Math.min(250, Math.max(50, stepMs / 2)));
  }
}

/**
 * Prevents promoting an upgrade that did not reach every pod: after the operator reports done, a
 * pod can still run the old image (a stuck rollout, a pod of the previous ReplicaSet that never
 * terminated, a job server Deployment the operator did not update) or run the new image without
 * being ready. Users on such a pod keep the old server, or none. Every Mattermost pod — and every
 * dedicated job server pod — must run the target image, belong to its Deployment's newest
 * ReplicaSet, and have all its containers ready.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import {
  APP_CONTAINER, JOBSERVER_CONTAINER, appContainerStatus, isPodReady, jobServerPods, mattermostPods, podRef, workloadName,
} from '../../core/installation.js';
import type { KubeDeployment, KubePod, KubeReplicaSet } from '../../core/kube-types.js';
import { describeTarget, NoTargetError } from '../../core/mattermost.js';
import { outcomeOf } from '../../core/outcome.js';
import type { Finding, Target } from '../../core/types.js';
import { compareVersions, formatVersion, imageVersion, parseImage, parseVersion } from '../../core/version.js';

const REVISION = 'deployment.kubernetes.io/revision';
const HASH = 'pod-template-hash';

/** docker.io/library/x, docker.io/x and x name the same repository. */
const normRepo = (r: string): string => r.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '').replace(/^library\//, '');

/** Whether a running image is the target; `why` says what differs. */
export function imageMatchesTarget(image: string, imageID: string | undefined, target: Target): { ok: boolean; why?: string } {
  if (target.image) {
    const t = parseImage(target.image);
    const r = parseImage(image);
    if (t.digest) {
      const ok = r.digest === t.digest || (imageID ?? '').includes(t.digest);
      return ok ? { ok } : { ok, why: `its digest is ${r.digest ?? digestOf(imageID) ?? 'unknown'}, not ${t.digest}` };
    }
    if (normRepo(r.repository) !== normRepo(t.repository)) return { ok: false, why: `repository ${r.repository}, not ${t.repository}` };
    if (t.tag) return r.tag === t.tag ? { ok: true } : { ok: false, why: r.tag ? `tag ${r.tag}, not ${t.tag}` : `it is pinned by digest with no tag, not tag ${t.tag}` };
    // A repository alone names no image: which version must run is target.version's to say.
  }
  const want = parseVersion(target.version);
  if (!want) throw new NoTargetError(target.image ? `image-version: target.image ${target.image} names no tag or digest` : 'image-version needs to know the target');
  const have = imageVersion(image);
  if (!have) return { ok: false, why: `its tag says no version (${parseImage(image).tag ?? 'digest only'}); set target.image to compare by image` };
  return compareVersions(have, want) === 0 ? { ok: true } : { ok: false, why: `version ${formatVersion(have)}, not ${formatVersion(want)}` };
}

const digestOf = (imageID: string | undefined): string | undefined => /sha256:[0-9a-f]+/.exec(imageID ?? '')?.[0];

/** The Deployment's newest ReplicaSet (highest revision annotation), the one every pod must come from. */
export function newestReplicaSet(deployment: KubeDeployment, replicaSets: readonly KubeReplicaSet[]): KubeReplicaSet | undefined {
  const owned = replicaSets.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && (o.uid && deployment.metadata.uid ? o.uid === deployment.metadata.uid : o.name === deployment.metadata.name)));
  return owned.sort((a, b) => Number(b.metadata.annotations?.[REVISION] ?? 0) - Number(a.metadata.annotations?.[REVISION] ?? 0))[0];
}

function podOwner(p: KubePod): string | undefined {
  return p.metadata.ownerReferences?.find((o) => o.kind === 'ReplicaSet')?.name;
}

export const imageVersionCheck = defineCheck({
  meta: {
    id: 'image-version',
    phase: 'post',
    title: 'Every Mattermost pod runs the target image from the newest ReplicaSet',
    failureTitle: 'Some Mattermost pods do not run the target image, are from an old ReplicaSet, or are not ready',
    description: 'After the upgrade, every Mattermost pod (and every dedicated job server pod) must run the target image (by tag or digest), belong to its Deployment\'s newest ReplicaSet and have all containers ready. A pod left on the old image or the old ReplicaSet means a stuck or partial rollout: some users stay on the old server.',
    requires: ['pods', 'deployments', 'replicaSets', 'installation'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input, ctx) {
    if (!ctx.target.image && !ctx.target.version) throw new NoTargetError('image-version cannot judge');
    const fails: Finding[] = [];
    const cr = input.installation;
    const groups: { role: string; container: string; deploymentName: string; pods: KubePod[] }[] = [
      { role: 'Mattermost', container: APP_CONTAINER, deploymentName: workloadName(ctx.scope), pods: mattermostPods(input.pods, ctx.scope) },
    ];
    if (cr?.spec?.jobServer?.dedicatedJobServer) {
      groups.push({ role: 'job server', container: JOBSERVER_CONTAINER, deploymentName: `${ctx.scope.installation}-jobserver`, pods: jobServerPods(input.pods, ctx.scope) });
    }
    let total = 0;
    let onTarget = 0;
    let oldRs = 0;
    let notReady = 0;
    for (const g of groups) {
      const deployment = input.deployments.find((d) => d.metadata.name === g.deploymentName);
      const deployRef = { kind: 'Deployment', namespace: ctx.scope.namespace, name: g.deploymentName };
      if (g.pods.length === 0) {
        fails.push({
          message: `no ${g.role} pods of installation ${ctx.scope.installation} were found in namespace ${ctx.scope.namespace}`,
          subject: deployRef, expected: `${g.role} pods running ${describeTarget(ctx.target)}`, actual: 'no pods',
          remediation: `kubectl -n ${ctx.scope.namespace} get deploy ${g.deploymentName} && kubectl -n ${ctx.scope.namespace} describe rs -l app=${g.role === 'job server' ? 'mattermost-jobserver' : 'mattermost'}: find why the Deployment has no pods (quota, scheduling, image pull)`,
        });
        continue;
      }
      const newest = deployment ? newestReplicaSet(deployment, input.replicaSets) : undefined;
      if (!deployment) {
        fails.push({ message: `Deployment ${g.deploymentName} was not found, so the pods' ReplicaSet cannot be checked`, subject: deployRef, expected: 'the Deployment exists', actual: 'not found', remediation: 'check kube.installation names the Mattermost custom resource (the operator names the Deployment after it)' });
      } else if (!newest) {
        fails.push({ message: `Deployment ${g.deploymentName} owns no ReplicaSet`, subject: deployRef, expected: 'a newest ReplicaSet', actual: 'none', remediation: `kubectl -n ${ctx.scope.namespace} describe deploy ${g.deploymentName}` });
      }
      const newestHash = newest?.metadata.labels?.[HASH];
      for (const p of g.pods) {
        total++;
        const cs = appContainerStatus(p, g.container);
        const specImage = p.spec?.containers.find((c) => c.name === g.container)?.image ?? (p.spec?.containers.length === 1 ? p.spec.containers[0]?.image : undefined);
        const image = cs?.image ?? specImage;
        if (!image) {
          fails.push({ message: `pod ${p.metadata.name} has no ${g.container} container`, subject: podRef(p), expected: `container ${g.container}`, actual: `containers: ${p.spec?.containers.map((c) => c.name).join(', ') || 'none'}`, remediation: 'check the pod template of the Deployment' });
          continue;
        }
        const match = imageMatchesTarget(image, cs?.imageID, ctx.target);
        // The spec says what the pod should run; the status what it runs. Both must be the target.
        const specMatch = specImage && specImage !== image ? imageMatchesTarget(specImage, undefined, ctx.target) : match;
        if (match.ok && specMatch.ok) onTarget++;
        else {
          fails.push({
            message: `${g.role} pod ${p.metadata.name} runs ${image}: ${match.ok ? `its spec asks for ${specImage}: ${specMatch.why}` : match.why}`,
            subject: podRef(p), expected: describeTarget(ctx.target), actual: image,
            remediation: `the rollout did not finish: kubectl -n ${ctx.scope.namespace} rollout status deploy/${g.deploymentName}; check the Mattermost CR spec.image/spec.version and the operator logs`,
            ...(cs?.imageID ? { evidence: [`imageID: ${cs.imageID}`] } : {}),
          });
        }
        if (newest) {
          const owner = podOwner(p);
          const hash = p.metadata.labels?.[HASH];
          const current = owner ? owner === newest.metadata.name : hash !== undefined && hash === newestHash;
          if (!current) {
            oldRs++;
            fails.push({
              message: `${g.role} pod ${p.metadata.name} belongs to ${owner ? `ReplicaSet ${owner}` : `pod-template-hash ${hash ?? '(none)'}`}, not the newest ReplicaSet ${newest.metadata.name}`,
              subject: podRef(p), expected: `ReplicaSet ${newest.metadata.name} (revision ${newest.metadata.annotations?.[REVISION] ?? '?'})`, actual: owner ?? hash ?? 'no owner',
              remediation: `an old pod is still serving: kubectl -n ${ctx.scope.namespace} rollout status deploy/${g.deploymentName}; if the rollout is stuck, find why the new pods are not ready (kubectl describe pod)`,
            });
          }
        }
        const unready = (p.status?.containerStatuses ?? []).filter((c) => !c.ready).map((c) => c.name);
        if (!isPodReady(p) || unready.length > 0 || !cs) {
          notReady++;
          fails.push({
            message: `${g.role} pod ${p.metadata.name} is not ready${unready.length ? ` (containers not ready: ${unready.join(', ')})` : !cs ? ` (no status for container ${g.container})` : ''}`,
            subject: podRef(p), expected: 'pod Ready and every container ready', actual: `phase ${p.status?.phase ?? 'unknown'}${cs?.state?.waiting?.reason ? `, ${g.container} waiting: ${cs.state.waiting.reason}` : ''}`,
            remediation: `kubectl -n ${ctx.scope.namespace} describe pod ${p.metadata.name}; kubectl -n ${ctx.scope.namespace} logs ${p.metadata.name} -c ${g.container}`,
            ...(cs?.state?.waiting?.message ? { evidence: [cs.state.waiting.message] } : {}),
          });
        }
      }
    }
    return outcomeOf({
      fails,
      summary: `${onTarget}/${total} pods run ${describeTarget(ctx.target)}${oldRs ? `, ${oldRs} from an old ReplicaSet` : ''}${notReady ? `, ${notReady} not ready` : ''}`,
      measured: { pods: total, podsOnTarget: onTarget, podsFromOldReplicaSet: oldRs, podsNotReady: notReady },
    });
  },
});

export default imageVersionCheck;

/**
 * Prevents declaring an upgrade done while the operator or Kubernetes is still rolling it: the
 * Mattermost custom resource must be `stable` with every replica updated for the current
 * generation, and the Deployment must report a complete rollout (Progressing with reason
 * NewReplicaSetAvailable, every replica updated and available). Judging a half-rolled cluster
 * would test a mix of old and new servers, and a rollout stuck on progress deadline would never
 * finish on its own.
 */
import { crKind, crResource, workloadName } from '../../core/installation.js';
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import type { KubeDeployment } from '../../core/kube-types.js';
import { installationRef } from '../../core/mattermost.js';
import { outcomeOf } from '../../core/outcome.js';
import type { Finding, Scope } from '../../core/types.js';

function deploymentFindings(d: KubeDeployment | undefined, name: string, scope: Scope, role: string): Finding[] {
  const subject = { kind: 'Deployment', namespace: scope.namespace, name };
  const fix = `kubectl -n ${scope.namespace} rollout status deploy/${name}; kubectl -n ${scope.namespace} describe deploy ${name}`;
  if (!d) return [{ message: `the ${role} Deployment ${name} does not exist`, subject, expected: 'the Deployment exists', actual: 'not found', remediation: 'check kube.installation names the Mattermost custom resource, and the operator logs' }];
  const out: Finding[] = [];
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  const gen = d.metadata.generation;
  if (gen !== undefined && (s.observedGeneration ?? -1) < gen) {
    out.push({ message: `Deployment ${name} has not observed its latest spec (generation ${gen}, observed ${s.observedGeneration ?? 'none'})`, subject, expected: `observedGeneration ≥ ${gen}`, actual: String(s.observedGeneration ?? 'none'), remediation: `the Deployment controller is behind: ${fix}` });
  }
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status !== 'True' || progressing.reason !== 'NewReplicaSetAvailable') {
    out.push({
      message: `Deployment ${name} rollout is not complete${progressing?.reason === 'ProgressDeadlineExceeded' ? ': it exceeded its progress deadline' : ''}`,
      subject, expected: 'Progressing=True, reason NewReplicaSetAvailable',
      actual: progressing ? `Progressing=${progressing.status}, reason ${progressing.reason ?? 'none'}` : 'no Progressing condition',
      remediation: fix, ...(progressing?.message ? { evidence: [progressing.message] } : {}),
    });
  }
  const counts = { replicas: s.replicas ?? 0, updatedReplicas: s.updatedReplicas ?? 0, availableReplicas: s.availableReplicas ?? 0 };
  const off = Object.entries(counts).filter(([, v]) => v !== want);
  if (off.length > 0 || (s.unavailableReplicas ?? 0) > 0) {
    out.push({
      message: `Deployment ${name} has ${counts.updatedReplicas} updated and ${counts.availableReplicas} available of ${counts.replicas} replicas; it wants ${want}`,
      subject, expected: `replicas = updatedReplicas = availableReplicas = ${want}`,
      actual: `replicas ${counts.replicas}, updated ${counts.updatedReplicas}, available ${counts.availableReplicas}${s.unavailableReplicas ? `, unavailable ${s.unavailableReplicas}` : ''}`,
      remediation: `old or unavailable pods remain: ${fix}`,
    });
  }
  return out;
}

export const rolloutStateCheck = defineCheck({
  meta: {
    id: 'rollout-state',
    phase: 'post',
    title: 'The Mattermost resource is stable and its Deployment rollout is complete',
    failureTitle: 'The rollout is not finished: the Mattermost resource is not stable or its Deployment is not complete',
    description: 'The Mattermost custom resource must be stable (status.updatedReplicas = status.replicas = spec.replicas, observedGeneration current, no error) and the Deployment complete (Progressing reason NewReplicaSetAvailable, updatedReplicas = replicas = availableReplicas). Otherwise the cluster still mixes old and new pods, or the rollout is stuck.',
    requires: ['installation', 'deployments'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input, ctx) {
    const cr = input.installation;
    const subject = installationRef(ctx.scope);
    if (!cr) {
      return outcomeOf({ fails: [{ message: `the Mattermost resource ${ctx.scope.installation} does not exist in namespace ${ctx.scope.namespace}`, subject, expected: 'the custom resource exists', actual: 'not found', remediation: `kubectl -n ${ctx.scope.namespace} get ${crResource(ctx.scope)}s; fix kube.installation / kube.namespace` }] });
    }
    const fails: Finding[] = [];
    const st = cr.status ?? {};
    const want = cr.spec?.replicas;
    const fix = `kubectl -n ${ctx.scope.namespace} get ${crResource(ctx.scope)} ${ctx.scope.installation} -o yaml; kubectl -n mattermost-operator logs deploy/mattermost-operator`;
    if (st.state !== 'stable') {
      fails.push({ message: `the Mattermost resource is ${st.state ?? 'without a state'}, not stable`, subject, expected: 'status.state stable', actual: st.state ?? 'none', remediation: `wait for the operator to finish, or find what blocks it: ${fix}`, ...(st.error ? { evidence: [st.error] } : {}) });
    } else if (st.error) {
      fails.push({ message: 'the Mattermost resource reports an error', subject, expected: 'no status.error', actual: st.error, remediation: fix, evidence: [st.error] });
    }
    const gen = cr.metadata.generation;
    // A ClusterInstallation's status has no observedGeneration (its CRD): only v1beta1 can be held to it.
    if (gen !== undefined && crKind(cr, ctx.scope) === 'Mattermost' && (st.observedGeneration ?? -1) < gen) {
      fails.push({ message: `the operator has not observed the latest spec of the Mattermost resource (generation ${gen}, observed ${st.observedGeneration ?? 'none'})`, subject, expected: `status.observedGeneration ≥ ${gen}`, actual: String(st.observedGeneration ?? 'none'), remediation: `the operator has not reconciled the change yet: ${fix}` });
    }
    if (want === undefined || st.replicas !== want || st.updatedReplicas !== want) {
      fails.push({
        message: `the Mattermost resource has ${st.updatedReplicas ?? 'no'} updated of ${st.replicas ?? 'no'} replicas; spec.replicas is ${want ?? 'unset'}`,
        subject, expected: `status.updatedReplicas = status.replicas = spec.replicas${want !== undefined ? ` = ${want}` : ''}`,
        actual: `updatedReplicas ${st.updatedReplicas ?? 'none'}, replicas ${st.replicas ?? 'none'}, spec.replicas ${want ?? 'unset'}`,
        remediation: fix,
      });
    }
    fails.push(...deploymentFindings(input.deployments.find((d) => d.metadata.name === workloadName(ctx.scope)), workloadName(ctx.scope), ctx.scope, 'Mattermost'));
    if (cr.spec?.jobServer?.dedicatedJobServer) {
      const name = `${ctx.scope.installation}-jobserver`;
      fails.push(...deploymentFindings(input.deployments.find((d) => d.metadata.name === name), name, ctx.scope, 'job server'));
    }
    return outcomeOf({
      fails,
      summary: `state ${st.state ?? 'none'}, ${st.updatedReplicas ?? 0}/${want ?? '?'} replicas updated`,
      measured: { replicas: st.replicas ?? 0, updatedReplicas: st.updatedReplicas ?? 0, specReplicas: want ?? 0 },
    });
  },
});

export default rolloutStateCheck;

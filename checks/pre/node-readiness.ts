/**
 * Prevents starting a rolling upgrade on a cluster that cannot place the new pods: a NotReady
 * node or one under memory, disk or PID pressure rejects or evicts pods, so the surge pod and the
 * `mattermost-update-check` job may never start, or the old pods are evicted mid-rollout. A
 * cordoned node takes no new pods either, which usually means maintenance is in progress.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import type { Condition, KubeNode } from '../../core/kube-types.js';
import { outcomeOf } from '../../core/outcome.js';
import type { Finding } from '../../core/types.js';

const PRESSURES = ['MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

const nodeRef = (n: KubeNode) => ({ kind: 'Node', name: n.metadata.name });
const conditionOf = (n: KubeNode, type: string): Condition | undefined => n.status?.conditions?.find((c) => c.type === type);
const conditionEvidence = (c: Condition | undefined): string[] => (c?.reason || c?.message ? [`${c.type}=${c.status} ${c.reason ?? ''}: ${c.message ?? ''}`.trim()] : []);

export const nodeReadiness = defineCheck({
  meta: {
    id: 'node-readiness',
    phase: 'pre',
    title: 'All nodes are Ready, without pressure, and schedulable',
    failureTitle: 'Some nodes are not Ready, under pressure, or cordoned',
    description: 'A NotReady node, or one under memory, disk or PID pressure, cannot take the surge pod or the update job and may evict running Mattermost pods mid-rollout.',
    requires: ['nodes'],
    recommended: 'error',
  },
  options: z.strictObject({
    cordonedBlocks: z.boolean().default(false).describe('A cordoned (unschedulable) node fails the check instead of warning.'),
  }),
  evaluate({ nodes }, { options, scope }) {
    if (nodes.length === 0) {
      return outcomeOf({
        fails: [{
          message: 'The cluster has no nodes: nothing can schedule the new Mattermost pods',
          subject: { kind: 'Cluster', name: scope.context ?? 'current kubeconfig context' }, expected: 'at least one Ready node', actual: '0 nodes',
          remediation: 'Check the kubeconfig context points at the right cluster (kubectl get nodes) and that its node pools are up.',
        }],
        measured: { nodesTotal: 0, nodesReady: 0 },
      });
    }
    const fails: Finding[] = [];
    const warns: Finding[] = [];
    let ready = 0;
    let cordoned = 0;
    for (const n of nodes) {
      const readyCondition = conditionOf(n, 'Ready');
      if (readyCondition?.status === 'True') ready++;
      else {
        fails.push({
          message: `Node ${n.metadata.name} is not Ready`,
          subject: nodeRef(n), expected: 'Ready=True', actual: `Ready=${readyCondition?.status ?? 'missing'}`,
          remediation: `kubectl describe node ${n.metadata.name}: check the kubelet and container runtime, or drain and replace the node before upgrading.`,
          evidence: conditionEvidence(readyCondition),
        });
      }
      for (const type of PRESSURES) {
        const c = conditionOf(n, type);
        if (c?.status !== 'True') continue;
        fails.push({
          message: `Node ${n.metadata.name} reports ${type}`,
          subject: nodeRef(n), expected: `${type}=False`, actual: `${type}=True`,
          remediation: `Free ${type.replace('Pressure', '').toLowerCase()} on ${n.metadata.name} (kubectl describe node ${n.metadata.name}) or move workloads off it: the kubelet rejects and evicts pods under pressure.`,
          evidence: conditionEvidence(c),
        });
      }
      if (n.spec?.unschedulable) {
        cordoned++;
        (options.cordonedBlocks ? fails : warns).push({
          message: `Node ${n.metadata.name} is cordoned: it takes no new pods`,
          subject: nodeRef(n), expected: 'schedulable', actual: 'spec.unschedulable=true',
          remediation: `Finish the node maintenance and run kubectl uncordon ${n.metadata.name}, or upgrade after it; the rollout has one node fewer for its surge pod.`,
        });
      }
    }
    return outcomeOf({
      fails, warns,
      summary: `${ready} of ${nodes.length} nodes Ready${cordoned ? `, ${cordoned} cordoned` : ''}`,
      measured: { nodesTotal: nodes.length, nodesReady: ready, nodesCordoned: cordoned },
    });
  },
});

export default nodeReadiness;

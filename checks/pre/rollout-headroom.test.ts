import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NodeMetrics } from '../../core/kube-types.js';
import { summarizeClusterPods } from '../../core/cluster-pods.js';
import { runCheck, type CheckCase } from '../../core/testing.js';
import type { CheckResult } from '../../core/types.js';
import { deployment, failed, mattermost, node, pod } from '../fixtures.js';
import { rolloutHeadroom } from './rollout-headroom.js';

type Options = { surgePods?: number; reserve: number };

// Three 2-core / 8Gi workers; the two Mattermost pods (500m / 1Gi) sit on w1 and w2.
const workers = ['w1', 'w2', 'w3'].map((name) => node({ name, cpu: '2', memory: '8Gi' }));
const running = [pod({ name: 'mm-7d9c6b5f4-abcde', nodeName: 'w1' }), pod({ name: 'mm-7d9c6b5f4-fghij', nodeName: 'w2' })];
/** A pod of another team that takes `cpu` and `memory` on a node. */
const filler = (nodeName: string, cpu: string, memory: string) =>
  pod({ name: `batch-${nodeName}`, namespace: 'analytics', app: 'batch', nodeName, requests: { cpu, memory } });
const full = [...running, filler('w1', '1400m', '4Gi'), filler('w2', '1400m', '4Gi'), filler('w3', '1800m', '4Gi')];
/** The pod with an init container requesting `cpu`: the scheduler reserves the larger of it and the containers. */
const withInit = (p: ReturnType<typeof pod>, cpu: string) => ({ ...p, spec: { ...p.spec!, initContainers: [{ name: 'init', image: 'busybox', resources: { requests: { cpu } } }] } });
const metrics = (memory: Record<string, string>): NodeMetrics => ({ available: true, items: Object.entries(memory).map(([name, m]) => ({ name, cpu: '400m', memory: m })) });
/** Names n00, n01, … of `count` nodes. */
const many = (count: number): string[] => Array.from({ length: count }, (_, i) => `n${String(i).padStart(2, '0')}`);
const bgScope = { kind: 'ClusterInstallation', workload: 'mm-blue' } as const;
/** A v1alpha1 ClusterInstallation (blue/green) with the given spec. */
const clusterInstallation = (spec: Record<string, unknown>) => ({ apiVersion: 'mattermost.com/v1alpha1', kind: 'ClusterInstallation', metadata: { name: 'mm', namespace: 'mattermost' }, spec: { replicas: 2, ...spec } });
const base = { nodes: workers, clusterPods: summarizeClusterPods(running), installation: mattermost(), deployments: [deployment({})] };

const cases: { name: string; input: CheckCase<Options>; status: CheckResult['status']; then?: (r: CheckResult) => void }[] = [
  {
    name: 'room for the surge pod passes and reports usage from metrics',
    input: { data: { ...base, nodeMetrics: metrics({ w1: '3Gi', w2: '3Gi', w3: '2Gi' }) } },
    status: 'pass',
    then: (r) => {
      assert.equal(r.measured?.['surgePods'], 1);
      assert.equal(r.measured?.['surgePodsFit'], 10, 'w1 and w2: 3 each by CPU; w3: 4');
      assert.equal(r.measured?.['node.w3.freeCpuCores'], 2);
      assert.equal(r.measured?.['node.w1.freeMemoryBytes'], 7 * 2 ** 30);
      assert.equal(r.measured?.['node.w1.memoryUsagePercent'], 38);
      assert.equal(r.measured?.['node.w1.cpuUsagePercent'], 20);
      assert.doesNotMatch(r.summary ?? '', /metrics\.k8s\.io/);
      assert.equal(r.summary, 'room for 10 pod(s) of 500m CPU, 1Gi memory on 3 eligible node(s); the rollout needs 1');
      assert.equal(r.measured?.['requestCpuCores'], 0.5);
      assert.equal(r.measured?.['requestMemoryBytes'], 2 ** 30);
      assert.equal(r.measured?.['requiredPods'], 1);
    },
  },
  {
    name: 'no room on any node fails with each node\'s free CPU and memory',
    input: { data: { ...base, clusterPods: summarizeClusterPods(full) } },
    status: 'fail',
    then: (r) => {
      const f = r.findings[0];
      assert.equal(f?.message, 'Room for 0 of the 1 extra pods the rollout starts at once (500m CPU, 1Gi memory each)');
      assert.deepEqual(f?.subject, { kind: 'Deployment', namespace: 'mattermost', name: 'mm' });
      assert.equal(f?.actual, 'room for 0 (3 eligible node(s))');
      assert.deepEqual(f?.evidence, [
        'w1: free 100m CPU, 3Gi memory, 108 pod slots',
        'w2: free 100m CPU, 3Gi memory, 108 pod slots',
        'w3: free 200m CPU, 4Gi memory, 109 pod slots',
      ]);
      assert.equal(r.measured?.['surgePodsFit'], 0);
    },
  },
  {
    name: 'memory is judged as well as CPU',
    input: { data: { ...base, clusterPods: summarizeClusterPods([...running, filler('w1', '100m', '7Gi'), filler('w2', '100m', '7Gi'), filler('w3', '100m', '7.5Gi')]) } },
    status: 'fail',
    then: (r) => assert.match(r.findings[0]?.evidence?.[2] ?? '', /w3: free 1.9 cores CPU, 512Mi memory/),
  },
  {
    name: 'Recreate fails: a zero-downtime rollout is impossible',
    input: { data: { ...base, deployments: [deployment({ strategy: 'Recreate' })] } },
    status: 'fail',
    then: (r) => {
      assert.match(r.findings[0]?.message ?? '', /Recreate strategy.*zero-downtime rollout is impossible/);
      assert.equal(r.findings[0]?.actual, 'strategy Recreate');
      assert.match(r.findings[0]?.remediation ?? '', /deploymentStrategyType: RollingUpdate/);
    },
  },
  {
    name: 'without metrics.k8s.io the summary says it judged by requests only',
    input: { data: { ...base, nodeMetrics: { available: false, reason: 'the server could not find the requested resource' } } },
    status: 'pass',
    then: (r) => assert.match(r.summary ?? '', /usage not served by metrics\.k8s\.io; judged by requests only/),
  },
  {
    name: 'a node above 90% memory usage warns',
    input: { data: { ...base, nodeMetrics: metrics({ w1: '7.5Gi', w2: '3Gi', w3: '2Gi' }) } },
    status: 'warn',
    then: (r) => {
      assert.deepEqual(r.findings[0]?.subject, { kind: 'Node', name: 'w1' });
      assert.equal(r.findings[0]?.actual, '7.5Gi of 8Gi');
      assert.match(r.findings[0]?.message ?? '', /^Node w1 uses 94% of its allocatable memory/);
      assert.equal(r.findings[0]?.expected, 'memory usage at most 90%');
      assert.equal(r.measured?.['node.w1.memoryUsagePercent'], 94);
    },
  },
  {
    name: 'cordoned, NotReady and untolerated tainted nodes give no room',
    input: { data: { ...base, clusterPods: summarizeClusterPods(full), nodes: [
      ...workers, node({ name: 'cp1', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }),
      node({ name: 'w4', unschedulable: true }), node({ name: 'w5', ready: false }),
    ] } },
    status: 'fail',
    then: (r) => assert.deepEqual(r.findings[0]?.evidence?.slice(3), [
      'cp1: not eligible (taint node-role.kubernetes.io/control-plane:NoSchedule not tolerated)',
      'w4: not eligible (cordoned)', 'w5: not eligible (not Ready)',
    ]),
  },
  {
    name: 'a tolerated taint leaves the node eligible',
    input: { data: { ...base, clusterPods: summarizeClusterPods(full),
      nodes: [...workers, node({ name: 'mm1', taints: [{ key: 'dedicated', value: 'mattermost', effect: 'NoSchedule' }] })],
      deployments: [deployment({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'mattermost', effect: 'NoSchedule' }] })] } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['eligibleNodes'], 4),
  },
  {
    name: 'maxSurge 50% of 4 replicas needs 2 pods, which fit on w3',
    input: { data: { ...base, deployments: [deployment({ replicas: 4, maxSurge: '50%', requests: { cpu: '1', memory: '2Gi' } })],
      clusterPods: summarizeClusterPods([...running, filler('w1', '1200m', '1Gi'), filler('w2', '1200m', '1Gi')]) } },
    status: 'pass',
    then: (r) => { assert.equal(r.measured?.['surgePods'], 2); assert.equal(r.measured?.['surgePodsFit'], 2); },
  },
  {
    name: 'the surgePods option overrides the strategy',
    input: { data: { ...base, clusterPods: summarizeClusterPods([...running, filler('w1', '1000m', '1Gi'), filler('w2', '1000m', '1Gi'), filler('w3', '1500m', '1Gi')]) }, options: { surgePods: 4 } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.actual, 'room for 3 (3 eligible node(s))'),
  },
  {
    name: 'the reserve keeps a fraction of every node free',
    input: { data: { ...base, clusterPods: summarizeClusterPods([...running, filler('w1', '1200m', '1Gi'), filler('w2', '1200m', '1Gi'), filler('w3', '1200m', '1Gi')]) }, options: { reserve: 0.25 } },
    status: 'fail',
    then: (r) => assert.match(r.findings[0]?.expected ?? '', /keeping 25% in reserve/),
  },
  {
    name: 'without Deployment requests the CR\'s scheduling requests size the pod',
    input: { data: { ...base, deployments: [deployment({ requests: null })], installation: mattermost({ requests: { cpu: '2500m', memory: '4Gi' } }) } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.measured?.['requestSource'], 'Mattermost spec.scheduling.resources.requests');
      assert.match(r.findings[0]?.message ?? '', /2.5 cores CPU, 4Gi memory each/);
    },
  },
  {
    name: 'pods without requests count as 0 and the summary says so; an unsized Mattermost pod warns',
    input: { data: { ...base, deployments: [deployment({ requests: null })], clusterPods: summarizeClusterPods([...running, pod({ name: 'sidecar-x', app: 'x', nodeName: 'w3', requests: null })]) } },
    status: 'warn',
    then: (r) => {
      assert.match(r.summary ?? '', /1 pod\(s\) on eligible nodes declare no requests and count as 0/);
      assert.match(r.findings[0]?.message ?? '', /declare no CPU or memory requests/);
    },
  },
  {
    name: 'a dedicated job server rolls too: its surge pod needs room as well',
    input: { data: { ...base,
      deployments: [deployment({}), deployment({ name: 'mm-jobserver', container: 'mattermost-jobserver', replicas: 1, requests: { cpu: '1', memory: '2Gi' } })],
      clusterPods: summarizeClusterPods([...running, filler('w1', '1000m', '1Gi'), filler('w2', '1400m', '1Gi'), filler('w3', '1400m', '1Gi')]) } },
    status: 'fail',
    then: (r) => {
      assert.match(r.findings[0]?.message ?? '', /Room for 1 of the 2 extra pods.*job server 1 cores CPU, 2Gi memory/);
      assert.equal(r.measured?.['requiredPods'], 2);
    },
  },
  {
    name: 'maxSurge 0 still needs room for the update job\'s pod of the new version',
    input: { data: { ...base, clusterPods: summarizeClusterPods(full), deployments: [deployment({ maxSurge: 0, maxUnavailable: 1 })] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.measured?.['surgePods'], 0);
      assert.equal(r.measured?.['requiredPods'], 1);
      assert.equal(r.findings[0]?.actual, 'room for 0 (3 eligible node(s))');
      assert.match(r.summary ?? '', /maxSurge is 0: .*needs room only for the update job/);
    },
  },
  {
    name: 'maxSurge 0 with the update job disabled needs no room at all',
    input: { data: { ...base, clusterPods: summarizeClusterPods(full), deployments: [deployment({ maxSurge: 0, maxUnavailable: 1 })], installation: mattermost({ updateJobDisabled: true }) } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['requiredPods'], 0),
  },
  {
    name: 'finished pods (Succeeded, Failed) hold no room: their requests are not counted',
    input: { data: { ...base, clusterPods: summarizeClusterPods([...running,
      ...['w1', 'w2', 'w3'].flatMap((n) => [
        pod({ name: `backup-${n}`, namespace: 'analytics', app: 'backup', nodeName: n, phase: 'Succeeded', requests: { cpu: '1800m', memory: '7Gi' } }),
        pod({ name: `report-${n}`, namespace: 'analytics', app: 'report', nodeName: n, phase: 'Failed', requests: { cpu: '1800m', memory: '7Gi' } }),
      ])]) } },
    status: 'pass',
    then: (r) => {
      assert.equal(r.measured?.['node.w3.freeCpuCores'], 2);
      assert.equal(r.measured?.['node.w1.freeMemoryBytes'], 7 * 2 ** 30);
    },
  },
  {
    name: 'an init container larger than the pod\'s containers is what the scheduler reserves',
    input: { data: { ...base, clusterPods: summarizeClusterPods([...running, ...['w1', 'w2', 'w3'].map((n) => withInit(filler(n, '100m', '1Gi'), '1900m'))]) } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.evidence?.[2], 'w3: free 100m CPU, 7Gi memory, 109 pod slots'),
  },
  {
    name: 'a toleration with operator Exists and no key tolerates every taint',
    input: { data: { ...base, clusterPods: summarizeClusterPods(full),
      nodes: [...workers, node({ name: 'cp1', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] })],
      deployments: [deployment({ tolerations: [{ operator: 'Exists' }] })] } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['eligibleNodes'], 4),
  },
  {
    name: 'a toleration with operator Exists tolerates any value of its key',
    input: { data: { ...base, clusterPods: summarizeClusterPods(full),
      nodes: [...workers, node({ name: 'mm1', taints: [{ key: 'dedicated', value: 'mattermost', effect: 'NoSchedule' }] })],
      deployments: [deployment({ tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }] })] } },
    status: 'pass',
  },
  {
    name: 'a toleration for another effect, key or value does not tolerate; NoExecute excludes, PreferNoSchedule does not',
    input: { data: { ...base, clusterPods: summarizeClusterPods(full),
      nodes: [...workers,
        node({ name: 'x1', taints: [{ key: 'dedicated', value: 'mattermost', effect: 'NoExecute' }] }),
        node({ name: 'x2', taints: [{ key: 'dedicated', value: 'batch', effect: 'NoSchedule' }] }),
        node({ name: 'x3', taints: [{ key: 'gpu', effect: 'NoSchedule' }] }),
        node({ name: 'soft', cpu: '100m', taints: [{ key: 'gpu', effect: 'PreferNoSchedule' }] })],
      deployments: [deployment({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'mattermost', effect: 'NoSchedule' }] })] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.measured?.['eligibleNodes'], 4, 'w1-w3 and soft');
      assert.deepEqual(r.findings[0]?.evidence?.slice(4), [
        'x1: not eligible (taint dedicated=mattermost:NoExecute not tolerated)',
        'x2: not eligible (taint dedicated=batch:NoSchedule not tolerated)',
        'x3: not eligible (taint gpu:NoSchedule not tolerated)',
      ]);
    },
  },
  {
    name: 'a nodeSelector leaves only the nodes with its labels',
    input: { data: { ...base, nodes: [...workers, node({ name: 'mm1', cpu: '100m', labels: { pool: 'mattermost' } })], deployments: [deployment({ nodeSelector: { pool: 'mattermost' } })] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.measured?.['eligibleNodes'], 1);
      assert.deepEqual(r.findings[0]?.evidence?.slice(1), ['w1: not eligible (nodeSelector pool=mattermost not matched)', 'w2: not eligible (nodeSelector pool=mattermost not matched)', 'w3: not eligible (nodeSelector pool=mattermost not matched)']);
    },
  },
  {
    name: 'pod slots count: a node with one free slot takes one pod, not two',
    input: { data: { ...base, nodes: [node({ name: 'w1', cpu: '2', memory: '8Gi', pods: '1' }), node({ name: 'w2', cpu: '2', memory: '8Gi', pods: '1' }), node({ name: 'w3', cpu: '2', memory: '8Gi', pods: '1' })] } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['surgePodsFit'], 1, 'w1 and w2 are full; w3 has one slot'),
  },
  {
    name: 'each placed pod takes its slot and its memory: two surge pods do not fit where one does',
    input: { data: { ...base, nodes: [node({ name: 'w1', cpu: '2', memory: '8Gi', pods: '1' }), node({ name: 'w2', cpu: '2', memory: '8Gi', pods: '1' }), node({ name: 'w3', cpu: '2', memory: '8Gi', pods: '1' })] }, options: { surgePods: 2 } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.actual, 'room for 1 (3 eligible node(s))'),
  },
  {
    name: 'memory placed by one pod is not there for the next',
    input: { data: { ...base, clusterPods: summarizeClusterPods([...running, filler('w1', '100m', '6.5Gi'), filler('w2', '100m', '6.5Gi'), filler('w3', '100m', '6.5Gi')]) }, options: { surgePods: 2 } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.actual, 'room for 1 (3 eligible node(s))', 'only w3 has 1.5Gi free: one 1Gi pod'),
  },
  {
    name: 'the reserve is taken off allocatable CPU and memory',
    input: { data: { ...base, nodeMetrics: metrics({ w1: '3Gi', w2: '3Gi', w3: '2Gi' }) }, options: { reserve: 0.25 } },
    status: 'pass',
    then: (r) => {
      assert.equal(r.measured?.['node.w3.freeCpuCores'], 1.5);
      assert.equal(r.measured?.['node.w3.freeMemoryBytes'], 6 * 2 ** 30);
    },
  },
  {
    name: 'exactly 90% memory usage does not warn; above does',
    input: { data: { ...base, nodes: [node({ name: 'w1', cpu: '2', memory: '10Gi' }), ...workers.slice(1)], nodeMetrics: metrics({ w1: '9Gi', w2: '3Gi', w3: '2Gi' }) } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['node.w1.memoryUsagePercent'], 90),
  },
  {
    name: 'maxSurge given as a plain number string counts as that many pods',
    input: { data: { ...base, deployments: [deployment({ maxSurge: '2' })] } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['surgePods'], 2),
  },
  {
    name: 'neither the Mattermost resource nor its Deployment: cannot tell the pod size, fails',
    input: { data: { ...base, installation: null, deployments: [] } },
    status: 'fail',
    then: (r) => {
      assert.match(r.findings[0]?.message ?? '', /Cannot tell the size of the new Mattermost pods/);
      assert.equal(r.findings[0]?.actual, 'neither found');
    },
  },
  {
    name: 'the largest pods are placed first, so a big job server pod is not crowded out by a small one',
    input: { data: { ...base,
      nodes: workers.slice(0, 2),
      deployments: [deployment({}), deployment({ name: 'mm-jobserver', container: 'mattermost-jobserver', replicas: 1, requests: { cpu: '500m', memory: '4Gi' } })],
      clusterPods: summarizeClusterPods([...running, filler('w1', '100m', '2.5Gi'), filler('w2', '100m', '5.5Gi')]) } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['requiredPods'], 2, 'job server on w1 (4.5Gi free), Mattermost on w2 (1.5Gi free)'),
  },
  {
    name: 'usage is measured only for the nodes metrics.k8s.io reports',
    input: { data: { ...base, nodeMetrics: metrics({ w1: '3Gi' }) } },
    status: 'pass',
    then: (r) => {
      assert.equal(r.measured?.['node.w1.memoryUsagePercent'], 38);
      assert.equal(r.measured?.['node.w1.cpuUsagePercent'], 20);
      assert.equal(r.measured?.['node.w2.memoryUsagePercent'], undefined);
      assert.equal(r.measured?.['node.w2.cpuUsagePercent'], undefined);
    },
  },
  {
    name: 'a pod with only a CPU request is sized by it, and is not counted among pods without requests',
    input: { data: { ...base, deployments: [deployment({ requests: { cpu: '500m' } })], clusterPods: summarizeClusterPods([...running, filler('w3', '100m', '1Gi'), pod({ name: 'cpu-only', app: 'x', nodeName: 'w3', requests: { cpu: '100m' } })]) } },
    status: 'pass',
    then: (r) => {
      assert.equal(r.measured?.['requestCpuCores'], 0.5);
      assert.equal(r.measured?.['requestMemoryBytes'], undefined);
      assert.equal(r.measured?.['requestSource'], 'Deployment mm pod template');
      assert.doesNotMatch(r.summary ?? '', /declare no requests/);
    },
  },
  {
    name: 'without a Deployment, the Mattermost resource sizes the pods and names the subject',
    input: { data: { ...base, deployments: [], installation: mattermost({ requests: { cpu: '2500m', memory: '4Gi' } }) } },
    status: 'fail',
    then: (r) => {
      assert.deepEqual(r.findings[0]?.subject, { kind: 'Deployment', namespace: 'mattermost', name: 'mm' });
      assert.equal(r.measured?.['requestCpuCores'], 2.5);
    },
  },
  {
    name: 'a RollingUpdate without maxSurge surges one pod, the Deployment controller\'s default',
    input: { data: { ...base, deployments: [{ ...deployment({}), spec: { ...deployment({}).spec!, strategy: { type: 'RollingUpdate' } } }] } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['surgePods'], 1),
  },
  {
    name: 'a toleration with an empty effect, or Exists with an empty key, tolerates as Kubernetes does',
    input: { data: { ...base, clusterPods: summarizeClusterPods(full),
      nodes: [...workers, node({ name: 'x1', taints: [{ key: 'dedicated', value: 'mattermost', effect: 'NoExecute' }] }), node({ name: 'x2', taints: [{ key: 'gpu', effect: 'NoSchedule' }] })],
      deployments: [deployment({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'mattermost', effect: '' }, { key: '', operator: 'Exists', effect: 'NoSchedule' }] })] } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['eligibleNodes'], 5),
  },
  {
    name: 'nodes read without status, conditions or a Ready condition are not Ready; a Ready node without spec or allocatable is eligible but offers no room',
    input: { data: { ...base, clusterPods: summarizeClusterPods(full), nodes: [...workers,
      { metadata: { name: 'bare' } }, { metadata: { name: 'no-conditions' }, status: {} },
      { metadata: { name: 'no-ready' }, status: { conditions: [{ type: 'MemoryPressure', status: 'False' }] } },
      { metadata: { name: 'no-spec' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.measured?.['eligibleNodes'], 4);
      assert.deepEqual(r.findings[0]?.evidence?.slice(3), [
        'no-spec: free 0m CPU, 0Mi memory, 110 pod slots',
        'bare: not eligible (not Ready)', 'no-conditions: not eligible (not Ready)', 'no-ready: not eligible (not Ready)',
      ]);
    },
  },
  {
    name: 'a node without labels does not match a nodeSelector',
    input: { data: { ...base, nodes: [{ metadata: { name: 'w9' }, status: { conditions: [{ type: 'Ready', status: 'True' }], allocatable: { cpu: '2', memory: '8Gi' } } }],
      deployments: [deployment({ nodeSelector: { pool: 'mattermost' } })] } },
    status: 'fail',
    then: (r) => assert.deepEqual(r.findings[0]?.evidence, ['w9: not eligible (nodeSelector pool=mattermost not matched)']),
  },
  {
    name: 'a node that reports no allocatable figures gets no usage percentages and no memory warning',
    input: { data: { ...base, nodes: [...workers, { metadata: { name: 'w9' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }],
      nodeMetrics: metrics({ w1: '3Gi', w2: '3Gi', w3: '2Gi', w9: '3Gi' }) } },
    status: 'pass',
    then: (r) => {
      assert.equal(r.measured?.['node.w9.freeCpuCores'], 0);
      assert.ok(!Object.hasOwn(r.measured ?? {}, 'node.w9.cpuUsagePercent'));
      assert.ok(!Object.hasOwn(r.measured ?? {}, 'node.w9.memoryUsagePercent'));
      assert.equal(r.measured?.['node.w1.memoryUsagePercent'], 38);
    },
  },
  {
    name: 'a toleration must name the taint\'s key: Exists for another key, or Equal with the same value under another key, does not tolerate',
    input: { data: { ...base, clusterPods: summarizeClusterPods(full),
      nodes: [...workers, node({ name: 'mm1', taints: [{ key: 'dedicated', value: 'mattermost', effect: 'NoSchedule' }] })],
      deployments: [deployment({ tolerations: [{ key: 'team', operator: 'Exists' }, { key: 'team', operator: 'Equal', value: 'mattermost' }] })] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.measured?.['eligibleNodes'], 3);
      assert.equal(r.findings[0]?.evidence?.[3], 'mm1: not eligible (taint dedicated=mattermost:NoSchedule not tolerated)');
    },
  },
  {
    name: 'a pod that uses exactly the memory left on a node fits',
    input: { data: { ...base, nodes: [node({ name: 'w1', cpu: '2', memory: '1Gi' })], clusterPods: summarizeClusterPods([]) } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['surgePodsFit'], 1),
  },
  {
    name: 'a pod with only a CPU request is described as such when it does not fit',
    input: { data: { ...base, clusterPods: summarizeClusterPods(full), deployments: [deployment({ requests: { cpu: '500m' } })] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings[0]?.message, 'Room for 0 of the 1 extra pods the rollout starts at once (500m CPU, no memory request each)');
      assert.ok(!Object.hasOwn(r.measured ?? {}, 'requestMemoryBytes'));
    },
  },
  {
    name: 'a pod with only a memory request is sized by the Deployment and judged, without a warning',
    input: { data: { ...base, deployments: [deployment({ requests: { memory: '1Gi' } })], installation: mattermost({ requests: { cpu: '2500m', memory: '4Gi' } }) } },
    status: 'pass',
    then: (r) => {
      assert.equal(r.measured?.['requestSource'], 'Deployment mm pod template');
      assert.equal(r.measured?.['requestMemoryBytes'], 2 ** 30);
      assert.ok(!Object.hasOwn(r.measured ?? {}, 'requestCpuCores'));
      assert.match(r.summary ?? '', /^room for \d+ pod\(s\) of no CPU request, 1Gi memory on 3 eligible node\(s\)/);
    },
  },
  ...([
    ['the larger memory request goes first, even when listed first', { cpu: '500m', memory: '4Gi' }, { cpu: '500m', memory: '1Gi' }, ['4.5Gi', '1.5Gi'], ['2', '2']],
    ['with equal memory the larger CPU request goes first (job server larger)', { cpu: '500m', memory: '1Gi' }, { cpu: '1500m', memory: '1Gi' }, ['8Gi', '8Gi'], ['1600m', '600m']],
    ['with equal memory the larger CPU request goes first (Mattermost larger)', { cpu: '1500m', memory: '1Gi' }, { cpu: '500m', memory: '1Gi' }, ['8Gi', '8Gi'], ['1600m', '600m']],
  ] as const).map(([what, mm, js, memory, cpu]) => ({
    name: `placement: ${what}, so both pods fit where they can`,
    input: { data: { ...base, clusterPods: summarizeClusterPods([]),
      nodes: [node({ name: 'w1', cpu: cpu[0], memory: memory[0] }), node({ name: 'w2', cpu: cpu[1], memory: memory[1] })],
      deployments: [deployment({ requests: mm }), deployment({ name: 'mm-jobserver', container: 'mattermost-jobserver', replicas: 1, requests: js })] } },
    status: 'pass' as const,
    then: (r: CheckResult) => assert.equal(r.measured?.['requiredPods'], 2),
  })),
  {
    name: 'without the Mattermost resource the Deployment alone is judged, and the update job is assumed on',
    input: { data: { ...base, installation: null, clusterPods: summarizeClusterPods(full), deployments: [deployment({ maxSurge: 0, maxUnavailable: 1 })] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.measured?.['requiredPods'], 1);
      assert.equal(r.findings[0]?.actual, 'room for 0 (3 eligible node(s))');
    },
  },
  {
    name: 'a job server Deployment without replicas or requests surges one pod with no requests',
    input: { data: { ...base, installation: null, deployments: [deployment({}), (() => {
      const js = deployment({ name: 'mm-jobserver', container: 'mattermost-jobserver', requests: null });
      return { ...js, spec: { ...js.spec, replicas: undefined } };
    })()] } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['requiredPods'], 2),
  },
  {
    name: 'a Mattermost resource without spec and a Deployment without strategy, replicas or requests: RollingUpdate of one surge pod, unsized',
    input: { data: { ...base, installation: { apiVersion: 'installation.mattermost.com/v1beta1', kind: 'Mattermost', metadata: { name: 'mm', namespace: 'mattermost' } },
      deployments: [(() => { const d = deployment({ requests: null }); return { ...d, spec: { template: d.spec?.template } }; })()] } },
    status: 'warn',
    then: (r) => {
      assert.equal(r.measured?.['surgePods'], 1);
      assert.equal(r.measured?.['requiredPods'], 1);
      assert.equal(r.measured?.['requestSource'], 'none');
      assert.match(r.findings[0]?.message ?? '', /declare no CPU or memory requests/);
    },
  },
  ...([['no spec', undefined], ['no template', {}], ['a template without spec', { template: {} }]] as const).map(([what, spec]) => ({
    name: `a Deployment read with ${what} is sized from the Mattermost resource, RollingUpdate by default`,
    input: { data: { ...base, installation: mattermost({ requests: { cpu: '500m', memory: '1Gi' } }), deployments: [{ ...deployment({}), spec }] } },
    status: 'pass' as const,
    then: (r: CheckResult) => {
      assert.equal(r.measured?.['requestSource'], 'Mattermost spec.scheduling.resources.requests');
      assert.equal(r.measured?.['surgePods'], 1);
    },
  })),
  {
    name: 'without a Deployment, the Mattermost resource\'s scheduling places the pods even without requests',
    input: { data: { ...base, deployments: [], nodes: [...workers, node({ name: 'mm1', labels: { pool: 'mattermost' } })],
      installation: (() => { const cr = mattermost(); return { ...cr, spec: { ...cr.spec, scheduling: { nodeSelector: { pool: 'mattermost' } } as never } }; })() } },
    status: 'warn',
    then: (r) => {
      assert.equal(r.measured?.['eligibleNodes'], 1);
      assert.equal(r.measured?.['requestSource'], 'none');
    },
  },
  {
    name: 'blue/green: the ClusterInstallation\'s spec.resources size the colour\'s pods, and the colour\'s job server rolls too',
    input: { scope: bgScope, data: { ...base, installation: clusterInstallation({ resources: { requests: { cpu: '1', memory: '2Gi' } } }),
      deployments: [deployment({ name: 'mm-blue', requests: null }), deployment({ name: 'mm-blue-jobserver', container: 'mattermost-jobserver', replicas: 1, requests: { cpu: '1', memory: '2Gi' } })] } },
    status: 'pass',
    then: (r) => {
      assert.equal(r.measured?.['requestSource'], 'ClusterInstallation spec.resources.requests');
      assert.equal(r.measured?.['requestCpuCores'], 1);
      assert.equal(r.measured?.['requiredPods'], 2);
    },
  },
  ...([['an empty spec', {}], ['no spec', undefined]] as const).map(([what, spec]) => ({
    name: `blue/green: a ClusterInstallation with ${what} gives no size: unsized pods warn`,
    input: { scope: bgScope, data: { ...base, installation: { ...clusterInstallation({}), spec }, deployments: [deployment({ name: 'mm-blue', requests: null })] } },
    status: 'warn' as const,
    then: (r: CheckResult) => assert.equal(r.measured?.['requestSource'], 'none'),
  })),
  {
    name: 'past 50 nodes the evidence and the per-node figures stop, saying how many more there are',
    input: { data: { ...base, nodes: many(52).map((name) => node({ name, cpu: '2', memory: '8Gi' })),
      clusterPods: summarizeClusterPods(many(52).map((n) => filler(n, '1900m', '1Gi'))), nodeMetrics: metrics(Object.fromEntries(many(52).map((n) => [n, '2Gi']))) } },
    status: 'fail',
    then: (r) => {
      const evidence = r.findings[0]?.evidence ?? [];
      assert.equal(evidence.length, 51);
      assert.equal(evidence[49], 'n49: free 100m CPU, 7Gi memory, 109 pod slots');
      assert.equal(evidence[50], '… and 2 more nodes');
      assert.equal(r.measured?.['eligibleNodes'], 52);
      assert.equal(r.measured?.['node.n49.freeCpuCores'], 0.1);
      assert.equal(r.measured?.['node.n49.memoryUsagePercent'], 25);
      assert.equal(r.measured?.['node.n49.cpuUsagePercent'], 20);
      for (const k of ['freeCpuCores', 'freeMemoryBytes', 'memoryUsagePercent', 'cpuUsagePercent']) assert.ok(!Object.hasOwn(r.measured ?? {}, `node.n50.${k}`), k);
    },
  },
  {
    name: 'exactly 50 nodes are all shown, with no "more" line',
    input: { data: { ...base, nodes: many(50).map((name) => node({ name, cpu: '2', memory: '8Gi' })), clusterPods: summarizeClusterPods(many(50).map((n) => filler(n, '1900m', '1Gi'))) } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings[0]?.evidence?.length, 50);
      assert.equal(r.findings[0]?.evidence?.[49], 'n49: free 100m CPU, 7Gi memory, 109 pod slots');
    },
  },
  {
    name: 'a failed clusterPods collector is an error',
    input: { data: { ...base, clusterPods: failed('clusterPods') } },
    status: 'error',
    then: (r) => assert.match(r.error?.message ?? '', /clusterPods/),
  },
  {
    name: 'a missing deployments key is an error',
    input: { data: { nodes: workers, clusterPods: summarizeClusterPods(running), installation: mattermost() } },
    status: 'error',
  },
];

describe('rollout-headroom', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCheck(rolloutHeadroom, c.input);
      assert.equal(r.status, c.status, JSON.stringify(r.findings.length ? r.findings : r.error ?? r.summary));
      c.then?.(r);
    });
  }
});

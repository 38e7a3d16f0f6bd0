import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { summarizeClusterPods } from '../../core/cluster-pods.js';
import { runCheck, type CheckCase } from '../../core/testing.js';
import type { CheckResult } from '../../core/types.js';
import type { KubeJob, KubePod, KubeReplicaSet } from '../../core/kube-types.js';
import { deployment, failed, job, pod } from '../fixtures.js';
import { podHealth } from './pod-health.js';

type Options = { allNamespaces: boolean; maxRestarts: number; ignore: string[]; startupGrace: string };
const app = (name: string, extra: Partial<Parameters<typeof pod>[0]> = {}) => pod({ name, nodeName: 'n1', ...extra });
const healthy = [app('mm-7d9c6b5f4-abcde'), app('mm-7d9c6b5f4-fghij'), pod({ name: 'postgres-0', app: 'postgres', nodeName: 'n2', image: 'postgres:15' })];

const cases: { name: string; input: CheckCase<Options>; status: CheckResult['status']; then?: (r: CheckResult) => void }[] = [
  {
    name: 'Running and Ready pods pass; Succeeded pods are ignored',
    input: { data: { pods: [...healthy, pod({ name: 'backup-29001-x7k2p', app: 'backup', phase: 'Succeeded', nodeName: 'n1' })] } },
    status: 'pass',
    then: (r) => assert.deepEqual(r.measured, { podsJudged: 3, podsHealthy: 3, podsIgnored: 0, mattermostPods: 2 }),
  },
  {
    name: 'CrashLoopBackOff fails with the waiting message and last termination as evidence',
    input: { data: { pods: [healthy[0], app('mm-7d9c6b5f4-fghij', {
      restarts: 3,
      waiting: { reason: 'CrashLoopBackOff', message: 'back-off 2m40s restarting failed container=mattermost pod=mm-7d9c6b5f4-fghij' },
      lastTerminated: { reason: 'Error', exitCode: 1 },
    })] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings.length, 1);
      const f = r.findings[0];
      assert.equal(f?.message, 'Pod mattermost/mm-7d9c6b5f4-fghij: container mattermost is in CrashLoopBackOff');
      assert.deepEqual(f?.subject, { kind: 'Pod', namespace: 'mattermost', name: 'mm-7d9c6b5f4-fghij' });
      assert.equal(f?.actual, 'waiting: CrashLoopBackOff');
      assert.deepEqual(f?.evidence, [
        'mattermost: waiting CrashLoopBackOff: back-off 2m40s restarting failed container=mattermost pod=mm-7d9c6b5f4-fghij',
        'mattermost: last terminated Error (exit code 1)',
      ]);
    },
  },
  {
    name: 'ImagePullBackOff and CreateContainerConfigError fail, each with its own fix',
    input: { data: { pods: [
      app('mm-7d9c6b5f4-abcde', { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "mattermost/mattermost-enterprise-edition:11.7.9"' } }),
      app('mm-7d9c6b5f4-fghij', { waiting: { reason: 'CreateContainerConfigError', message: 'secret "mm-db" not found' } }),
    ] } },
    status: 'fail',
    then: (r) => {
      assert.deepEqual(r.findings.map((f) => f.actual), ['waiting: ImagePullBackOff', 'waiting: CreateContainerConfigError']);
      assert.match(r.findings[0]?.remediation ?? '', /imagePullSecrets/);
      assert.match(r.findings[1]?.remediation ?? '', /Secret or ConfigMap/);
    },
  },
  {
    name: 'restarts over maxRestarts fail; at the threshold they pass',
    input: { data: { pods: [app('mm-7d9c6b5f4-abcde', { restarts: 6, lastTerminated: { reason: 'OOMKilled', exitCode: 137 } }), app('mm-7d9c6b5f4-fghij', { restarts: 5 })] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings.length, 1);
      assert.equal(r.findings[0]?.expected, 'at most 5 restarts');
      assert.equal(r.findings[0]?.actual, '6 restarts');
      assert.deepEqual(r.findings[0]?.evidence, ['mattermost: last terminated OOMKilled (exit code 137)']);
    },
  },
  {
    name: 'a pod Pending past the startup grace fails; a young one only warns',
    input: { data: { pods: [
      ...healthy,
      pod({ name: 'mm-7d9c6b5f4-old01', phase: 'Pending', createdAt: '2026-11-20T11:30:00Z' }),
      pod({ name: 'mm-7d9c6b5f4-new01', phase: 'Pending', createdAt: '2026-11-20T11:58:00Z' }),
    ] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings.length, 2);
      assert.equal(r.findings[0]?.message, 'Pod mattermost/mm-7d9c6b5f4-old01 is Pending');
      assert.equal(r.findings[0]?.actual, 'Pending, created 30 min ago');
      assert.equal(r.findings[1]?.message, 'Pod mattermost/mm-7d9c6b5f4-new01 is Pending (still starting)');
    },
  },
  {
    name: 'a pod that is still starting does not hide an old Pending one after it',
    input: { data: { pods: [
      ...healthy,
      pod({ name: 'mm-7d9c6b5f4-new01', phase: 'Pending', createdAt: '2026-11-20T11:58:00Z' }),
      pod({ name: 'mm-7d9c6b5f4-old01', phase: 'Pending', createdAt: '2026-11-20T11:30:00Z' }),
    ] } },
    status: 'fail',
    then: (r) => assert.deepEqual(r.findings.map((f) => f.subject?.name), ['mm-7d9c6b5f4-old01', 'mm-7d9c6b5f4-new01']),
  },
  {
    name: 'a young not-Ready pod alone is a warning',
    input: { data: { pods: [...healthy, app('mm-7d9c6b5f4-new02', { ready: false, createdAt: '2026-11-20T11:59:00Z' })] } },
    status: 'warn',
    then: (r) => assert.equal(r.findings[0]?.actual, 'Running, not Ready, created 1 min ago'),
  },
  {
    name: 'ignored pods are not judged',
    input: { data: { pods: [...healthy, pod({ name: 'loadtest-agent-1', app: 'loadtest', waiting: { reason: 'CrashLoopBackOff' }, nodeName: 'n1' })] }, options: { ignore: ['^loadtest-'] } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['podsIgnored'], 1),
  },
  {
    name: 'zero Mattermost pods fail: the installation is not running',
    input: { data: { pods: [pod({ name: 'postgres-0', app: 'postgres', nodeName: 'n2' })] } },
    status: 'fail',
    then: (r) => {
      assert.match(r.findings[0]?.message ?? '', /No Mattermost pods of installation mm in namespace mattermost/);
      assert.deepEqual(r.findings[0]?.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm' });
      assert.equal(r.findings[0]?.actual, '0 pods');
    },
  },
  {
    name: 'allNamespaces judges other namespaces from clusterPods',
    input: {
      data: { pods: healthy, clusterPods: summarizeClusterPods([...healthy, pod({ name: 'coredns-5d78c9869d-q8x2v', namespace: 'kube-system', app: 'kube-dns', nodeName: 'n1', waiting: { reason: 'CrashLoopBackOff' } }), pod({ name: 'web-1', namespace: 'shop', app: 'web', nodeName: 'n1' })]) },
      options: { allNamespaces: true },
    },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings.length, 1, 'installation pods are judged once, not twice');
      // The healthy pod of another namespace is only counted (reduced as read), yet judged healthy.
      assert.equal(r.measured?.['podsJudged'], healthy.length + 2);
      assert.equal(r.measured?.['podsHealthy'], healthy.length + 1);
      assert.deepEqual(r.findings[0]?.subject, { kind: 'Pod', namespace: 'kube-system', name: 'coredns-5d78c9869d-q8x2v' });
    },
  },
  {
    name: 'allNamespaces with a failed clusterPods collector is an error (fail closed)',
    input: { data: { pods: healthy, clusterPods: failed('clusterPods') }, options: { allNamespaces: true } },
    status: 'error',
    then: (r) => assert.match(r.error?.message ?? '', /allNamespaces is on .*403/),
  },
  {
    name: 'allNamespaces without clusterPods in the snapshot is an error',
    input: { data: { pods: healthy }, options: { allNamespaces: true } },
    status: 'error',
  },
  {
    name: 'a failed pods collector is an error',
    input: { data: { pods: failed('pods') } },
    status: 'error',
    then: (r) => assert.equal(r.error?.code, 'COLLECTOR_FAILED'),
  },
];

describe('pod-health', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCheck(podHealth, c.input);
      assert.equal(r.status, c.status, JSON.stringify(r.findings.length ? r.findings : r.error));
      c.then?.(r);
    });
  }
  it('rejects an invalid ignore pattern at config time', () => {
    assert.throws(() => podHealth.options.parse({ ignore: ['(unclosed'] }), /valid regular expression/);
  });
});

// ---- Current pods against history: a pod that failed and was replaced is a warning, not a block.

const evicted = (name: string): KubePod => {
  const p = pod({ name, phase: 'Failed', nodeName: 'n1', createdAt: '2026-11-15T08:00:00Z' });
  return { ...p, status: { ...p.status, reason: 'Evicted', message: 'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91Mi.' } };
};
const replicaSet = (name: string, replicas: number, ready: number, deploymentName?: string): KubeReplicaSet => ({
  apiVersion: 'apps/v1', kind: 'ReplicaSet',
  metadata: { name, namespace: 'mattermost', ...(deploymentName ? { ownerReferences: [{ kind: 'Deployment', name: deploymentName, controller: true }] } : {}) },
  spec: { replicas }, status: { replicas, readyReplicas: ready },
});
const jobPod = (name: string, jobName: string): KubePod => {
  const p = pod({ name, app: 'mattermost-update-check', phase: 'Failed', nodeName: 'n1' });
  return { ...p, metadata: { ...p.metadata, ownerReferences: [{ kind: 'Job', name: jobName, controller: true }] } };
};
const completedJob: KubeJob = { ...job({ name: 'mattermost-update-check', succeeded: 1 }), status: { succeeded: 1, failed: 1, conditions: [{ type: 'Complete', status: 'True' }] } };

const historyCases: { name: string; input: CheckCase<Options>; status: CheckResult['status']; then: (r: CheckResult) => void }[] = [
  {
    name: 'Evicted and replaced (its Deployment has every replica ready): a warning with kubectl delete pod',
    input: { data: { pods: [...healthy, evicted('mm-7d9c6b5f4-ev1ct')], replicaSets: [replicaSet('mm-7d9c6b5f4', 2, 2, 'mm')], deployments: [deployment({ replicas: 2 })] } },
    status: 'warn',
    then: (r) => {
      assert.equal(r.findings.length, 1);
      const f = r.findings[0];
      assert.deepEqual(f?.subject, { kind: 'Pod', namespace: 'mattermost', name: 'mm-7d9c6b5f4-ev1ct' });
      assert.match(f?.message ?? '', /failed \(Evicted\) and is history: Deployment mm has 2\/2 ready replicas/);
      assert.equal(f?.remediation?.startsWith('kubectl -n mattermost delete pod mm-7d9c6b5f4-ev1ct'), true);
      assert.doesNotMatch(f?.remediation ?? '', /readiness probe/);
      assert.deepEqual(f?.evidence, ['pod: The node was low on resource: memory. Threshold quantity: 100Mi, available: 91Mi.']);
      assert.equal(r.measured?.['podsHistory'], 1);
    },
  },
  {
    name: 'Evicted and not replaced (its Deployment is short of ready replicas): still blocks',
    input: { data: { pods: [healthy[0]!, healthy[2]!, evicted('mm-7d9c6b5f4-ev1ct')], replicaSets: [replicaSet('mm-7d9c6b5f4', 2, 1, 'mm')], deployments: [deployment({ replicas: 2, availableReplicas: 1 })] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings[0]?.subject?.name, 'mm-7d9c6b5f4-ev1ct');
      assert.equal(r.findings[0]?.message, 'Pod mattermost/mm-7d9c6b5f4-ev1ct is Failed');
      assert.match(r.findings[0]?.remediation ?? '', /why it failed \(Evicted/);
      assert.deepEqual(r.findings[0]?.evidence?.[0], 'pod: Evicted: The node was low on resource: memory. Threshold quantity: 100Mi, available: 91Mi.');
    },
  },
  {
    name: 'Evicted with an owner that could not be read: current (fail closed), it blocks',
    input: { data: { pods: [...healthy, evicted('mm-7d9c6b5f4-ev1ct')], replicaSets: failed('replicaSets'), deployments: [deployment({ replicas: 2 })] } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.subject?.name, 'mm-7d9c6b5f4-ev1ct'),
  },
  {
    name: 'Completed pods are neither judged nor history',
    input: { data: { pods: [...healthy, pod({ name: 'backup-29001-x7k2p', app: 'backup', phase: 'Succeeded', nodeName: 'n1' })] } },
    status: 'pass',
    then: (r) => assert.deepEqual(r.measured, { podsJudged: 3, podsHealthy: 3, podsIgnored: 0, mattermostPods: 2 }),
  },
  {
    name: 'a Failed job pod whose Job later completed is history',
    input: { data: { pods: [...healthy, jobPod('mattermost-update-check-x2b9q', 'mattermost-update-check')], jobs: [completedJob] } },
    status: 'warn',
    then: (r) => {
      assert.match(r.findings[0]?.message ?? '', /mattermost-update-check-x2b9q failed and is history: Job mattermost-update-check has since completed/);
      assert.match(r.findings[0]?.remediation ?? '', /delete pod mattermost-update-check-x2b9q/);
    },
  },
  {
    name: 'a Failed job pod whose Job failed blocks',
    input: { data: { pods: [...healthy, jobPod('mattermost-update-check-x2b9q', 'mattermost-update-check')], jobs: [job({ failed: 1 })] } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.message, 'Pod mattermost/mattermost-update-check-x2b9q is Failed'),
  },
  {
    name: 'Terminating pods are not judged',
    input: { data: { pods: [...healthy, pod({ name: 'mm-7d9c6b5f4-gone1', terminating: true, ready: false })] } },
    status: 'pass',
    then: (r) => assert.equal(r.measured?.['podsJudged'], 3),
  },
  {
    name: 'Pending past the startup grace blocks, even when its owner is otherwise complete',
    input: { data: { pods: [...healthy, pod({ name: 'mm-7d9c6b5f4-old01', phase: 'Pending', createdAt: '2026-11-20T11:30:00Z' })], replicaSets: [replicaSet('mm-7d9c6b5f4', 2, 2, 'mm')], deployments: [deployment({ replicas: 2 })] } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.actual, 'Pending, created 30 min ago'),
  },
];

describe('pod-health: current pods and history', () => {
  for (const c of historyCases) {
    it(c.name, async () => {
      const r = await runCheck(podHealth, c.input);
      assert.equal(r.status, c.status, JSON.stringify(r.findings.length ? r.findings : r.error));
      c.then(r);
    });
  }
});

// ---- Edges stated one behaviour at a time (named after what a user would see).

const NOW = new Date('2026-11-20T12:00:00Z');
const withOwners = (p: KubePod, ownerReferences: { kind: string; name: string; controller?: boolean }[]): KubePod =>
  ({ ...p, metadata: { ...p.metadata, ownerReferences } });
const evictedOf = (rsName: string) => withOwners(evicted('mm-7d9c6b5f4-ev1ct'), [{ kind: 'ReplicaSet', name: rsName, controller: true }]);
const jobNamed = (status: KubeJob['status'], completions?: number): KubeJob => {
  const j = job({ name: 'mattermost-update-check' });
  return { ...j, spec: { ...j.spec, ...(completions ? { completions } : {}) }, ...(status ? { status } : { status: undefined }) };
};
const judge = (input: CheckCase<Options>) => runCheck(podHealth, { now: NOW, ...input });

describe('pod-health: whose recovery makes a failed pod history', () => {
  it('a bare ReplicaSet with every replica ready makes its Evicted pod history', async () => {
    const r = await judge({ data: { pods: [...healthy, evictedOf('mm-bare')], replicaSets: [replicaSet('mm-bare', 2, 2)] } });
    assert.equal(r.status, 'warn');
    assert.match(r.findings[0]?.message ?? '', /is history: ReplicaSet mm-bare has 2\/2 ready replicas/);
  });
  it('a bare ReplicaSet short of ready replicas leaves its Evicted pod blocking', async () => {
    const r = await judge({ data: { pods: [...healthy, evictedOf('mm-bare')], replicaSets: [replicaSet('mm-bare', 2, 1)] } });
    assert.equal(r.status, 'fail');
  });
  it('a bare ReplicaSet without spec or status counts as 1 wanted, 0 ready: not recovered', async () => {
    const rs: KubeReplicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'mm-bare', namespace: 'mattermost' } };
    const r = await judge({ data: { pods: [...healthy, evictedOf('mm-bare')], replicaSets: [rs] } });
    assert.equal(r.status, 'fail');
  });
  it('a ReplicaSet of the same name in another namespace does not vouch for the pod', async () => {
    const other = { ...replicaSet('mm-bare', 2, 2), metadata: { name: 'mm-bare', namespace: 'staging' } };
    const r = await judge({ data: { pods: [...healthy, evictedOf('mm-bare')], replicaSets: [other] } });
    assert.equal(r.status, 'fail');
  });
  it('a ReplicaSet of another name does not vouch for the pod', async () => {
    const r = await judge({ data: { pods: [...healthy, evictedOf('mm-bare')], replicaSets: [replicaSet('mm-other', 2, 2)] } });
    assert.equal(r.status, 'fail');
  });
  it('an owner without a namespace is taken to be in the pod\'s namespace', async () => {
    const rs = { ...replicaSet('mm-bare', 2, 2), metadata: { name: 'mm-bare' } };
    const r = await judge({ data: { pods: [...healthy, evictedOf('mm-bare')], replicaSets: [rs] } });
    assert.equal(r.status, 'warn');
  });
  it('the controller owner decides, not the first owner listed', async () => {
    const p = withOwners(evicted('mm-7d9c6b5f4-ev1ct'), [{ kind: 'ReplicaSet', name: 'mm-ready', controller: false }, { kind: 'ReplicaSet', name: 'mm-short', controller: true }]);
    const r = await judge({ data: { pods: [...healthy, p], replicaSets: [replicaSet('mm-ready', 2, 2), replicaSet('mm-short', 2, 1)] } });
    assert.equal(r.status, 'fail');
  });
  it('without a controller owner, the first owner listed decides', async () => {
    const p = withOwners(evicted('mm-7d9c6b5f4-ev1ct'), [{ kind: 'ReplicaSet', name: 'mm-ready' }]);
    const r = await judge({ data: { pods: [...healthy, p], replicaSets: [replicaSet('mm-ready', 2, 2)] } });
    assert.equal(r.status, 'warn');
  });
  it('a Failed pod with no owner at all blocks', async () => {
    const p = withOwners(evicted('mm-7d9c6b5f4-ev1ct'), []);
    const { ownerReferences: _, ...metadata } = p.metadata;
    const r = await judge({ data: { pods: [...healthy, { ...p, metadata }] } });
    assert.equal(r.status, 'fail', JSON.stringify(r.error));
  });
  it('an Evicted pod whose Deployment was not collected blocks', async () => {
    const r = await judge({ data: { pods: [...healthy, evicted('mm-7d9c6b5f4-ev1ct')], replicaSets: [replicaSet('mm-7d9c6b5f4', 2, 2, 'mm')] } });
    assert.equal(r.status, 'fail', JSON.stringify(r.error));
  });
  it('a Failed job pod whose Job was not collected blocks', async () => {
    const r = await judge({ data: { pods: [...healthy, jobPod('mattermost-update-check-x2b9q', 'mattermost-update-check')] } });
    assert.equal(r.status, 'fail', JSON.stringify(r.error));
  });
  it('a Job reporting Complete=True after an earlier Failed=False condition has completed', async () => {
    const j = jobNamed({ conditions: [{ type: 'Failed', status: 'False' }, { type: 'Complete', status: 'True' }] });
    const r = await judge({ data: { pods: [...healthy, jobPod('mattermost-update-check-x2b9q', 'mattermost-update-check')], jobs: [j] } });
    assert.equal(r.status, 'warn');
  });
  it('a Job with Complete=False and nothing succeeded has not completed', async () => {
    const j = jobNamed({ conditions: [{ type: 'Complete', status: 'False' }] });
    const r = await judge({ data: { pods: [...healthy, jobPod('mattermost-update-check-x2b9q', 'mattermost-update-check')], jobs: [j] } });
    assert.equal(r.status, 'fail');
  });
  it('a Job with all its completions succeeded has completed, even without conditions', async () => {
    const r = await judge({ data: { pods: [...healthy, jobPod('mattermost-update-check-x2b9q', 'mattermost-update-check')], jobs: [jobNamed({ succeeded: 2 }, 2)] } });
    assert.equal(r.status, 'warn');
  });
  it('a Job with one success short of its completions has not completed', async () => {
    const r = await judge({ data: { pods: [...healthy, jobPod('mattermost-update-check-x2b9q', 'mattermost-update-check')], jobs: [jobNamed({ succeeded: 1 }, 2)] } });
    assert.equal(r.status, 'fail');
  });
  it('a Job with no status yet has not completed', async () => {
    const r = await judge({ data: { pods: [...healthy, jobPod('mattermost-update-check-x2b9q', 'mattermost-update-check')], jobs: [jobNamed(undefined)] } });
    assert.equal(r.status, 'fail', JSON.stringify(r.error));
  });
  it('a replaced pod without a reason or message says only "failed" and gives no evidence', async () => {
    const p = { ...evicted('mm-7d9c6b5f4-ev1ct') };
    const bare = { ...p, status: { phase: 'Failed' as const } };
    const r = await judge({ data: { pods: [...healthy, bare], replicaSets: [replicaSet('mm-7d9c6b5f4', 2, 2, 'mm')], deployments: [deployment({ replicas: 2 })] } });
    assert.equal(r.findings[0]?.message, 'Pod mattermost/mm-7d9c6b5f4-ev1ct failed and is history: Deployment mm has 2/2 ready replicas');
    assert.equal(r.findings[0]?.actual, 'Failed, replaced');
    assert.deepEqual(r.findings[0]?.evidence, []);
  });
});

describe('pod-health: pods that are not Running and Ready', () => {
  it('a pod the kubelet has not reported on (no status) is Unknown and blocks', async () => {
    const { status: _, ...p } = app('mm-7d9c6b5f4-nosta');
    const r = await judge({ data: { pods: [...healthy, p] } });
    assert.equal(r.status, 'fail', JSON.stringify(r.error));
    assert.equal(r.findings[0]?.message, 'Pod mattermost/mm-7d9c6b5f4-nosta is Unknown');
    assert.deepEqual(r.findings[0]?.evidence, []);
  });
  it('a Running pod that is not Ready says so and points at its readiness probe', async () => {
    const r = await judge({ data: { pods: [...healthy, app('mm-7d9c6b5f4-nrdy1', { ready: false })] } });
    assert.equal(r.findings[0]?.message, 'Pod mattermost/mm-7d9c6b5f4-nrdy1 is Running but not Ready');
    assert.match(r.findings[0]?.actual ?? '', /^Running, not Ready, created /);
    assert.match(r.findings[0]?.remediation ?? '', /readiness probe/);
  });
  it('a young Failed pod gets no startup grace: it blocks', async () => {
    const p = withOwners(evicted('mm-7d9c6b5f4-ev1ct'), []);
    const young = { ...p, metadata: { ...p.metadata, creationTimestamp: '2026-11-20T11:59:00Z' } };
    const r = await judge({ data: { pods: [...healthy, young] } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.remediation ?? '', /why it failed/);
  });
  it('a Pending pod created exactly the startup grace ago blocks', async () => {
    const r = await judge({ data: { pods: [...healthy, pod({ name: 'mm-7d9c6b5f4-edge1', phase: 'Pending', createdAt: '2026-11-20T11:55:00Z' })] } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.remediation ?? '', /not scheduled or started/);
  });
  it('an unschedulable pod quotes the scheduler\'s message', async () => {
    const p = pod({ name: 'mm-7d9c6b5f4-unsch', phase: 'Pending', createdAt: '2026-11-20T11:30:00Z' });
    const unsched = { ...p, status: { phase: 'Pending' as const, conditions: [{ type: 'Ready', status: 'False' }, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' }] } };
    const r = await judge({ data: { pods: [...healthy, unsched] } });
    assert.deepEqual(r.findings[0]?.evidence, ['PodScheduled: 0/3 nodes are available: 3 Insufficient cpu.']);
  });
  it('a scheduled pod quotes no scheduler message', async () => {
    const p = pod({ name: 'mm-7d9c6b5f4-schd1', phase: 'Pending', nodeName: 'n1', createdAt: '2026-11-20T11:30:00Z' });
    const scheduled = { ...p, status: { phase: 'Pending' as const, conditions: [{ type: 'PodScheduled', status: 'True', message: 'scheduled on n1' }] } };
    const r = await judge({ data: { pods: [...healthy, scheduled] } });
    assert.deepEqual(r.findings[0]?.evidence, []);
  });
  it('a crash loop without a previous termination gives only the waiting line as evidence', async () => {
    const r = await judge({ data: { pods: [...healthy, app('mm-7d9c6b5f4-crash', { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } })] } });
    assert.deepEqual(r.findings[0]?.evidence, ['mattermost: waiting CrashLoopBackOff: back-off 5m0s']);
  });
  it('a container waiting for an ordinary reason (ContainerCreating) is not stuck, but its restarts still count', async () => {
    const r = await judge({ data: { pods: [...healthy, app('mm-7d9c6b5f4-creat', { waiting: { reason: 'ContainerCreating' }, restarts: 9 })] } });
    assert.equal(r.findings[0]?.message, 'Pod mattermost/mm-7d9c6b5f4-creat: container mattermost restarted 9 times');
  });
  it('a container status without a state is judged by its restarts', async () => {
    const p = app('mm-7d9c6b5f4-nost8', { restarts: 9 });
    const statuses = (p.status?.containerStatuses ?? []).map(({ state: _, ...c }) => c);
    const r = await judge({ data: { pods: [...healthy, { ...p, status: { ...p.status, containerStatuses: statuses } }] } });
    assert.equal(r.findings[0]?.message, 'Pod mattermost/mm-7d9c6b5f4-nost8: container mattermost restarted 9 times');
    assert.deepEqual(r.findings[0]?.evidence, []);
  });
  it('a pod still starting is not counted healthy; a healthy pod after it is', async () => {
    const r = await judge({ data: { pods: [pod({ name: 'mm-7d9c6b5f4-new01', phase: 'Pending', createdAt: '2026-11-20T11:58:00Z' }), ...healthy] } });
    assert.equal(r.status, 'warn');
    assert.equal(r.measured?.['podsHealthy'], 3);
    assert.equal(r.measured?.['podsJudged'], 4);
  });
});

describe('pod-health: options and allNamespaces', () => {
  it('accepts a valid ignore pattern and a maxRestarts of 0; rejects a negative one', () => {
    assert.deepEqual(podHealth.options.parse({ ignore: ['^loadtest-'], maxRestarts: 0 }).ignore, ['^loadtest-']);
    assert.throws(() => podHealth.options.parse({ maxRestarts: -1 }));
  });
  it('an unhealthy installation pod listed cluster-wide too is judged once', async () => {
    const crash = app('mm-7d9c6b5f4-crash', { waiting: { reason: 'CrashLoopBackOff' } });
    const r = await judge({ data: { pods: [...healthy, crash], clusterPods: summarizeClusterPods([...healthy, crash]) }, options: { allNamespaces: true } });
    assert.equal(r.findings.length, 1);
    assert.equal(r.measured?.['podsJudged'], 4);
  });
  it('more unhealthy pods than mmgate keeps: a failure saying how many were left out', async () => {
    const other = pod({ name: 'web-1', namespace: 'shop', app: 'web', nodeName: 'n1', waiting: { reason: 'CrashLoopBackOff' } });
    const clusterPods = { total: 3 + 1 + 7 + 2, byNamespace: { mattermost: 3, shop: 10, misc: 0 }, byNode: {}, unhealthy: [other], unhealthyLeftOut: 7 };
    const r = await judge({ data: { pods: healthy, clusterPods }, options: { allNamespaces: true } });
    assert.equal(r.status, 'fail');
    const left = r.findings.find((f) => f.subject?.kind === 'Cluster');
    assert.equal(left?.message, '7 more pods across the cluster may be unhealthy than mmgate keeps to judge');
    assert.deepEqual(left?.subject, { kind: 'Cluster', name: 'all namespaces' });
    assert.equal(left?.actual, 'more than 1 pods not Running and Ready, restarted or waiting');
    // 13 pods: 3 installation pods judged, 1 kept unhealthy, 7 left out, 2 healthy only counted.
    assert.equal(r.measured?.['podsJudged'], 6);
    assert.equal(r.measured?.['podsHealthy'], 5);
  });
});

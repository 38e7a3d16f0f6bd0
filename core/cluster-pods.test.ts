import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_KEPT, summarizeClusterPods } from './cluster-pods.js';
import type { KubePod } from './kube-types.js';

const pod = (name: string, nodeName: string, o: { phase?: string; ready?: boolean; restarts?: number; cpu?: string; memory?: string } = {}): KubePod => ({
  metadata: { name, namespace: `team-${name.length % 3}` },
  spec: { nodeName, containers: [{ name: 'app', image: 'x', env: [{ name: 'DB_PASSWORD', value: 'hunter2' }], resources: o.cpu || o.memory ? { requests: { ...(o.cpu ? { cpu: o.cpu } : {}), ...(o.memory ? { memory: o.memory } : {}) } } : {} }] },
  status: {
    phase: (o.phase ?? 'Running') as NonNullable<KubePod['status']>['phase'],
    conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }],
    containerStatuses: [{ name: 'app', ready: o.ready !== false, restartCount: o.restarts ?? 0, image: 'x', imageID: 'x', state: { running: {} } }],
  },
} as unknown as KubePod);

describe('cluster pods reduced as read', () => {
  it('sums requests per node, keeps only pods that may be unhealthy, without their specs', () => {
    const s = summarizeClusterPods([
      pod('a', 'n1', { cpu: '500m', memory: '1Gi' }), pod('bb', 'n1', { cpu: '250m' }), pod('ccc', 'n2'),
      pod('dddd', 'n2', { ready: false }), pod('eeeee', 'n2', { restarts: 2 }), pod('done', 'n1', { phase: 'Succeeded', cpu: '4' }),
    ]);
    assert.equal(s.total, 5, 'a finished pod is not counted');
    assert.deepEqual(s.byNode['n1'], { pods: 2, cpu: 0.75, memory: 2 ** 30, withoutRequests: 0 });
    assert.deepEqual(s.byNode['n2'], { pods: 3, cpu: 0, memory: 0, withoutRequests: 3 });
    assert.deepEqual(s.unhealthy.map((p) => p.metadata.name), ['dddd', 'eeeee']);
    assert.doesNotMatch(JSON.stringify(s), /hunter2/, 'container specs (env) are not kept');
  });

  it(`keeps at most ${MAX_KEPT} unhealthy pods and counts the rest`, () => {
    const s = summarizeClusterPods(Array.from({ length: MAX_KEPT + 7 }, (_, i) => pod(`p${i}`, 'n1', { ready: false })));
    assert.equal(s.unhealthy.length, MAX_KEPT);
    assert.equal(s.unhealthyLeftOut, 7);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck, type CheckCase } from '../../core/testing.js';
import type { CheckResult } from '../../core/types.js';
import { failed, node } from '../fixtures.js';
import { nodeReadiness } from './node-readiness.js';

type Options = { cordonedBlocks: boolean };
const cases: { name: string; input: CheckCase<Options>; status: CheckResult['status']; then?: (r: CheckResult) => void }[] = [
  {
    name: 'three Ready nodes pass',
    input: { data: { nodes: [node({ name: 'n1' }), node({ name: 'n2' }), node({ name: 'n3' })] } },
    status: 'pass',
    then: (r) => assert.deepEqual(r.measured, { nodesTotal: 3, nodesReady: 3, nodesCordoned: 0 }),
  },
  {
    name: 'a NotReady node fails with its condition as evidence',
    input: { data: { nodes: [node({ name: 'n1' }), node({ name: 'n2', ready: 'Unknown' })] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings.length, 1);
      const f = r.findings[0];
      assert.equal(f?.message, 'Node n2 is not Ready');
      assert.deepEqual(f?.subject, { kind: 'Node', name: 'n2' });
      assert.equal(f?.expected, 'Ready=True');
      assert.equal(f?.actual, 'Ready=Unknown');
      assert.match(f?.evidence?.[0] ?? '', /Kubelet stopped posting node status/);
      assert.equal(r.measured?.['nodesReady'], 1);
    },
  },
  {
    name: 'memory and disk pressure each fail',
    input: { data: { nodes: [node({ name: 'n1', pressure: ['MemoryPressure', 'DiskPressure'] })] } },
    status: 'fail',
    then: (r) => {
      assert.deepEqual(r.findings.map((f) => f.actual), ['MemoryPressure=True', 'DiskPressure=True']);
      assert.ok(r.findings.every((f) => f.remediation && f.subject?.name === 'n1'));
    },
  },
  {
    name: 'PID pressure fails: the kubelet rejects new pods when it runs out of process ids',
    input: { data: { nodes: [node({ name: 'n1' }), node({ name: 'n2', pressure: ['PIDPressure'] })] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings.length, 1);
      assert.equal(r.findings[0]?.message, 'Node n2 reports PIDPressure');
      assert.equal(r.findings[0]?.actual, 'PIDPressure=True');
      assert.deepEqual(r.findings[0]?.subject, { kind: 'Node', name: 'n2' });
      assert.deepEqual(r.findings[0]?.evidence, ['PIDPressure=True KubeletHasPIDPressure: kubelet has pid pressure']);
      assert.match(r.findings[0]?.remediation ?? '', /^Free pid on n2 /);
    },
  },
  {
    name: 'a node that reports no conditions at all is not Ready, and has no evidence to show',
    input: { data: { nodes: [node({ name: 'n1' }), { ...node({ name: 'n2' }), status: {} }] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings.length, 1);
      assert.equal(r.findings[0]?.actual, 'Ready=missing');
      assert.deepEqual(r.findings[0]?.evidence, []);
      assert.equal(r.measured?.['nodesReady'], 1);
    },
  },
  {
    name: 'a node read without status or spec is not Ready, and not counted as cordoned',
    input: { data: { nodes: [node({ name: 'n1' }), { metadata: { name: 'n2' } }] } },
    status: 'fail',
    then: (r) => {
      assert.deepEqual(r.findings.map((f) => [f.subject?.name, f.actual]), [['n2', 'Ready=missing']]);
      assert.deepEqual(r.measured, { nodesTotal: 2, nodesReady: 1, nodesCordoned: 0 });
    },
  },
  {
    name: 'a condition with a reason but no message is still shown as evidence',
    input: { data: { nodes: [{ ...node({ name: 'n1' }), status: { conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady' }] } }] } },
    status: 'fail',
    then: (r) => assert.deepEqual(r.findings[0]?.evidence, ['Ready=False KubeletNotReady:']),
  },
  {
    name: 'a cordoned node warns by default',
    input: { data: { nodes: [node({ name: 'n1' }), node({ name: 'n2', unschedulable: true })] } },
    status: 'warn',
    then: (r) => {
      assert.equal(r.findings[0]?.message, 'Node n2 is cordoned: it takes no new pods');
      assert.equal(r.findings[0]?.actual, 'spec.unschedulable=true');
      assert.match(r.findings[0]?.remediation ?? '', /kubectl uncordon n2/);
      assert.equal(r.summary, '2 of 2 nodes Ready, 1 cordoned');
      assert.deepEqual(r.measured, { nodesTotal: 2, nodesReady: 2, nodesCordoned: 1 });
    },
  },
  {
    name: 'a cordoned node fails with cordonedBlocks',
    input: { data: { nodes: [node({ name: 'n1' }), node({ name: 'n2', unschedulable: true })] }, options: { cordonedBlocks: true } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.subject?.name, 'n2'),
  },
  {
    name: 'zero nodes fail: nothing to schedule on',
    input: { data: { nodes: [] } },
    status: 'fail',
    then: (r) => {
      assert.match(r.findings[0]?.message ?? '', /no nodes/);
      assert.equal(r.findings[0]?.actual, '0 nodes');
      assert.deepEqual(r.findings[0]?.subject, { kind: 'Cluster', name: 'current kubeconfig context' });
      assert.deepEqual(r.measured, { nodesTotal: 0, nodesReady: 0 });
    },
  },
  {
    name: 'a failed nodes collector is an error, never a pass',
    input: { data: { nodes: failed('nodes') } },
    status: 'error',
    then: (r) => assert.match(r.error?.message ?? '', /nodes: .*403/),
  },
];

describe('node-readiness', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCheck(nodeReadiness, c.input);
      assert.equal(r.status, c.status, JSON.stringify(r.findings));
      c.then?.(r);
    });
  }
});

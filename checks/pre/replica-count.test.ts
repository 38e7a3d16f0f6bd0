import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck, type CheckCase } from '../../core/testing.js';
import type { CheckResult } from '../../core/types.js';
import { deployment, failed, type Judged, mattermost } from '../fixtures.js';
import { replicaCount } from './replica-count.js';

type Options = { minReplicas: number };
const cases: { name: string; input: CheckCase<Options>; status: CheckResult['status']; then?: (r: Judged) => void }[] = [
  {
    name: 'two replicas pass',
    input: { data: { installation: mattermost({ replicas: 2 }), deployments: [deployment({ replicas: 2 })] } },
    status: 'pass',
    then: (r) => assert.deepEqual(r.measured, { replicas: 2, readyReplicas: 2, minReplicas: 2 }),
  },
  {
    name: 'one replica fails and says why',
    input: { data: { installation: mattermost({ replicas: 1 }) } },
    status: 'fail',
    then: (r) => {
      const f = r.findings[0];
      assert.match(f?.message ?? '', /^1 replica: the rolling update replaces the only pod, so Mattermost is down while the new pod starts and runs its database migrations$/);
      assert.deepEqual(f?.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm' });
      assert.equal(f?.expected, 'at least 2 replicas');
      assert.equal(f?.actual, '1 (spec.replicas)');
      assert.match(f?.remediation ?? '', /spec\.replicas: 2/);
    },
  },
  {
    name: 'zero replicas fail: nothing serves',
    input: { data: { installation: mattermost({ replicas: 0 }) } },
    status: 'fail',
    then: (r) => assert.match(r.findings[0]?.message ?? '', /scaled to zero/),
  },
  {
    name: 'minReplicas raises the bar',
    input: { data: { installation: mattermost({ replicas: 2 }) }, options: { minReplicas: 3 } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.expected, 'at least 3 replicas'),
  },
  {
    name: 'without spec.replicas the Deployment says what the operator chose',
    input: { data: { installation: mattermost({ replicas: null }), deployments: [deployment({ replicas: 1 })] } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.actual, '1 (Deployment mm spec.replicas)'),
  },
  {
    name: 'without spec.replicas and with the Deployments unreadable it could not look: error, naming what to grant',
    input: { data: { installation: mattermost({ replicas: null }), deployments: failed('deployments') } },
    status: 'error',
    then: (r) => {
      assert.equal(r.error?.code, 'DEPLOYMENTS_NOT_LISTED');
      assert.equal(r.findings[0]?.actual, 'Deployments not listed');
      assert.match(r.findings[0]?.remediation ?? '', /"list" on deployments in mattermost/);
    },
  },
  {
    name: 'without spec.replicas and with no Deployment of its name listed it fails: nothing says how many pods serve',
    input: { data: { installation: mattermost({ replicas: null }), deployments: [] } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.actual, 'unset'),
  },
  {
    name: 'more than one replica but fewer than minReplicas fails in the plural, naming the minimum',
    input: { data: { installation: mattermost({ replicas: 3 }) }, options: { minReplicas: 4 } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.message, '3 replicas: fewer than 4 pods serve while one is replaced'),
  },
  {
    name: 'a Mattermost resource read without spec takes the replica count from its Deployment',
    input: { data: { installation: { ...mattermost(), spec: undefined }, deployments: [deployment({ replicas: 2 })] } },
    status: 'pass',
    then: (r) => assert.deepEqual(r.measured, { replicas: 2, readyReplicas: 2, minReplicas: 2 }),
  },
  {
    name: 'a Deployment read without spec or status gives no count: unknown fails closed, with no figure measured',
    input: { data: { installation: mattermost({ replicas: null }), deployments: [{ ...deployment({}), spec: undefined, status: undefined }] } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings[0]?.actual, 'unset');
      assert.deepEqual(r.measured, { minReplicas: 2 });
    },
  },
  {
    name: 'a missing CR is a fact: fail with "Mattermost CR not found"',
    input: { data: { installation: null } },
    status: 'fail',
    then: (r) => { assert.match(r.findings[0]?.message ?? '', /^Mattermost CR not found/); assert.equal(r.findings[0]?.actual, 'not found'); },
  },
  {
    name: 'a failed installation collector is an error',
    input: { data: { installation: failed('installation', 'TIMEOUT') } },
    status: 'error',
    then: (r) => assert.equal(r.error?.code, 'COLLECTOR_FAILED'),
  },
];

describe('replica-count', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCheck(replicaCount, c.input);
      assert.equal(r.status, c.status, JSON.stringify(r.findings.length ? r.findings : r.error));
      c.then?.(r);
    });
  }
});

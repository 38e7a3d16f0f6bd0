import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck, type CheckCase } from '../../core/testing.js';
import type { CheckResult } from '../../core/types.js';
import { failed, job, type Judged, mattermost } from '../fixtures.js';
import { installationState } from './installation-state.js';

type Options = { updateJobTimeout: string };
// TEST_NOW is 2026-11-20T12:00:00Z.
const cases: { name: string; input: CheckCase<Options>; status: CheckResult['status']; then?: (r: Judged) => void }[] = [
  {
    name: 'a stable, caught-up installation passes',
    input: { data: { installation: mattermost(), jobs: [] } },
    status: 'pass',
    then: (r) => assert.deepEqual(r.measured, { state: 'stable', generation: 4, observedGeneration: 4, replicas: 2, updatedReplicas: 2 }),
  },
  {
    name: 'reconciling fails',
    input: { data: { installation: mattermost({ state: 'reconciling' }), jobs: [] } },
    status: 'fail',
    then: (r) => {
      const f = r.findings[0];
      assert.equal(f?.message, 'The installation is reconciling: the operator is still applying a change');
      assert.deepEqual(f?.subject, { kind: 'Mattermost', namespace: 'mattermost', name: 'mm' });
      assert.equal(f?.expected, 'status.state stable');
      assert.equal(f?.actual, 'status.state reconciling');
    },
  },
  {
    name: 'ready fails: not all replicas updated',
    input: { data: { installation: mattermost({ state: 'ready' }), jobs: [] } },
    status: 'fail',
    then: (r) => assert.match(r.findings[0]?.message ?? '', /is ready: not all replicas updated/),
  },
  {
    name: 'an observedGeneration behind the generation fails',
    input: { data: { installation: mattermost({ generation: 5, observedGeneration: 4 }), jobs: [] } },
    status: 'fail',
    then: (r) => { assert.equal(r.findings[0]?.expected, 'status.observedGeneration ≥ 5'); assert.equal(r.findings[0]?.actual, 'status.observedGeneration 4'); },
  },
  {
    name: 'status.error fails and shows the error without credentials',
    input: { data: { installation: mattermost({ state: 'reconciling', error: 'failed to check database: dial postgres://mmuser:s3cr3t-pw@db:5432/mattermost: timeout' }), jobs: [] } },
    status: 'fail',
    then: (r) => {
      const f = r.findings.find((x) => x.actual === 'status.error set');
      assert.deepEqual(f?.evidence, ['failed to check database: dial postgres://***:***@db:5432/mattermost: timeout']);
      assert.doesNotMatch(JSON.stringify(r), /s3cr3t-pw/);
    },
  },
  {
    name: 'a failed mattermost-update-check job fails',
    input: { data: { installation: mattermost({ state: 'reconciling', error: 'update image job failed' }), jobs: [job({ failed: 1 })] } },
    status: 'fail',
    then: (r) => {
      const f = r.findings.find((x) => x.subject?.kind === 'Job');
      assert.deepEqual(f?.subject, { kind: 'Job', namespace: 'mattermost', name: 'mattermost-update-check' });
      assert.equal(f?.actual, '1 failed pod(s)');
      assert.deepEqual(f?.evidence, ['BackoffLimitExceeded: Job has reached the specified backoff limit']);
    },
  },
  {
    name: 'an update job active past the timeout is stuck; a young one is not judged',
    input: { data: { installation: mattermost(), jobs: [job({ active: 1, startTime: '2026-11-20T11:40:00Z' })] } },
    status: 'fail',
    then: (r) => { assert.equal(r.findings[0]?.actual, 'active for 20m00s'); assert.equal(r.findings[0]?.expected, 'finished within 15m'); },
  },
  {
    name: 'an update job active within the timeout is not stuck',
    input: { data: { installation: mattermost(), jobs: [job({ active: 1, startTime: '2026-11-20T11:50:00Z' })] } },
    status: 'pass',
  },
  {
    name: 'a disabled update job warns',
    input: { data: { installation: mattermost({ updateJobDisabled: true }), jobs: [] } },
    status: 'warn',
    then: (r) => { assert.match(r.findings[0]?.message ?? '', /without the migration dry-run/); assert.equal(r.findings[0]?.actual, 'spec.updateJob.disabled: true'); },
  },
  {
    name: 'a missing CR fails',
    input: { data: { installation: null, jobs: [] } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.message, 'Mattermost CR not found'),
  },
  {
    name: 'a failed jobs collector is an error',
    input: { data: { installation: mattermost(), jobs: failed('jobs') } },
    status: 'error',
    then: (r) => assert.match(r.error?.message ?? '', /jobs: /),
  },
];

describe('installation-state', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCheck(installationState, c.input);
      assert.equal(r.status, c.status, JSON.stringify(r.findings.length ? r.findings : r.error));
      c.then?.(r);
    });
  }
});

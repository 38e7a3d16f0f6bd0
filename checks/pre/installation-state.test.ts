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
    then: (r) => {
      assert.equal(r.findings[0]?.message, 'The update job mattermost-update-check looks stuck: active for 20m00s');
      assert.equal(r.findings[0]?.actual, 'active for 20m00s');
      assert.equal(r.findings[0]?.expected, 'finished within 15m');
    },
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

describe('installation-state: edges', () => {
  const judge = (installation: unknown, jobs: unknown[] = [], options: Record<string, unknown> = {}) => runCheck(installationState, { data: { installation, jobs }, options });
  const cr = mattermost();
  const withStatus = (status: Record<string, unknown> | undefined) => ({ ...cr, status });
  const withJobStatus = (status: Record<string, unknown> | undefined, creationTimestamp?: string) => {
    const j = job({});
    return { ...j, metadata: { ...j.metadata, creationTimestamp }, status };
  };

  it('ready names how many replicas are updated of how many', async () => {
    const r = await judge(withStatus({ state: 'ready', replicas: 3, updatedReplicas: 1, observedGeneration: 4 }));
    assert.equal(r.findings[0]?.message, 'The installation is ready: not all replicas updated (1 of 3)');
  });
  it('ready without replica counts falls back to the spec, then to ?', async () => {
    assert.equal((await judge(withStatus({ state: 'ready', observedGeneration: 4 }))).findings[0]?.message, 'The installation is ready: not all replicas updated (0 of 2)');
    const noSpecReplicas = { ...cr, spec: { ...cr.spec, replicas: undefined }, status: { state: 'ready', observedGeneration: 4 } };
    assert.equal((await judge(noSpecReplicas)).findings[0]?.message, 'The installation is ready: not all replicas updated (0 of ?)');
  });
  it('an installation without status has no state: the operator has not reconciled it', async () => {
    const r = await judge({ ...withStatus(undefined), metadata: { ...cr.metadata, generation: undefined } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'The installation is without a state: the operator has not reported a state: has it reconciled this resource?');
    assert.equal(r.findings.length, 1);
    assert.equal(r.summary, 'state unset, generation ? observed ?');
    assert.deepEqual(r.measured, { state: 'unset' });
  });
  it('a ClusterInstallation is not held to an observedGeneration its status does not have', async () => {
    const ci = { apiVersion: 'mattermost.com/v1alpha1', kind: 'ClusterInstallation', metadata: { name: 'mm', namespace: 'mattermost', generation: 3 }, spec: { version: '10.11.4', replicas: 2 }, status: { state: 'stable', replicas: 2, updatedReplicas: 2 } };
    const r = await runCheck(installationState, { scope: { kind: 'ClusterInstallation' }, data: { installation: ci, jobs: [] } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });
  it('the summary names the update job when there is one', async () => {
    const r = await judge(cr, [job({ succeeded: 1 })]);
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.summary, 'state stable, generation 4 observed 4; mattermost-update-check present');
  });
  it('only the mattermost-update-check job is judged, not another failed job', async () => {
    const r = await judge(cr, [job({ name: 'mattermost-backup', failed: 1 }), job({ succeeded: 1 })]);
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });
  it('an update job without status has neither failed nor is running', async () => {
    assert.equal((await judge(cr, [withJobStatus(undefined)])).status, 'pass');
  });
  it('a finished update job, neither active nor failed, is not judged stuck however old', async () => {
    assert.equal((await judge(cr, [withJobStatus({ startTime: '2026-11-01T00:00:00Z' })])).status, 'pass');
  });
  it('a failed update job quotes the condition that is Failed=True, not another one', async () => {
    const conditions = [
      { type: 'Suspended', status: 'True', message: 'suspended' },
      { type: 'Failed', status: 'False', message: 'an older failure' },
      { type: 'Failed', status: 'True', message: 'Job has reached the specified backoff limit' },
    ];
    const r = await judge(cr, [withJobStatus({ failed: 2, conditions })]);
    assert.equal(r.findings[0]?.actual, '2 failed pod(s)');
    assert.deepEqual(r.findings[0]?.evidence, ['Failed: Job has reached the specified backoff limit']);
  });
  it('a failed update job without a Failed condition message gives no evidence', async () => {
    const r = await judge(cr, [withJobStatus({ failed: 1, conditions: [{ type: 'Failed', status: 'True' }] })]);
    assert.deepEqual(r.findings[0]?.evidence, []);
    assert.deepEqual((await judge(cr, [withJobStatus({ failed: 1 })])).findings[0]?.evidence, []);
  });
  it('an active update job without a start time is timed from its creation', async () => {
    const r = await judge(cr, [withJobStatus({ active: 1 }, '2026-11-20T11:30:00Z')]);
    assert.equal(r.findings[0]?.actual, 'active for 30m00s');
  });
  it('an active update job with no time at all is stuck for an unknown time', async () => {
    const r = await judge(cr, [withJobStatus({ active: 1 })]);
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'The update job mattermost-update-check looks stuck: active for an unknown time');
    assert.equal(r.findings[0]?.actual, 'active, no start time');
  });
  it('an update job active exactly updateJobTimeout is not yet stuck', async () => {
    assert.equal((await judge(cr, [job({ active: 1, startTime: '2026-11-20T11:45:00Z' })])).status, 'pass');
  });
});


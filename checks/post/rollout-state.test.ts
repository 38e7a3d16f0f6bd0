import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { collectError, deployment, installation, INST } from '../../test/fixtures/post-upgrade.js';
import check from './rollout-state.js';

const ok = () => ({ installation: installation(), deployments: [deployment()] });

describe('rollout-state', () => {
  const cases: { name: string; data: () => Record<string, unknown>; status: string; message?: RegExp; subject?: string; expected?: string; actual?: string }[] = [
    { name: 'passes when stable and complete', data: ok, status: 'pass' },
    {
      name: 'fails while the resource reconciles', data: () => ({ ...ok(), installation: installation({ state: 'reconciling', error: 'update image job failed' }) }),
      status: 'fail', message: /is reconciling, not stable/, subject: INST, expected: 'status.state stable', actual: 'reconciling',
    },
    {
      name: 'fails when updatedReplicas lag', data: () => ({ ...ok(), installation: installation({ updated: 2 }) }),
      status: 'fail', message: /2 updated of 3 replicas/, actual: 'updatedReplicas 2, replicas 3, spec.replicas 3',
    },
    {
      name: 'fails when the operator has not observed the generation', data: () => ({ ...ok(), installation: installation({ generation: 3, observed: 2 }) }),
      status: 'fail', message: /not observed the latest spec/, expected: 'status.observedGeneration ≥ 3',
    },
    {
      name: 'fails when the Deployment exceeded its progress deadline',
      data: () => ({ ...ok(), deployments: [deployment(INST, { progressing: { status: 'False', reason: 'ProgressDeadlineExceeded' } })] }),
      status: 'fail', message: /exceeded its progress deadline/, subject: INST, actual: 'Progressing=False, reason ProgressDeadlineExceeded',
    },
    {
      name: 'fails when Deployment replicas are not all available',
      data: () => ({ ...ok(), deployments: [deployment(INST, { available: 2 })] }),
      status: 'fail', message: /2 available of 3 replicas/,
    },
    {
      name: 'fails when the Deployment has not observed its generation',
      data: () => ({ ...ok(), deployments: [deployment(INST, { generation: 5, observed: 4 })] }),
      status: 'fail', message: /Deployment mm has not observed/,
    },
    { name: 'fails when the Deployment is missing', data: () => ({ ...ok(), deployments: [] }), status: 'fail', message: /Deployment mm does not exist/ },
    { name: 'fails when the resource is missing', data: () => ({ ...ok(), installation: null }), status: 'fail', message: /does not exist/ },
    {
      name: 'checks the job server Deployment when dedicated',
      data: () => ({ installation: installation({ jobServer: true }), deployments: [deployment()] }),
      status: 'fail', message: /job server Deployment mm-jobserver does not exist/,
    },
    {
      name: 'passes with a complete job server Deployment',
      data: () => ({ installation: installation({ jobServer: true }), deployments: [deployment(), deployment(`${INST}-jobserver`, { replicas: 1 })] }),
      status: 'pass',
    },
    { name: 'errors when the deployments could not be listed', data: () => ({ ...ok(), deployments: collectError('deployments') }), status: 'error' },
    { name: 'errors when the resource could not be read', data: () => ({ deployments: [deployment()] }), status: 'error' },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCheck(check, { data: c.data() });
      assert.equal(r.status, c.status, JSON.stringify(r, null, 1));
      const f = c.message ? r.findings.find((x) => c.message!.test(x.message)) : undefined;
      if (c.message) assert.ok(f, r.findings.map((x) => x.message).join('\n'));
      if (c.subject) assert.equal(f?.subject?.name, c.subject);
      if (c.expected) assert.equal(f?.expected, c.expected);
      if (c.actual) assert.equal(f?.actual, c.actual);
    });
  }
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import type { KubeDeployment, MattermostCR } from '../../core/kube-types.js';
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
      status: 'fail', message: /2 updated of 3 replicas/, expected: 'status.updatedReplicas = status.replicas = spec.replicas = 3', actual: 'updatedReplicas 2, replicas 3, spec.replicas 3',
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
  it('shows the operator\'s error as evidence while the resource is not stable', async () => {
    const r = await runCheck(check, { data: { ...ok(), installation: installation({ state: 'reconciling', error: 'update image job failed' }) } });
    assert.deepEqual(r.findings.find((f) => /not stable/.test(f.message))?.evidence, ['update image job failed']);
  });

  it('fails a stable resource that reports an error, showing it', async () => {
    const r = await runCheck(check, { data: { ...ok(), installation: installation({ error: 'license expired' }) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]?.message, 'the Mattermost resource reports an error');
    assert.equal(r.findings[0]?.expected, 'no status.error');
    assert.equal(r.findings[0]?.actual, 'license expired');
    assert.deepEqual(r.findings[0]?.evidence, ['license expired']);
  });

  it('fails when status.replicas differs from spec.replicas though every replica is updated', async () => {
    const r = await runCheck(check, { data: { ...ok(), installation: installation({ statusReplicas: 4, updated: 3 }) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.actual, 'updatedReplicas 3, replicas 4, spec.replicas 3');
  });

  it('fails when spec.replicas is unset: there is nothing to hold the status to', async () => {
    const cr = installation();
    const r = await runCheck(check, { data: { ...ok(), installation: { ...cr, spec: { image: cr.spec?.image } } } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.expected, 'status.updatedReplicas = status.replicas = spec.replicas');
    assert.equal(r.findings[0]?.actual, 'updatedReplicas 3, replicas 3, spec.replicas unset');
    assert.equal(r.summary, 'state stable, 3/? replicas updated');
    assert.equal(r.measured?.['specReplicas'], 0);
  });

  it('fails closed on a resource that states replicas nowhere (neither spec nor status)', async () => {
    const cr = installation();
    const { replicas: _r, updatedReplicas: _u, ...status } = cr.status ?? {};
    const r = await runCheck(check, { data: { ...ok(), installation: { ...cr, spec: { image: cr.spec?.image }, status } } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.actual, 'updatedReplicas none, replicas none, spec.replicas unset');
  });

  it('judges a resource without a spec (fails on the replicas, does not crash)', async () => {
    const { spec: _spec, ...cr } = installation();
    const r = await runCheck(check, { data: { ...ok(), installation: cr } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /spec\.replicas is unset/);
  });

  it('fails when the operator has never reported an observedGeneration (generation 1)', async () => {
    const cr = installation({ generation: 1 });
    const { observedGeneration: _o, ...status } = cr.status ?? {};
    const r = await runCheck(check, { data: { ...ok(), installation: { ...cr, status } } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'the operator has not observed the latest spec of the Mattermost resource (generation 1, observed none)');
    assert.equal(r.findings[0]?.expected, 'status.observedGeneration ≥ 1');
    assert.equal(r.findings[0]?.actual, 'none');
  });

  it('does not hold a ClusterInstallation to an observedGeneration (its status has none)', async () => {
    const cr = installation({ generation: 3 });
    const { observedGeneration: _o, ...status } = cr.status ?? {};
    const ci = { ...cr, apiVersion: 'mattermost.com/v1alpha1', kind: 'ClusterInstallation', status } as unknown as MattermostCR;
    const r = await runCheck(check, { data: { ...ok(), installation: ci }, scope: { kind: 'ClusterInstallation' } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });

  it('reports the state and replica counts in the summary and measurements', async () => {
    const r = await runCheck(check, { data: ok() });
    assert.equal(r.summary, 'state stable, 3/3 replicas updated');
    assert.deepEqual(r.measured, { replicas: 3, updatedReplicas: 3, specReplicas: 3 });
    const empty = await runCheck(check, { data: { ...ok(), installation: { ...installation(), status: {} } } });
    assert.equal(empty.status, 'fail');
    assert.equal(empty.summary, 'state none, 0/3 replicas updated');
    assert.deepEqual(empty.measured, { replicas: 0, updatedReplicas: 0, specReplicas: 3 });
    assert.equal(empty.findings[0]?.actual, 'none');
  });

  it('judges the installation\'s own Deployment, not another one listed before it', async () => {
    const r = await runCheck(check, { data: { ...ok(), deployments: [deployment('other', { available: 0 }), deployment()] } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });

  it('fails an incomplete job server Deployment', async () => {
    const r = await runCheck(check, { data: { installation: installation({ jobServer: true }), deployments: [deployment(), deployment(`${INST}-jobserver`, { replicas: 1, available: 0 })] } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.subject?.name, `${INST}-jobserver`);
    assert.equal(r.findings[0]?.actual, 'replicas 1, updated 1, available 0');
  });

  describe('the Deployment', () => {
    const withDeployment = (d: KubeDeployment) => ({ ...ok(), deployments: [d] });
    const progressing = (status: 'True' | 'False', reason: string, message?: string) => {
      const d = deployment();
      return { ...d, status: { ...d.status, conditions: [{ type: 'Progressing', status, reason, ...(message ? { message } : {}) }] } };
    };

    it('fails while still progressing (a new ReplicaSet rolling), without claiming a deadline, with the controller\'s message', async () => {
      const r = await runCheck(check, { data: withDeployment(progressing('True', 'ReplicaSetUpdated', 'ReplicaSet "mm-new7f9c" is progressing.')) });
      assert.equal(r.status, 'fail');
      assert.equal(r.findings[0]?.message, 'Deployment mm rollout is not complete');
      assert.equal(r.findings[0]?.actual, 'Progressing=True, reason ReplicaSetUpdated');
      assert.deepEqual(r.findings[0]?.evidence, ['ReplicaSet "mm-new7f9c" is progressing.']);
    });

    it('fails when Progressing is False even with reason NewReplicaSetAvailable', async () => {
      const r = await runCheck(check, { data: withDeployment(progressing('False', 'NewReplicaSetAvailable')) });
      assert.equal(r.status, 'fail');
      assert.equal(r.findings[0]?.actual, 'Progressing=False, reason NewReplicaSetAvailable');
    });

    it('fails without a Progressing condition (no conditions at all)', async () => {
      const d = deployment();
      const { conditions: _c, ...status } = d.status ?? {};
      const r = await runCheck(check, { data: withDeployment({ ...d, status }) });
      assert.equal(r.status, 'fail');
      assert.equal(r.findings[0]?.actual, 'no Progressing condition');
      assert.equal(r.findings[0]?.evidence, undefined);
    });

    it('fails while a replica is unavailable though the counts match', async () => {
      const d = deployment();
      const r = await runCheck(check, { data: withDeployment({ ...d, status: { ...d.status, unavailableReplicas: 1 } }) });
      assert.equal(r.status, 'fail');
      assert.equal(r.findings[0]?.actual, 'replicas 3, updated 3, available 3, unavailable 1');
    });

    it('fails when the controller has never reported an observedGeneration (generation 1)', async () => {
      const d = deployment(INST, { generation: 1 });
      const { observedGeneration: _o, ...status } = d.status ?? {};
      const r = await runCheck(check, { data: withDeployment({ ...d, status }) });
      assert.equal(r.status, 'fail');
      assert.equal(r.findings[0]?.message, 'Deployment mm has not observed its latest spec (generation 1, observed none)');
      assert.equal(r.findings[0]?.actual, 'none');
    });

    it('wants one replica when the Deployment has no spec (the Kubernetes default)', async () => {
      const { spec: _s, ...d } = deployment(INST, { replicas: 1 });
      assert.equal((await runCheck(check, { data: withDeployment(d) })).status, 'pass');
      const { spec: _s3, ...d3 } = deployment();
      const r = await runCheck(check, { data: withDeployment(d3) });
      assert.equal(r.status, 'fail');
      assert.equal(r.findings[0]?.expected, 'replicas = updatedReplicas = availableReplicas = 1');
    });
  });
});

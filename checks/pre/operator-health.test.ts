import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck, type CheckCase } from '../../core/testing.js';
import type { CheckResult } from '../../core/types.js';
import { deployment, failed, type Judged } from '../fixtures.js';
import { operatorHealth } from './operator-health.js';

type Options = { minVersion: string };
const operator = (image: string, extra: Parameters<typeof deployment>[0] = {}) =>
  deployment({ name: 'mattermost-operator', namespace: 'mattermost-operator', container: 'mattermost-operator', replicas: 1, image, requests: null, ...extra });

const cases: { name: string; input: CheckCase<Options>; status: CheckResult['status']; then?: (r: Judged) => void }[] = [
  {
    name: 'an available v1.25.9 operator passes',
    input: { data: { operatorDeployment: operator('mattermost/mattermost-operator:v1.25.9') } },
    status: 'pass',
    then: (r) => assert.deepEqual(r.measured, { operatorVersion: '1.25.9', operatorImage: 'mattermost/mattermost-operator:v1.25.9', availableReplicas: 1 }),
  },
  {
    name: 'an operator older than 1.21.0 fails: no db migrate in the update job',
    input: { data: { operatorDeployment: operator('mattermost/mattermost-operator:v1.20.0') } },
    status: 'fail',
    then: (r) => {
      const f = r.findings[0];
      assert.match(f?.message ?? '', /v1\.20\.0, older than v1\.21\.0/);
      assert.deepEqual(f?.subject, { kind: 'Deployment', namespace: 'mattermost-operator', name: 'mattermost-operator' });
      assert.equal(f?.expected, 'v1.21.0 or later');
      assert.equal(f?.actual, 'v1.20.0 (mattermost/mattermost-operator:v1.20.0)');
    },
  },
  {
    name: 'an unavailable operator fails',
    input: { data: { operatorDeployment: operator('mattermost/mattermost-operator:v1.25.9', { available: false }) } },
    status: 'fail',
    then: (r) => {
      assert.equal(r.findings[0]?.actual, 'Available=False, 0 available');
      assert.deepEqual(r.findings[0]?.evidence, ['Available: MinimumReplicasUnavailable Deployment does not have minimum availability.']);
    },
  },
  {
    name: 'a :latest tag cannot be judged: warn and say so',
    input: { data: { operatorDeployment: operator('mattermost/mattermost-operator:latest') } },
    status: 'warn',
    then: (r) => {
      assert.equal(r.findings[0]?.message, 'The operator version cannot be judged from its image (tag "latest")');
      assert.equal(r.measured?.['operatorVersion'], 'unknown');
    },
  },
  {
    name: 'a digest-only image cannot be judged either',
    input: { data: { operatorDeployment: operator('mattermost/mattermost-operator@sha256:4f1e0c2bd0a9c3e1f6b7a8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3') } },
    status: 'warn',
    then: (r) => assert.match(r.findings[0]?.message ?? '', /a digest only/),
  },
  {
    name: 'minVersion is configurable',
    input: { data: { operatorDeployment: operator('mattermost/mattermost-operator:v1.24.0') }, options: { minVersion: '1.25.8' } },
    status: 'fail',
    then: (r) => assert.equal(r.findings[0]?.expected, 'v1.25.8 or later'),
  },
  {
    name: 'a missing operator Deployment fails',
    input: { data: { operatorDeployment: null } },
    status: 'fail',
    then: (r) => { assert.match(r.findings[0]?.message ?? '', /not found/); assert.match(r.findings[0]?.remediation ?? '', /kube\.operator\.namespace/); },
  },
  {
    name: 'a failed operatorDeployment collector is an error',
    input: { data: { operatorDeployment: failed('operatorDeployment') } },
    status: 'error',
  },
];

describe('operator-health', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCheck(operatorHealth, c.input);
      assert.equal(r.status, c.status, JSON.stringify(r.findings.length ? r.findings : r.error));
      c.then?.(r);
    });
  }
  it('Available=True with no available replica still fails (a stale condition is not a running operator)', async () => {
    const r = await runCheck(operatorHealth, { data: { operatorDeployment: operator('mattermost/mattermost-operator:v1.25.9', { availableReplicas: 0 }) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.actual, 'Available=True, 0 available');
  });
  it('an available replica with Available=False still fails', async () => {
    const r = await runCheck(operatorHealth, { data: { operatorDeployment: operator('mattermost/mattermost-operator:v1.25.9', { available: false, availableReplicas: 1 }) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.actual, 'Available=False, 1 available');
  });
  it('a Deployment the controller has not reported on yet (no status) fails as unavailable, naming its replicas', async () => {
    const d = operator('mattermost/mattermost-operator:v1.25.9', { replicas: 3 });
    delete d.status;
    const r = await runCheck(operatorHealth, { data: { operatorDeployment: d } });
    assert.equal(r.status, 'fail', JSON.stringify(r.error));
    assert.equal(r.findings[0]?.message, 'The operator is not available: 0 of 3 replicas available');
    assert.equal(r.findings[0]?.actual, 'Available=missing, 0 available');
    assert.deepEqual(r.findings[0]?.evidence, []);
  });
  it('a status without conditions or a spec without replicas reads as missing and 1 replica', async () => {
    const d = operator('mattermost/mattermost-operator:v1.25.9', { availableReplicas: 0 });
    delete d.status?.conditions;
    delete d.spec?.replicas;
    const r = await runCheck(operatorHealth, { data: { operatorDeployment: d } });
    assert.equal(r.findings[0]?.message, 'The operator is not available: 0 of 1 replicas available');
    assert.equal(r.findings[0]?.actual, 'Available=missing, 0 available');
  });
  it('the evidence quotes the condition message even without a reason', async () => {
    const d = operator('mattermost/mattermost-operator:v1.25.9', { available: false });
    const cond = d.status?.conditions?.find((c) => c.type === 'Available');
    if (cond) delete cond.reason;
    const r = await runCheck(operatorHealth, { data: { operatorDeployment: d } });
    assert.deepEqual(r.findings[0]?.evidence, ['Available: Deployment does not have minimum availability.']);
  });
  it('the version is read from the mattermost-operator container, not from a sidecar listed first', async () => {
    const d = operator('mattermost/mattermost-operator:v1.20.0');
    d.spec?.template?.spec?.containers.unshift({ name: 'proxy', image: 'envoyproxy/envoy:v1.30.0' });
    const r = await runCheck(operatorHealth, { data: { operatorDeployment: d } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.actual, 'v1.20.0 (mattermost/mattermost-operator:v1.20.0)');
  });
  it('without a container named mattermost-operator, the first container is judged', async () => {
    const d = deployment({ name: 'mattermost-operator', namespace: 'mattermost-operator', container: 'manager', replicas: 1, image: 'mattermost/mattermost-operator:v1.20.0', requests: null });
    const r = await runCheck(operatorHealth, { data: { operatorDeployment: d } });
    assert.equal(r.findings[0]?.actual, 'v1.20.0 (mattermost/mattermost-operator:v1.20.0)');
  });
  it('a Deployment read without spec fails as unavailable of 1 replica when unreported, and warns it has no container image', async () => {
    const d = { ...operator('mattermost/mattermost-operator:v1.25.9'), spec: undefined, status: undefined };
    const r = await runCheck(operatorHealth, { data: { operatorDeployment: d } });
    assert.deepEqual(r.findings.map((f) => f.message), ['The operator is not available: 0 of 1 replicas available', 'The operator version cannot be judged from its image (no container image)']);
  });
  for (const [what, spec] of [['no template', {}], ['a template without spec', { template: {} }]] as const) {
    it(`a Deployment read with ${what} warns: no container image`, async () => {
      const r = await runCheck(operatorHealth, { data: { operatorDeployment: { ...operator('mattermost/mattermost-operator:v1.25.9'), spec } } });
      assert.equal(r.status, 'warn', JSON.stringify(r.error));
      assert.equal(r.findings[0]?.message, 'The operator version cannot be judged from its image (no container image)');
    });
  }
  it('an operator exactly at minVersion passes', async () => {
    const r = await runCheck(operatorHealth, { data: { operatorDeployment: operator('mattermost/mattermost-operator:v1.21.0') } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });
  it('a pod template without containers warns: no container image', async () => {
    const d = operator('mattermost/mattermost-operator:v1.25.9');
    const podSpec = d.spec?.template?.spec;
    if (podSpec) podSpec.containers = [];
    const r = await runCheck(operatorHealth, { data: { operatorDeployment: d } });
    assert.equal(r.status, 'warn');
    assert.equal(r.findings[0]?.message, 'The operator version cannot be judged from its image (no container image)');
    assert.equal(r.findings[0]?.actual, 'none');
    assert.equal(r.summary, 'operator of unknown image, 1 available replica(s)');
  });
  it('an unjudgeable tag names the image in the finding and the summary', async () => {
    const r = await runCheck(operatorHealth, { data: { operatorDeployment: operator('mattermost/mattermost-operator:latest') } });
    assert.equal(r.findings[0]?.actual, 'mattermost/mattermost-operator:latest');
    assert.equal(r.summary, 'operator mattermost/mattermost-operator:latest, 1 available replica(s)');
  });
  it('a missing Deployment names the Deployment it looked for', async () => {
    const r = await runCheck(operatorHealth, { data: { operatorDeployment: null } });
    assert.deepEqual(r.findings[0]?.subject, { kind: 'Deployment', name: 'mattermost-operator' });
  });
  it('the Available condition is found wherever it is listed: Progressing=True first does not make it available', async () => {
    const d = operator('mattermost/mattermost-operator:v1.25.9', { available: false, availableReplicas: 1 });
    const conditions = [...(d.status?.conditions ?? [])].reverse();
    const r = await runCheck(operatorHealth, { data: { operatorDeployment: { ...d, status: { ...d.status, conditions } } } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.actual, 'Available=False, 1 available');
  });
  it('rejects a minVersion that is not a version', () => {
    assert.throws(() => operatorHealth.options.parse({ minVersion: 'newest' }), /a version such as 1\.21\.0/);
  });
});

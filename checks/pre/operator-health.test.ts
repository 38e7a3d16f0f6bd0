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
  it('rejects a minVersion that is not a version', () => {
    assert.throws(() => operatorHealth.options.parse({ minVersion: 'newest' }), /a version such as 1\.21\.0/);
  });
});

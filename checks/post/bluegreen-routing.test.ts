import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { clusterInstallation, deployment, ingress, probe } from '../../test/fixtures/bluegreen.js';
import check from './bluegreen-routing.js';

const idle = { kind: 'ClusterInstallation', strategy: 'bluegreen', side: 'idle', colour: 'green', productionColour: 'blue', workload: 'mm-green' } as const;
const deployments = [deployment('mm-blue', '10.11.4'), deployment('mm-green', '11.7.1')];

describe('bluegreen-routing', () => {
  it('passes when every answer through the idle host carries the idle version', async () => {
    const r = await runCheck(check, { scope: idle, data: { installation: clusterInstallation({ green: '11.7.1' }), deployments, routingProbe: probe('https://green.chat.example.com', '11.7.1', '11.7.1', '11.7.1') } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['onIdleVersion'], 3);
  });

  it('catches the idle host served by production and names the Ingress backend', async () => {
    const r = await runCheck(check, {
      scope: idle,
      data: { installation: clusterInstallation({ green: '11.7.1' }), deployments, routingProbe: probe('https://green.chat.example.com', '10.11.4', '10.11.4'), ingresses: [ingress('mm-green', 'green.chat.example.com', 'mm')] },
    });
    assert.equal(r.status, 'fail');
    const f = r.findings[0]!;
    assert.match(f.message, /Ingress mm-green sends it to Service mm, not mm-green/);
    assert.equal(f.expected, 'X-Version-Id 11.7.1 (Deployment mm-green) on every answer');
    assert.equal(f.actual, '10.11.4 ×2');
  });

  it('fails closed when no answer came through the idle host', async () => {
    const r = await runCheck(check, { scope: idle, data: { installation: clusterInstallation({ green: '11.7.1' }), deployments, routingProbe: { url: 'https://green.chat.example.com', answers: [{ error: 'cannot reach' }] } } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /1 of 1 requests/);
  });

  it('is not applicable on the production side', async () => {
    const r = await runCheck(check, { scope: { ...idle, side: 'production' }, data: { installation: clusterInstallation(), deployments, routingProbe: null } });
    assert.equal(r.status, 'not-applicable');
  });
});

describe('bluegreen-routing: what the idle host is judged by', () => {
  const installation = clusterInstallation({ green: '11.7.1' });
  const url = 'https://green.chat.example.com';
  const run = (data: Record<string, unknown>, scope: Record<string, unknown> = idle) =>
    runCheck(check, { scope, data: { installation, deployments, routingProbe: probe(url, '11.7.1'), ...data } });

  it('is not applicable outside a blue/green run, or without the idle colour', async () => {
    const cases: [Record<string, unknown>, Record<string, unknown>, string | RegExp][] = [
      [{ kind: 'Mattermost' }, { installation: clusterInstallation() }, 'not a blue/green installation'],
      [{ ...idle, strategy: 'canary' }, {}, 'not a blue/green installation'],
      [{ ...idle, side: 'production' }, {}, 'this run verifies the production side, not the idle colour'],
      [{ ...idle, colour: undefined }, {}, /idle/],
      [idle, { installation: { ...installation, kind: 'Mattermost' } }, /idle/],
    ];
    for (const [scope, data, reason] of cases) {
      const r = await run(data, scope);
      assert.equal(r.status, 'not-applicable', JSON.stringify(scope));
      if (typeof reason === 'string') assert.equal(r.reason, reason);
      else assert.match(r.reason ?? '', reason);
    }
  });

  it('fails closed when the idle host gave no answer at all, naming its Ingress', async () => {
    for (const routingProbe of [{ url, answers: [] }, null]) {
      const r = await run({ routingProbe });
      assert.equal(r.status, 'fail', JSON.stringify(routingProbe));
      assert.equal(r.findings.length, 1);
      const f = r.findings[0]!;
      assert.equal(f.message, 'no answer through the idle host green.chat.example.com was recorded');
      assert.deepEqual(f.subject, { kind: 'Ingress', namespace: 'mattermost', name: 'mm-green' });
      assert.equal(f.actual, 'none');
    }
  });

  it('fails when the idle Deployment is missing or its image has no version', async () => {
    const unversioned = deployment('mm-green', 'latest');
    for (const [deps, actual] of [[[deployments[0]], 'not found'], [[deployments[0], unversioned], 'an image without a version tag']] as const) {
      const r = await run({ deployments: deps });
      assert.equal(r.status, 'fail');
      assert.deepEqual(r.findings.map((f) => [f.subject?.kind, f.subject?.name, f.actual]), [['Deployment', 'mm-green', actual]]);
      assert.equal(r.measured?.['idleVersion'], 'unknown');
      assert.equal(r.measured?.['onIdleVersion'], 0);
    }
  });

  it('lists the first three answers that carried no version', async () => {
    const routingProbe = { url, answers: [{ error: 'reset 1' }, { status: 502 }, { status: 200 }, { error: 'reset 4' }, { status: 200, version: '11.7.1', versionId: '11.7.1.11.7.1.abc.true' }] };
    const r = await run({ routingProbe });
    assert.equal(r.status, 'fail');
    const f = r.findings[0]!;
    assert.equal(f.message, `4 of 5 requests through ${url} got no versioned answer`);
    assert.equal(f.actual, 'reset 1; HTTP 502, no X-Version-Id; HTTP 200, no X-Version-Id');
    assert.equal(r.measured?.['onIdleVersion'], 1);
  });

  it('blames other pods, not the Ingress, when the Ingress already points at the idle Service', async () => {
    for (const ingresses of [[], [ingress('mm-green', 'green.chat.example.com', 'mm-green')]]) {
      const r = await run({ routingProbe: probe(url, '11.7.1', '10.11.4'), ingresses });
      assert.equal(r.status, 'fail');
      const f = r.findings[0]!;
      assert.equal(f.message, 'the idle host green.chat.example.com answered with 10.11.4 ×1: other pods than the idle colour\'s serve it');
      assert.equal(f.actual, '11.7.1 ×1, 10.11.4 ×1');
      assert.match(f.remediation ?? '', /^find what serves green\.chat\.example\.com:/);
    }
  });

  it('shows the X-Version-Id of the first four answers as evidence', async () => {
    const routingProbe = { url, answers: [...probe(url, '10.11.4', '10.11.4', '10.11.4').answers, { status: 200, version: '10.11.4' }, { status: 200, version: '10.11.4', versionId: 'fifth' }] };
    const r = await run({ routingProbe });
    assert.deepEqual(r.findings[0]?.evidence, ['X-Version-Id: 10.11.4.10.11.4.abc.true', 'X-Version-Id: 10.11.4.10.11.4.abc.true', 'X-Version-Id: 10.11.4.10.11.4.abc.true', 'X-Version-Id: (none)']);
    assert.deepEqual(r.measured, { answers: 5, idleVersion: '11.7.1', onIdleVersion: 0 });
  });
});

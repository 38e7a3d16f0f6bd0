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

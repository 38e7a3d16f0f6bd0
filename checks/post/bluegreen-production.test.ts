import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { clusterInstallation, deployment, probe, service } from '../../test/fixtures/bluegreen.js';
import check from './bluegreen-production.js';

const prod = (colour: 'blue' | 'green') => ({ kind: 'ClusterInstallation', strategy: 'bluegreen', side: 'production', colour, productionColour: colour, workload: `mm-${colour}` } as const);
const baseline = { meta: { phase: 'pre', scope: { namespace: 'mattermost', installation: 'mm', productionColour: 'blue' } }, data: {} };
const deployments = [deployment('mm-blue', '10.11.4'), deployment('mm-green', '11.7.1')];

describe('bluegreen-production', () => {
  it('passes after the switch to the verified colour and warns about the old colour left running', async () => {
    const r = await runCheck(check, { scope: prod('green'), data: { installation: clusterInstallation({ production: 'green', green: '11.7.1' }), deployments, services: [service('mm', 'mm-green')], routingProbe: probe('https://chat.example.com', '11.7.1', '11.7.1'), baseline } });
    assert.equal(r.status, 'warn');
    assert.equal(r.findings.length, 1);
    assert.match(r.findings[0]!.message, /old colour blue still runs 2 pod\(s\) on 10\.11\.4/);
  });

  it('fails when production still names the unverified colour', async () => {
    const r = await runCheck(check, { scope: prod('blue'), data: { installation: clusterInstallation({ green: '11.7.1' }), deployments, services: [service('mm', 'mm-blue')], routingProbe: probe('https://chat.example.com', '10.11.4'), baseline } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]!.message, /productionDeployment names blue, but the verified colour is green/);
    assert.ok(r.findings.some((f) => f.subject?.kind === 'Service' && f.actual === 'mm-blue'));
    assert.ok(r.findings.some((f) => f.actual === '10.11.4 ×1'));
    assert.ok(!r.findings.some((f) => /costs resources/.test(f.message)), 'production is not "left running"');
  });

  it('fails when the main Service still selects the old colour', async () => {
    const r = await runCheck(check, { scope: prod('green'), data: { installation: clusterInstallation({ production: 'green', green: '11.7.1' }), deployments, services: [service('mm', 'mm-blue')], routingProbe: probe('https://chat.example.com', '11.7.1'), baseline } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.expected, 'v1alpha1.mattermost.com/installation=mm-green');
  });
});

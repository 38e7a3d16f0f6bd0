import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCheck } from '../../core/testing.js';
import { clusterInstallation, deployment } from '../../test/fixtures/bluegreen.js';
import check from './bluegreen-state.js';

const bg = { kind: 'ClusterInstallation', strategy: 'bluegreen', side: 'production', colour: 'blue', productionColour: 'blue', workload: 'mm-blue' } as const;

describe('bluegreen-state', () => {
  it('names the idle colour and its host when production is healthy and untouched', async () => {
    const r = await runCheck(check, { scope: bg, data: { installation: clusterInstallation(), deployments: [deployment('mm-blue', '10.11.4'), deployment('mm-green', '10.11.4')] } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['idleColour'], 'green');
    assert.equal(r.measured?.['idleHost'], 'green.chat.example.com');
    assert.match(r.summary ?? '', /set spec\.blueGreen\.green\.version to 11\.7\.1/);
  });

  it('fails when the target went to the production colour', async () => {
    const r = await runCheck(check, { scope: bg, data: { installation: clusterInstallation({ blue: '11.7.1' }), deployments: [deployment('mm-blue', '10.11.4'), deployment('mm-green', '10.11.4')] } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /the upgrade went to the production colour/);
    assert.match(r.findings[0]?.remediation ?? '', /spec\.blueGreen\.green\.version/);
  });

  it('fails when production is not fully available', async () => {
    const r = await runCheck(check, { scope: bg, data: { installation: clusterInstallation(), deployments: [deployment('mm-blue', '10.11.4', 1), deployment('mm-green', '10.11.4')] } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.subject?.name, 'mm-blue');
  });

  it('is not applicable to an installation without blue/green', async () => {
    const r = await runCheck(check, { data: { installation: { kind: 'Mattermost', metadata: { name: 'mm' } }, deployments: [] } });
    assert.equal(r.status, 'not-applicable');
  });
});

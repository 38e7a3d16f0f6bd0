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

  const both = [deployment('mm-blue', '10.11.4'), deployment('mm-green', '10.11.4')];
  const judge = (installation: unknown, deployments: unknown[] = both, target?: Record<string, string>) =>
    runCheck(check, { scope: bg, data: { installation, deployments }, ...(target ? { target } : {}) });
  const withBlueGreen = (over: Record<string, unknown>) => {
    const cr = clusterInstallation();
    return { ...cr, spec: { ...cr.spec, blueGreen: { ...cr.spec?.blueGreen, ...over } } };
  };

  it('a ClusterInstallation with blue/green switched off is not applicable, named by its kind', async () => {
    const r = await judge(withBlueGreen({ enable: false }));
    assert.equal(r.status, 'not-applicable');
    assert.match(r.reason ?? '', /^ClusterInstallation mm has no blue\/green enabled/);
  });
  it('a ClusterInstallation without a blueGreen block is not applicable', async () => {
    const cr = clusterInstallation();
    const { blueGreen: _, ...spec } = cr.spec ?? {};
    assert.equal((await judge({ ...cr, spec })).status, 'not-applicable');
  });
  it('without a target version it cannot tell the colours apart: error', async () => {
    const r = await judge(clusterInstallation(), both, {});
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /needs the target/);
  });
  it('a productionDeployment naming neither colour fails and quotes it', async () => {
    const r = await judge(withBlueGreen({ productionDeployment: 'purple' }));
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'spec.blueGreen.productionDeployment is "purple": neither colour serves production');
    assert.equal(r.findings[0]?.actual, 'purple');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'ClusterInstallation', namespace: 'mattermost', name: 'mm' });
  });
  it('an unset productionDeployment fails as unset', async () => {
    const r = await judge(withBlueGreen({ productionDeployment: undefined }));
    assert.equal(r.findings[0]?.message, 'spec.blueGreen.productionDeployment is "": neither colour serves production');
    assert.equal(r.findings[0]?.actual, 'unset');
  });
  it('production health is read from the production Deployment, whatever the listing order', async () => {
    const r = await judge(clusterInstallation(), [deployment('mm-green', '10.11.4', 1), deployment('mm-blue', '10.11.4')]);
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });
  it('a missing production Deployment fails; the summary cannot name what production runs', async () => {
    const r = await judge(clusterInstallation(), [deployment('mm-green', '10.11.4')]);
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'Deployment', namespace: 'mattermost', name: 'mm-blue' });
    assert.equal(r.findings[0]?.message, 'the production colour blue has no Deployment mm-blue');
    assert.match(r.summary ?? '', /^production is blue \(\?\)/);
    assert.equal(r.measured?.['productionVersion'], 'unknown');
  });
  it('the target on production with its Deployment missing asks to put back the version it runs', async () => {
    const r = await judge(clusterInstallation({ blue: '11.7.1' }), [deployment('mm-green', '10.11.4')]);
    const f = r.findings.find((x) => /went to the production colour/.test(x.message));
    assert.match(f?.expected ?? '', /version as it runs/);
    assert.match(f?.remediation ?? '', /back to its running version/);
  });
  it('a missing idle Deployment fails: nothing to upgrade', async () => {
    const r = await judge(clusterInstallation(), [deployment('mm-blue', '10.11.4')]);
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'the idle colour green has no Deployment mm-green to upgrade');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'Deployment', namespace: 'mattermost', name: 'mm-green' });
  });
  it('a production Deployment without status has nothing available: fails', async () => {
    const { status: _, ...blue } = deployment('mm-blue', '10.11.4');
    const r = await judge(clusterInstallation(), [blue, deployment('mm-green', '10.11.4')]);
    assert.equal(r.status, 'fail');
  });
  it('a production Deployment without spec.replicas wants 1', async () => {
    const d = deployment('mm-blue', '10.11.4', 1);
    const { replicas: _, ...spec } = d.spec ?? {};
    const r = await judge(clusterInstallation(), [{ ...d, spec }, deployment('mm-green', '10.11.4')]);
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });
  it('production already running the target with the target in its spec is untouched', async () => {
    const r = await judge(clusterInstallation({ blue: '11.7.1' }), [deployment('mm-blue', '11.7.1'), deployment('mm-green', '10.11.4')]);
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
  });
  it('an idle colour on another image than the target fails', async () => {
    const r = await judge(clusterInstallation(), both, { version: '11.7.1', image: 'mattermost/mattermost-team-edition:11.7.1' });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /^the idle colour green uses image mattermost\/mattermost-enterprise-edition, not the target's mattermost\/mattermost-team-edition/);
    assert.equal((await judge(clusterInstallation(), both, { version: '11.7.1', image: 'mattermost/mattermost-enterprise-edition:11.7.1' })).status, 'pass');
  });
  it('an idle colour already on the target says so', async () => {
    const r = await judge(clusterInstallation({ green: '11.7.1' }));
    assert.match(r.summary ?? '', /: spec\.blueGreen\.green\.version is already 11\.7\.1$/);
    assert.equal(r.measured?.['idleSpecVersion'], '11.7.1');
  });
  it('an idle colour without a version is reported unset', async () => {
    const r = await judge(withBlueGreen({ green: { name: 'mm-green', ingressName: 'green.chat.example.com', image: 'mattermost/mattermost-enterprise-edition' } }));
    assert.match(r.summary ?? '', /\(now unset\)$/);
    assert.equal(r.measured?.['idleSpecVersion'], 'unset');
  });
});

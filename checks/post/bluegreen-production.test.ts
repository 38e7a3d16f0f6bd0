import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Baseline } from '../../core/baseline.js';
import type { KubeDeployment, KubeService } from '../../core/kube-types.js';
import { runCheck } from '../../core/testing.js';
import { clusterInstallation, deployment, probe, service } from '../../test/fixtures/bluegreen.js';
import { preflightBaseline } from '../fixtures.js';
import check from './bluegreen-production.js';

const prod = (colour: 'blue' | 'green') => ({ kind: 'ClusterInstallation', strategy: 'bluegreen', side: 'production', colour, productionColour: colour, workload: `mm-${colour}` } as const);
/** Preflight ran with blue in production: green was the idle colour, upgraded and verified. */
const baseline: Baseline = { ...preflightBaseline({}), scope: { namespace: 'mattermost', installation: 'mm', kind: 'ClusterInstallation', strategy: 'bluegreen', productionColour: 'blue' } };
const deployments = [deployment('mm-blue', '10.11.4'), deployment('mm-green', '11.7.1')];
/** After the switch to green, the colour idle (and verified) at preflight: every part in place. */
const switched = { installation: clusterInstallation({ production: 'green', green: '11.7.1' }), deployments, services: [service('mm', 'mm-green')], routingProbe: probe('https://chat.example.com', '11.7.1', '11.7.1'), baseline };

describe('bluegreen-production', () => {
  it('passes after the switch to the verified colour and warns about the old colour left running', async () => {
    const r = await runCheck(check, { scope: prod('green'), data: switched });
    assert.equal(r.status, 'warn');
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.match(f.message, /old colour blue still runs 2 pod\(s\) on 10\.11\.4/);
    assert.deepEqual(f.subject, { kind: 'Deployment', namespace: 'mattermost', name: 'mm-blue' });
    assert.equal(f.expected, 'blue brought to 11.7.1 or scaled down once production is trusted');
    assert.equal(f.actual, '2 ready on 10.11.4');
    assert.match(f.remediation ?? '', /set spec\.blueGreen\.blue\.version to 11\.7\.1/);
    assert.equal(r.summary, 'production is green, verified colour green; front door: 11.7.1 ×2');
    assert.deepEqual({ ...r.measured }, { productionColour: 'green', verifiedColour: 'green', frontDoorOnVerified: 2 });
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

  it('passes without a finding once the old colour is scaled down or brought to the new version', async () => {
    const run = (old?: KubeDeployment) => runCheck(check, { scope: prod('green'), data: { ...switched, deployments: [...(old ? [old] : []), deployment('mm-green', '11.7.1')] } });
    const deleted = await run();
    assert.equal(deleted.status, 'pass', JSON.stringify(deleted.findings));
    const scaledDown = await run({ ...deployment('mm-blue', '10.11.4', 0), spec: { ...deployment('mm-blue', '10.11.4').spec, replicas: 0 } });
    assert.equal(scaledDown.status, 'pass', JSON.stringify(scaledDown.findings));
    assert.equal(scaledDown.findings.length, 0);
    const upgraded = await run(deployment('mm-blue', '11.7.1'));
    assert.equal(upgraded.status, 'pass', JSON.stringify(upgraded.findings));
    assert.equal(upgraded.findings.length, 0);
    const unread = await run({ metadata: { name: 'mm-blue', namespace: 'mattermost' } });
    assert.equal(unread.status, 'pass', 'an old colour with neither spec nor status runs no pod that can be counted');
  });

  it('counts the old colour\'s ready pods, or its desired replicas while its status is not reported', async () => {
    const run = (old: KubeDeployment) => runCheck(check, { scope: prod('green'), data: { ...switched, deployments: [deployment('mm-green', '11.7.1'), old] } });
    const scalingDown = await run({ ...deployment('mm-blue', '10.11.4', 1), spec: { ...deployment('mm-blue', '10.11.4').spec, replicas: 0 } });
    assert.equal(scalingDown.status, 'warn');
    assert.match(scalingDown.findings[0]!.message, /old colour blue still runs 1 pod\(s\) on 10\.11\.4/);
    assert.equal(scalingDown.findings[0]!.actual, '1 ready on 10.11.4');
    const { status: _status, ...noStatus } = deployment('mm-blue', '10.11.4');
    const unreported = await run(noStatus);
    assert.equal(unreported.status, 'warn');
    assert.equal(unreported.findings[0]!.actual, '2 ready on 10.11.4');
  });

  it('without a baseline, the verified colour is the one whose Deployment runs the target', async () => {
    const r = await runCheck(check, { scope: prod('green'), data: { ...switched, baseline: null } });
    assert.equal(r.status, 'warn', JSON.stringify(r.findings));
    assert.equal(r.measured?.['verifiedColour'], 'green');
  });

  it('with a baseline, the verified colour is the one idle at preflight, even when both colours now run the target', async () => {
    const both = [deployment('mm-blue', '11.7.1'), deployment('mm-green', '11.7.1')];
    const r = await runCheck(check, { scope: prod('green'), data: { ...switched, deployments: both } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['verifiedColour'], 'green');
  });

  it('fails when no colour can be called verified: no baseline, and neither Deployment runs the target', async () => {
    const r = await runCheck(check, { scope: prod('green'), data: { ...switched, baseline: null, deployments: [deployment('mm-green', '11.6.0'), deployment('mm-blue', '10.11.4')] } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.match(f.message, /no colour can be called verified/);
    assert.deepEqual(f.subject, { kind: 'ClusterInstallation', namespace: 'mattermost', name: 'mm' });
    assert.equal(f.expected, 'a colour on 11.7.1');
    assert.equal(f.actual, 'blue 10.11.4, green 11.6.0');
    assert.match(f.remediation ?? '', /--baseline/);
    const unknown = await runCheck(check, { scope: prod('green'), target: { image: `mattermost/mattermost-enterprise-edition@sha256:${'a'.repeat(64)}` }, data: { ...switched, baseline: null, deployments: [deployment('mm-blue', '10.11.4')] } });
    assert.equal(unknown.status, 'fail');
    assert.equal(unknown.findings[0]!.expected, 'a colour on the target');
    assert.equal(unknown.findings[0]!.actual, 'blue 10.11.4, green ?');
  });

  it('names what productionDeployment says when it is not the verified colour: a Deployment name, an unknown value, or nothing', async () => {
    const run = (productionDeployment: string | undefined) => {
      const ci = clusterInstallation({ green: '11.7.1' });
      const bg = { ...ci.spec!.blueGreen!, productionDeployment };
      return runCheck(check, { scope: prod('green'), data: { ...switched, installation: { ...ci, spec: { ...ci.spec, blueGreen: bg } } } });
    };
    const byName = await run('mm-blue');
    assert.equal(byName.findings[0]!.message, 'productionDeployment names blue, but the verified colour is green');
    assert.equal(byName.findings[0]!.expected, 'spec.blueGreen.productionDeployment green');
    assert.equal(byName.findings[0]!.actual, 'mm-blue');
    const unknown = await run('purple');
    assert.equal(unknown.findings[0]!.message, 'productionDeployment names purple, but the verified colour is green');
    assert.equal(unknown.measured?.['productionColour'], 'none');
    assert.match(unknown.summary ?? '', /^production is \?, verified colour green/);
    const unset = await run(undefined);
    assert.equal(unset.findings[0]!.message, 'productionDeployment names nothing, but the verified colour is green');
    assert.equal(unset.findings[0]!.actual, 'unset');
    const { blueGreen: _bg, ...noBlueGreen } = clusterInstallation().spec!;
    const gone = await runCheck(check, { scope: prod('green'), data: { ...switched, installation: { ...clusterInstallation(), spec: noBlueGreen } } });
    assert.equal(gone.status, 'fail');
    assert.equal(gone.findings[0]!.actual, 'unset');
    const { spec: _spec, ...bare } = clusterInstallation();
    const specless = await runCheck(check, { scope: prod('green'), data: { ...switched, installation: bare } });
    assert.equal(specless.findings[0]!.message, 'productionDeployment names nothing, but the verified colour is green');
    assert.equal(specless.findings[0]!.actual, 'unset');
  });

  it('judges the main Service (named like the installation), not the colours\' own Services', async () => {
    const run = (services: KubeService[]) => runCheck(check, { scope: prod('green'), data: { ...switched, services } });
    const stale = await run([service('mm-green', 'mm-green'), service('mm', 'mm-blue')]);
    assert.equal(stale.status, 'fail');
    assert.deepEqual(stale.findings[0]!.subject, { kind: 'Service', namespace: 'mattermost', name: 'mm' });
    assert.equal(stale.findings[0]!.message, 'Service mm selects v1alpha1.mattermost.com/installation=mm-blue, not the verified colour\'s pods');
    const missing = await run([service('mm-green', 'mm-green')]);
    assert.equal(missing.status, 'fail');
    assert.equal(missing.findings[0]!.message, 'Service mm selects nothing: it does not exist, not the verified colour\'s pods');
    assert.equal(missing.findings[0]!.actual, 'none');
    for (const main of [{ metadata: { name: 'mm' } }, { metadata: { name: 'mm' }, spec: {} }]) {
      const r = await run([main]);
      assert.equal(r.status, 'fail');
      assert.equal(r.findings[0]!.message, 'Service mm selects no colour, not the verified colour\'s pods');
    }
  });

  it('expects the front door to answer with the version the verified colour\'s Deployment runs, or the target when it was not read', async () => {
    const hotfix = [deployment('mm-blue', '10.11.4', 0), deployment('mm-green', '11.7.2')];
    const onHotfix = await runCheck(check, { scope: prod('green'), data: { ...switched, deployments: hotfix, routingProbe: probe('https://chat.example.com', '11.7.2', '11.7.2') } });
    assert.equal(onHotfix.status, 'pass', JSON.stringify(onHotfix.findings));
    assert.equal(onHotfix.measured?.['frontDoorOnVerified'], 2);
    const onTarget = await runCheck(check, { scope: prod('green'), data: { ...switched, deployments: hotfix } });
    assert.equal(onTarget.status, 'fail');
    assert.equal(onTarget.findings[0]!.expected, 'X-Version-Id 11.7.2 on every answer');
    const unread = await runCheck(check, { scope: prod('green'), data: { ...switched, deployments: [deployment('mm-blue', '10.11.4', 0)] } });
    assert.equal(unread.status, 'pass', JSON.stringify(unread.findings));
  });

  it('fails when answers through the front door failed, naming the first three, or when there were none', async () => {
    const answers = [{ status: 200, version: '11.7.1', versionId: 'x' }, { status: 502 }, { status: 503 }, { error: 'ECONNRESET' }, { error: 'timeout' }];
    const r = await runCheck(check, { scope: prod('green'), data: { ...switched, routingProbe: { url: 'https://chat.example.com', answers } } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings.length, 2, 'the failures, and the old colour left running');
    const f = r.findings[0]!;
    assert.equal(f.message, 'the front door answered with 11.7.1 ×1 and 4 failures, not only the verified colour\'s 11.7.1');
    assert.deepEqual(f.subject, { kind: 'Ingress', namespace: 'mattermost', name: 'mm' });
    assert.equal(f.expected, 'X-Version-Id 11.7.1 on every answer');
    assert.equal(f.actual, '11.7.1 ×1');
    assert.deepEqual(f.evidence, ['HTTP 502, no X-Version-Id', 'HTTP 503, no X-Version-Id', 'ECONNRESET']);
    const none = await runCheck(check, { scope: prod('green'), data: { ...switched, routingProbe: { url: 'https://chat.example.com', answers: [] } } });
    assert.equal(none.status, 'fail');
    assert.equal(none.findings[0]!.message, 'the front door answered with none, not only the verified colour\'s 11.7.1');
    assert.equal(none.findings[0]!.evidence, undefined);
    const unprobed = await runCheck(check, { scope: prod('green'), data: { ...switched, routingProbe: null } });
    assert.equal(unprobed.status, 'fail');
    assert.deepEqual(unprobed.findings[0]!.evidence, ['no answers recorded']);
  });

  it('is not applicable to other runs, saying why', async () => {
    const rolling = await runCheck(check, { scope: { kind: 'ClusterInstallation' }, data: switched });
    assert.equal(rolling.status, 'not-applicable');
    assert.equal(rolling.reason, 'not a blue/green installation');
    const idle = await runCheck(check, { scope: { ...prod('blue'), side: 'idle', colour: 'green' }, data: switched });
    assert.equal(idle.status, 'not-applicable');
    assert.match(idle.reason ?? '', /verifies the idle colour/);
    const canaryStable = await runCheck(check, { scope: { kind: 'ClusterInstallation', strategy: 'canary', side: 'production' }, data: switched });
    assert.equal(canaryStable.status, 'not-applicable');
    assert.equal(canaryStable.reason, 'not a blue/green installation');
    const v1beta1 = await runCheck(check, { scope: prod('green'), data: { ...switched, installation: { ...switched.installation, kind: 'Mattermost', apiVersion: 'installation.mattermost.com/v1beta1' } } });
    assert.equal(v1beta1.status, 'not-applicable');
  });
});

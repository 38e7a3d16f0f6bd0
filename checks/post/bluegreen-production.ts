/**
 * After the switch, proves production runs what was verified: productionDeployment names the
 * colour that was idle at preflight (the one upgraded and verified), the main Service `<ci>`
 * selects that colour's pods, and the front door answers with its version. The old colour left
 * running at the old version is a warning: it costs resources, and it is the way back.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { colours, isClusterInstallation, otherColour, productionColour, V1ALPHA1_LABEL } from '../../core/installation.js';
import { installationRef, targetVersion } from '../../core/mattermost.js';
import { outcomeOf } from '../../core/outcome.js';
import { answerVersions, deploymentVersion, versionsText } from '../../core/strategy.js';
import { present, type Finding } from '../../core/types.js';

export const bluegreenProduction = defineCheck({
  meta: {
    id: 'bluegreen-production',
    phase: 'post',
    title: 'Blue/green: production is the verified colour, selected by the main Service and answering with its version',
    failureTitle: 'Blue/green: production is not (only) the verified colour, or the old colour is left running',
    description: 'A switch to the wrong colour, or a main Service still selecting the old colour, puts an unverified build (or the old one) in front of users while the gate says done. After `--side production`, production must be the colour verified while idle.',
    requires: ['installation', 'deployments', 'services', 'routingProbe'],
    optional: ['baseline'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input, { scope, target }) {
    const cr = input.installation;
    if (scope.strategy !== 'bluegreen' || scope.side !== 'production' || !isClusterInstallation(cr)) {
      return { status: 'not-applicable', reason: scope.strategy === 'bluegreen' ? 'this run verifies the idle colour (after the switch, run verify --side production)' : 'not a blue/green installation' };
    }
    const apps = colours(cr);
    const want = targetVersion(target);
    // The verified colour: the one idle at preflight, else the one whose Deployment runs the target
    // (none when the target names no version: a Deployment not read does not "run" an unknown one).
    const before = present(input.baseline)?.scope;
    const verified = before?.productionColour ? otherColour(before.productionColour)
      : want ? (['blue', 'green'] as const).find((c) => deploymentVersion(input.deployments.find((d) => d.metadata.name === apps[c].name)) === want) : undefined;
    const prod = productionColour(cr);
    const fails: Finding[] = [];
    const warns: Finding[] = [];
    const subject = installationRef(scope);
    if (!verified) {
      fails.push({ message: 'no colour can be called verified: no preflight baseline, and neither colour\'s Deployment runs the target', subject, expected: `a colour on ${want ?? 'the target'}`, actual: `blue ${deploymentVersion(input.deployments.find((d) => d.metadata.name === apps.blue.name)) ?? '?'}, green ${deploymentVersion(input.deployments.find((d) => d.metadata.name === apps.green.name)) ?? '?'}`, remediation: 'give --baseline preflight.snapshot.json, or upgrade and verify the idle colour first' });
      return outcomeOf({ fails });
    }
    if (prod !== verified) {
      fails.push({ message: `productionDeployment names ${prod ?? cr.spec?.blueGreen?.productionDeployment ?? 'nothing'}, but the verified colour is ${verified}`, subject, expected: `spec.blueGreen.productionDeployment ${verified}`, actual: String(cr.spec?.blueGreen?.productionDeployment ?? 'unset'), remediation: `switch production to the verified colour: kubectl -n ${scope.namespace} patch clusterinstallation ${scope.installation} --type merge -p '{"spec":{"blueGreen":{"productionDeployment":"${verified}"}}}'` });
    }
    const main = input.services.find((s) => s.metadata.name === scope.installation);
    const selects = main?.spec?.selector?.[V1ALPHA1_LABEL];
    if (selects !== apps[verified].name) {
      fails.push({ message: `Service ${scope.installation} selects ${selects ? `${V1ALPHA1_LABEL}=${selects}` : main ? 'no colour' : 'nothing: it does not exist'}, not the verified colour's pods`, subject: { kind: 'Service', namespace: scope.namespace, name: scope.installation }, expected: `${V1ALPHA1_LABEL}=${apps[verified].name}`, actual: selects ?? 'none', remediation: 'the operator points the main Service at the production colour on reconcile: check productionDeployment and the operator logs' });
    }
    const probe = input.routingProbe;
    const { versions, failed } = probe ? answerVersions(probe) : { versions: {}, failed: ['no answers recorded'] };
    const verifiedVersion = deploymentVersion(input.deployments.find((d) => d.metadata.name === apps[verified].name)) ?? want;
    const off = Object.keys(versions).filter((v) => v !== verifiedVersion);
    if (failed.length > 0 || off.length > 0 || Object.keys(versions).length === 0) {
      fails.push({ message: `the front door answered with ${versionsText(versions)}${failed.length ? ` and ${failed.length} failures` : ''}, not only the verified colour's ${verifiedVersion ?? '?'}`, subject: { kind: 'Ingress', namespace: scope.namespace, name: scope.installation }, expected: `X-Version-Id ${verifiedVersion ?? '?'} on every answer`, actual: versionsText(versions), remediation: 'find what else serves the production host: kubectl get ingress,svc,endpoints -o wide', ...(failed.length ? { evidence: failed.slice(0, 3) } : {}) });
    }
    const old = otherColour(verified);
    const oldDep = input.deployments.find((d) => d.metadata.name === apps[old].name);
    const oldPods = oldDep?.status?.readyReplicas ?? oldDep?.spec?.replicas ?? 0;
    const oldVersion = deploymentVersion(oldDep);
    // Only once production is the verified colour is the other one "left running".
    if (prod === verified && oldPods > 0 && oldVersion !== verifiedVersion) {
      warns.push({ message: `the old colour ${old} still runs ${oldPods} pod(s) on ${oldVersion ?? 'the old version'}: it costs resources`, subject: { kind: 'Deployment', namespace: scope.namespace, name: apps[old].name }, expected: `${old} brought to ${verifiedVersion ?? 'the new version'} or scaled down once production is trusted`, actual: `${oldPods} ready on ${oldVersion ?? '?'}`, remediation: `keep it while a switch back may be needed; then set spec.blueGreen.${old}.version to ${verifiedVersion ?? 'the new version'} (it becomes the next idle colour)` });
    }
    return outcomeOf({ fails, warns, summary: `production is ${prod ?? '?'}, verified colour ${verified}; front door: ${versionsText(versions)}`, measured: { productionColour: prod ?? 'none', verifiedColour: verified, frontDoorOnVerified: verifiedVersion ? versions[verifiedVersion] ?? 0 : 0 } });
  },
});

export default bluegreenProduction;

/**
 * Prevents a blue/green upgrade that would touch production: before the idle colour gets the new
 * version, production must be the colour productionDeployment names, with its Deployment fully
 * available and its spec still on the version it runs (untouched), and the idle colour must
 * exist to receive the target (its spec.blueGreen.<idle>.version set to the target, or about to
 * be). Tells which colour is idle, so the runbook edits the right one (docs/strategies.md).
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { colours, isClusterInstallation, otherColour, productionColour } from '../../core/installation.js';
import { describeTarget, installationRef, NoTargetError, targetVersion } from '../../core/mattermost.js';
import { outcomeOf } from '../../core/outcome.js';
import { deploymentVersion } from '../../core/strategy.js';
import type { Finding } from '../../core/types.js';
import { parseImage } from '../../core/version.js';

export const bluegreenState = defineCheck({
  meta: {
    id: 'bluegreen-state',
    phase: 'pre',
    title: 'Blue/green: production is healthy and untouched, the idle colour is ready for the target',
    failureTitle: 'Blue/green: production was changed or is not healthy, or the idle colour cannot take the upgrade',
    description: 'On a blue/green ClusterInstallation the upgrade goes to the idle colour and production switches only once that colour is proven. Changing the production colour instead, or switching away from an unhealthy production, takes users down with no way back.',
    requires: ['installation', 'deployments'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate({ installation: cr, deployments }, { scope, target }) {
    if (!isClusterInstallation(cr) || cr.spec?.blueGreen?.enable !== true) return { status: 'not-applicable', reason: `${scope.kind ?? 'Mattermost'} ${scope.installation} has no blue/green enabled: the upgrade is in place` };
    const want = targetVersion(target);
    if (!want) throw new NoTargetError('bluegreen-state needs the target to tell the colours apart');
    const prod = productionColour(cr);
    const subject = installationRef(scope);
    if (!prod) {
      return outcomeOf({ fails: [{ message: `spec.blueGreen.productionDeployment is "${cr.spec.blueGreen.productionDeployment ?? ''}": neither colour serves production`, subject, expected: 'blue or green (or a colour\'s Deployment name)', actual: cr.spec.blueGreen.productionDeployment ?? 'unset', remediation: `kubectl -n ${scope.namespace} edit clusterinstallation ${scope.installation}: set spec.blueGreen.productionDeployment to the colour serving users` }] });
    }
    const idle = otherColour(prod);
    const apps = colours(cr);
    const fails: Finding[] = [];
    const prodDep = deployments.find((d) => d.metadata.name === apps[prod].name);
    const idleDep = deployments.find((d) => d.metadata.name === apps[idle].name);
    const running = deploymentVersion(prodDep);
    if (!prodDep) {
      fails.push({ message: `the production colour ${prod} has no Deployment ${apps[prod].name}`, subject: { kind: 'Deployment', namespace: scope.namespace, name: apps[prod].name }, expected: 'the Deployment exists', actual: 'not found', remediation: 'the operator creates it from spec.blueGreen: read the operator logs' });
    } else {
      const want = prodDep.spec?.replicas ?? 1;
      const available = prodDep.status?.availableReplicas ?? 0;
      if (available < want) fails.push({ message: `production (${prod}, Deployment ${apps[prod].name}) has ${available} of ${want} replicas available`, subject: { kind: 'Deployment', namespace: scope.namespace, name: apps[prod].name }, expected: `${want} available`, actual: String(available), remediation: 'fix production before the upgrade: switching away from (or back to) an unhealthy colour leaves nothing healthy to serve' });
    }
    // Untouched: production's spec still asks for what its Deployment runs, not for the target.
    const prodSpec = apps[prod].version;
    if (prodSpec && prodSpec === want && running !== want) {
      fails.push({ message: `spec.blueGreen.${prod}.version is the target ${want}, but ${prod} serves production: the upgrade went to the production colour`, subject, expected: `spec.blueGreen.${prod}.version ${running ?? 'as it runs'} (only the idle colour ${idle} changes)`, actual: prodSpec, remediation: `set spec.blueGreen.${prod}.version back to ${running ?? 'its running version'} and put ${want} on spec.blueGreen.${idle}.version` });
    }
    if (!idleDep) fails.push({ message: `the idle colour ${idle} has no Deployment ${apps[idle].name} to upgrade`, subject: { kind: 'Deployment', namespace: scope.namespace, name: apps[idle].name }, expected: 'the Deployment exists', actual: 'not found', remediation: 'the operator creates both colours when blue/green is enabled: read its logs' });
    if (target.image && apps[idle].image && parseImage(target.image).repository !== parseImage(apps[idle].image).repository) {
      fails.push({ message: `the idle colour ${idle} uses image ${apps[idle].image}, not the target's ${parseImage(target.image).repository}`, subject, expected: describeTarget(target), actual: apps[idle].image, remediation: `set spec.blueGreen.${idle}.image to ${parseImage(target.image).repository}` });
    }
    const idleSpec = apps[idle].version;
    const ready = idleSpec === want ? `spec.blueGreen.${idle}.version is already ${want}` : `next: set spec.blueGreen.${idle}.version to ${want} (now ${idleSpec ?? 'unset'})`;
    return outcomeOf({
      fails,
      summary: `production is ${prod} (${running ?? '?'}); idle is ${idle}, host ${apps[idle].ingressName}: ${ready}`,
      measured: { productionColour: prod, idleColour: idle, productionVersion: running ?? 'unknown', idleSpecVersion: idleSpec ?? 'unset', idleHost: apps[idle].ingressName },
    });
  },
});

export default bluegreenState;

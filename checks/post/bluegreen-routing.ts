/**
 * Prevents verifying the wrong pods: since operator v1.16 the colour Ingresses may all point at
 * the main Service `<ci>`, so the idle colour's host serves production pods and every journey
 * "through the idle colour" tests production (docs/strategies.md, Blue/green). The X-Version-Id of the answers through
 * the idle host must be the idle Deployment's version, every time.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { colours, isClusterInstallation } from '../../core/installation.js';
import { outcomeOf } from '../../core/outcome.js';
import { answerVersions, deploymentVersion, ingressBackend, versionsText } from '../../core/strategy.js';
import type { Finding } from '../../core/types.js';
import { present } from '../../core/types.js';

export const bluegreenRouting = defineCheck({
  meta: {
    id: 'bluegreen-routing',
    phase: 'post',
    title: 'Blue/green: the idle colour\'s host reaches the idle colour\'s pods',
    failureTitle: 'Blue/green: the idle colour\'s host does not reach (only) the idle colour\'s pods',
    description: 'Journeys sent to the idle colour\'s host prove nothing if that host serves production: the operator (v1.16+) may point every colour Ingress at the main Service. Every answer through the idle host must carry the idle Deployment\'s version in X-Version-Id.',
    requires: ['installation', 'deployments', 'routingProbe'],
    optional: ['ingresses'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input, { scope }) {
    const cr = input.installation;
    if (scope.strategy !== 'bluegreen' || scope.side !== 'idle' || !scope.colour || !isClusterInstallation(cr)) {
      return { status: 'not-applicable', reason: scope.strategy === 'bluegreen' ? `this run verifies the ${scope.side} side, not the idle colour` : 'not a blue/green installation' };
    }
    const probe = input.routingProbe;
    const app = colours(cr)[scope.colour];
    const idleDep = input.deployments.find((d) => d.metadata.name === app.name);
    const want = deploymentVersion(idleDep);
    const subject = { kind: 'Ingress', namespace: scope.namespace, name: app.name };
    const fails: Finding[] = [];
    if (!want) fails.push({ message: `the idle Deployment ${app.name} does not say which version it runs`, subject: { kind: 'Deployment', namespace: scope.namespace, name: app.name }, expected: 'a Deployment with a versioned image', actual: idleDep ? 'an image without a version tag' : 'not found', remediation: `kubectl -n ${scope.namespace} get deploy ${app.name} -o yaml` });
    if (!probe || probe.answers.length === 0) {
      fails.push({ message: `no answer through the idle host ${app.ingressName} was recorded`, subject, expected: 'answers through the idle host', actual: 'none', remediation: `check mattermost.hosts["${app.ingressName}"] or DNS for ${app.ingressName}` });
      return outcomeOf({ fails });
    }
    const { versions, failed } = answerVersions(probe);
    if (failed.length > 0) fails.push({ message: `${failed.length} of ${probe.answers.length} requests through ${probe.url} got no versioned answer`, subject, expected: 'every answer with an X-Version-Id', actual: failed.slice(0, 3).join('; '), remediation: `check the idle host ${app.ingressName} resolves to the Ingress and mattermost.hosts` });
    const wrong = Object.entries(versions).filter(([v]) => v !== want);
    if (want && wrong.length > 0) {
      const backend = ingressBackend(present(input.ingresses) ?? [], app.ingressName);
      const bug = backend && backend.service !== app.name;
      fails.push({
        message: `the idle host ${app.ingressName} answered with ${versionsText(Object.fromEntries(wrong))}: ${bug ? `its Ingress ${backend.ingress} sends it to Service ${backend.service}, not ${app.name} (the operator v1.16+ backend bug)` : 'other pods than the idle colour\'s serve it'}`,
        subject, expected: `X-Version-Id ${want} (Deployment ${app.name}) on every answer`, actual: versionsText(versions),
        remediation: bug
          ? `point Ingress ${backend.ingress}'s backend at Service ${app.name} (kubectl -n ${scope.namespace} edit ingress ${backend.ingress}), then verify again: the journeys so far tested production`
          : `find what serves ${app.ingressName}: kubectl -n ${scope.namespace} get ingress,svc -o wide`,
        evidence: probe.answers.slice(0, 4).map((a) => `X-Version-Id: ${a.versionId ?? '(none)'}`),
      });
    }
    return outcomeOf({ fails, summary: `${probe.answers.length} answers through ${app.ingressName}: ${versionsText(versions)}`, measured: { answers: probe.answers.length, idleVersion: want ?? 'unknown', onIdleVersion: want ? versions[want] ?? 0 : 0 } });
  },
});

export default bluegreenRouting;

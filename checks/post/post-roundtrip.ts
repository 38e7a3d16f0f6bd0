/**
 * Prevents promoting a server that cannot carry messages: the core of Mattermost is writing a
 * post and every other user seeing it. After an upgrade a post can fail to save (a Posts table
 * migration), or save on one node and not be readable on another (a broken read replica, a node
 * left out of the cluster cache). The smoke user posts a uniquely marked message through the front
 * door, reads it back there and — with two or more ready pods — through every ready pod's own
 * server, then deletes it; anything left behind fails the check.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { describeCallError, failedStepFindings, installationRef, leftoverFindings, podReadNotLooked, stepMeasurements, stepMs } from '../../core/mattermost.js';
import { outcomeOf } from '../../core/outcome.js';

export const postRoundtripCheck = defineCheck({
  meta: {
    id: 'post-roundtrip',
    phase: 'post',
    title: 'A post is written, read back through every pod, and deleted',
    failureTitle: 'A post could not be written, read back through every pod, or deleted',
    description: 'The smoke user creates a uniquely marked post in the smoke channel, reads it back at the front door and — when two or more pods are ready — through each pod (Kubernetes pod proxy, session as cookie), then deletes it and checks it is gone. Messages that do not save or do not reach every node must block promotion; smoke posts left behind fail too.',
    requires: ['smokeJourney'],
    recommended: 'error',
  },
  options: z.strictObject({
    maxLatencyMs: z.number().int().positive().optional().describe('Fail when creating the post took longer than this (default: no limit).'),
  }),
  evaluate(input, ctx) {
    const j = input.smokeJourney;
    const where = `${j.team?.name ?? '?'}/${j.channel?.name ?? '?'}`;
    const failedReads = j.postReads.filter((x) => !x.ok);
    // The read step fails whenever one read does: then the reads below say which door and why.
    const { fails, errors } = failedStepFindings(j, failedReads.length ? ['post.create', 'post.delete'] : ['post.create', 'post.read', 'post.delete'], {
      scope: ctx.scope,
      what: { 'post.create': `creating a post in ${where}`, 'post.read': 'reading the post back', 'post.delete': 'deleting the post' },
      remediation: {
        'post.create': 'check the smoke user may post in the channel (create_post), the channel is not read-only or archived, and the server log for the failed request',
        'post.read': 'a pod that cannot read a post just written points at a lagging read replica or a pod outside the cluster: check cluster-coherence and the database replicas',
        'post.delete': 'check the smoke user may delete its own posts (delete_post) and the server log',
        default: 'check the server log',
      },
    });
    const subject = installationRef(ctx.scope);
    const ready = j.readyPods;
    const throughPods = j.postReads.filter((r) => r.via !== 'front-door');
    for (const r of failedReads) {
      const finding = {
        message: `the post could not be read back through ${r.via === 'front-door' ? 'the front door' : `pod ${r.via}`}`,
        subject: r.via === 'front-door' ? subject : { kind: 'Pod', namespace: ctx.scope.namespace, name: r.via },
        expected: 'the post as written', actual: describeCallError(r.error),
        remediation: 'the node cannot see a post another node wrote: check cluster-coherence, the database read replicas and the pod\'s log',
      };
      // Through a pod the API server stands between: no answer from Mattermost is could-not-look.
      if (r.via !== 'front-door' && podReadNotLooked(r.error)) {
        errors.push({ ...finding, code: r.error?.code ?? 'NO_ANSWER', remediation: r.error?.code === 'FORBIDDEN' ? 'grant mmgate "get" on pods/proxy (docs/rbac.yaml)' : `kubectl -n ${ctx.scope.namespace} describe pod ${r.via}` });
      } else fails.push(finding);
    }
    if (ready === null) {
      errors.push({ code: 'PODS_NOT_LISTED', message: 'could not tell whether the post is visible on every pod: the pods could not be listed', subject, expected: 'the post read back through each ready pod', actual: j.readyPodsError ?? 'pods unknown', remediation: 'fix access to the Kubernetes API (pods list, pods/proxy) so the journey can read through each pod' });
    } else if (ready.length >= 2 && j.steps.some((s) => s.name === 'post.read' && !s.skipped)) {
      if (throughPods.length === 0) {
        errors.push({ code: 'NO_POD_READS', message: `${ready.length} pods are ready but the post was not read back through any of them`, subject, expected: 'a read through another pod', actual: 'front door only', remediation: 'grant mmgate "get" on pods/proxy so the journey can read through each pod' });
      }
    }
    const createMs = stepMs(j, 'post.create');
    // No limit set, or no create that ran: nothing to compare.
    if ((createMs ?? 0) > (ctx.options.maxLatencyMs ?? Infinity)) {
      fails.push({ message: `creating the post took ${createMs} ms`, subject, expected: `≤ ${ctx.options.maxLatencyMs} ms`, actual: `${createMs} ms`, remediation: 'the server is slow to write: check database latency and the server\'s CPU' });
    }
    fails.push(...leftoverFindings(j, 'post', ctx.scope));
    const podReadMs = throughPods.map((r) => r.latencyMs ?? 0);
    return outcomeOf({
      fails, errors,
      summary: fails.length || errors.length ? `post round trip in ${where} failed` : `posted in ${where}, read back through ${throughPods.length ? `the front door and ${throughPods.length} pods` : 'the front door'}, deleted`,
      measured: {
        ...stepMeasurements(j, { 'post.create': 'createMs', 'post.read': 'readMs', 'post.delete': 'deleteMs' }),
        readsThroughPods: throughPods.length, readyPods: ready?.length ?? 0,
        ...(podReadMs.length ? { maxPodReadMs: Math.max(...podReadMs) } : {}),
        leftovers: j.leftovers.filter((o) => o.part === 'post').length,
      },
    });
  },
});

export default postRoundtripCheck;

/**
 * Prevents promoting a server that is failing quietly: after an upgrade the pods can be Ready and
 * answer ping while every request to some feature logs an error (a failed migration step, a job
 * that crashes, a plugin hook that panics, a broken connection to search or the file store). The
 * Mattermost JSON logs of each pod since the upgrade started must hold no more error, fatal, panic
 * or critical lines than the threshold, after the allow-list.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { describeCallError, installationRef } from '../../core/mattermost.js';
import { outcomeOf } from '../../core/outcome.js';
import type { Finding } from '../../core/types.js';
import { formatDuration } from '../../core/duration.js';

/** Levels the collector does not group by message: counted, but the allow-list cannot apply. */
const UNGROUPED = new Set(['trace', 'debug', 'info']);
const EVIDENCE = 5;

const regex = z.string().min(1).refine((s) => { try { new RegExp(s); return true; } catch { return false; } }, 'a valid regular expression');

export const logErrorsCheck = defineCheck({
  meta: {
    id: 'log-errors',
    phase: 'post',
    title: 'Mattermost logs hold no errors since the upgrade',
    failureTitle: 'Mattermost logged errors since the upgrade',
    description: 'Reads each Mattermost pod\'s log since the upgrade started (mattermost.upgradeStartedAt, else mattermost.logWindow) and counts JSON lines at the levels given (default error, fatal, panic, critical) whose msg matches none of the allow regexes; more than threshold per pod fails, with the lines as evidence. A server can pass its probes while failing every request to one feature.',
    requires: ['podLogs'],
    recommended: 'warn',
  },
  options: z.strictObject({
    threshold: z.number().int().min(0).default(0).describe('Error lines a pod may log before the check fails.'),
    levels: z.array(z.string().min(1).transform((s) => s.toLowerCase())).min(1).default(['error', 'fatal', 'panic', 'critical']).describe('Log levels that count.'),
    allow: z.array(regex).default([]).describe('Regular expressions on msg: matching lines do not count (known noise).'),
  }),
  evaluate(input, ctx) {
    const { pods, sinceSeconds } = input.podLogs;
    const allow = ctx.options.allow.map((a) => new RegExp(a));
    const levels = new Set(ctx.options.levels);
    const fails: Finding[] = [];
    let counted = 0;
    let allowed = 0;
    if (pods.length === 0) {
      fails.push({ message: `no Mattermost pods of installation ${ctx.scope.installation} to read logs from`, subject: installationRef(ctx.scope), expected: 'the logs of every Mattermost pod', actual: 'no pods', remediation: `kubectl -n ${ctx.scope.namespace} get pods -l app=mattermost` });
    }
    for (const p of pods) {
      const subject = { kind: 'Pod', namespace: p.namespace, name: p.pod };
      if (p.error) {
        fails.push({ message: `the log of pod ${p.pod} (container ${p.container}) could not be read: ${describeCallError(p.error)}`, subject, expected: 'the log since the upgrade', actual: p.error.code, remediation: p.error.code === 'FORBIDDEN' ? 'grant mmgate "get" on pods/log (docs/rbac.yaml)' : `kubectl -n ${p.namespace} logs ${p.pod} -c ${p.container}` });
        continue;
      }
      let n = 0;
      const hits: { count: number; line: string; msg: string }[] = [];
      for (const g of p.groups) {
        if (!levels.has(g.level)) continue;
        if (allow.some((r) => r.test(g.msg))) { allowed += g.count; continue; }
        n += g.count;
        hits.push({ count: g.count, line: g.sample, msg: g.msg });
      }
      for (const level of levels) {
        n += p.ungrouped[level] ?? 0;
        if (UNGROUPED.has(level)) n += p.levels[level] ?? 0;
      }
      counted += n;
      if (n > ctx.options.threshold) {
        const shown = hits.sort((a, b) => b.count - a.count).slice(0, EVIDENCE);
        fails.push({
          message: `pod ${p.pod} logged ${n} ${[...levels].join('/')} line${n === 1 ? '' : 's'} in the last ${formatDuration(p.sinceSeconds * 1000)}${shown[0] ? ` (${hits.length} distinct message${hits.length === 1 ? '' : 's'}, most often "${shown[0].msg}")` : ''}`,
          subject, expected: `≤ ${ctx.options.threshold}`, actual: String(n),
          remediation: `read the lines (kubectl -n ${p.namespace} logs ${p.pod} -c ${p.container} --since=${Math.ceil(p.sinceSeconds / 60)}m | grep -E '"level":"(${[...levels].join('|')})"'); fix the cause, or add known noise to this check's allow option`,
          evidence: shown.map((h) => (h.count > 1 ? `×${h.count} ${h.line}` : h.line)),
        });
      }
      if (p.truncated) {
        fails.push({ message: `the log of pod ${p.pod} is larger than mmgate reads at once: later lines were not checked`, subject, expected: 'the whole log since the upgrade', actual: 'truncated', remediation: 'shorten mattermost.logWindow or set mattermost.upgradeStartedAt, and find why the pod logs so much' });
      }
    }
    return outcomeOf({
      fails,
      summary: `${counted} counted ${[...levels].join('/')} lines in ${pods.length} pods over ${formatDuration(sinceSeconds * 1000)}${allowed ? ` (${allowed} allowed)` : ''}`,
      measured: { errorLines: counted, allowedLines: allowed, pods: pods.length, windowSeconds: sinceSeconds, threshold: ctx.options.threshold },
    });
  },
});

export default logErrorsCheck;

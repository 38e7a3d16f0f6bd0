/**
 * Prevents promoting a server that is failing quietly: after an upgrade the pods can be Ready and
 * answer ping while every request to some feature logs an error (a failed migration step, a job
 * that crashes, a plugin hook that panics, a broken connection to search or the file store). The
 * Mattermost JSON logs of each pod since the upgrade started are judged by rate (lines per minute
 * per pod, after the allow-list): a storm (the database refusing connections, a job failing in a
 * loop) blocks, a stray line warns.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { describeCallError, installationRef } from '../../core/mattermost.js';
import { outcomeOf, type NotLooked } from '../../core/outcome.js';
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
    description: 'Reads each Mattermost pod\'s log since the upgrade started (mattermost.upgradeStartedAt, else mattermost.logWindow) and counts JSON lines at the levels given (default error, fatal, panic, critical) whose msg matches none of the allow regexes, as a rate in lines per minute per pod (over the window, at least one minute). Above errorRate fails: a storm such as 50 "connection refused" lines in 5 minutes blocks. Above warnRate warns: a stray line is worth reading, not worth a rollback. Evidence is grouped by message. A server can pass its probes while failing every request to one feature.',
    requires: ['podLogs'],
    recommended: 'error',
  },
  options: z.strictObject({
    warnRate: z.number().min(0).default(0).describe('Counted lines per minute per pod above which the check warns (0: any line warns).'),
    errorRate: z.number().min(0).default(1).describe('Counted lines per minute per pod above which the check fails (a storm: default more than one a minute).'),
    levels: z.array(z.string().min(1).transform((s) => s.toLowerCase())).min(1).default(['error', 'fatal', 'panic', 'critical']).describe('Log levels that count.'),
    allow: z.array(regex).default([]).describe('Regular expressions on msg: matching lines do not count (known noise).'),
  }),
  evaluate(input, ctx) {
    const { pods, sinceSeconds } = input.podLogs;
    const allow = ctx.options.allow.map((a) => new RegExp(a));
    const levels = new Set(ctx.options.levels);
    const { warnRate, errorRate } = ctx.options;
    const fails: Finding[] = [];
    const errors: NotLooked[] = [];
    const warns: Finding[] = [];
    let counted = 0;
    let allowed = 0;
    let maxRate = 0;
    if (pods.length === 0) {
      fails.push({ message: `no Mattermost pods of installation ${ctx.scope.installation} to read logs from`, subject: installationRef(ctx.scope), expected: 'the logs of every Mattermost pod', actual: 'no pods', remediation: `kubectl -n ${ctx.scope.namespace} get pods -l app=mattermost` });
    }
    for (const p of pods) {
      const subject = { kind: 'Pod', namespace: p.namespace, name: p.pod };
      if (p.error) {
        errors.push({ code: p.error.code, message: `the log of pod ${p.pod} (container ${p.container}) could not be read: ${describeCallError(p.error)}`, subject, expected: 'the log since the upgrade', actual: p.error.code, remediation: p.error.code === 'FORBIDDEN' ? 'grant mmgate "get" on pods/log (docs/rbac.yaml)' : `kubectl -n ${p.namespace} logs ${p.pod} -c ${p.container}` });
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
      // A window shorter than a minute would turn one line into a storm: the rate is over ≥ 1 min.
      const minutes = Math.max(p.sinceSeconds, 60) / 60;
      const rate = n / minutes;
      maxRate = Math.max(maxRate, rate);
      // warnRate is ≥ 0, so a rate above it means at least one line.
      if (rate > warnRate) {
        const storm = rate > errorRate;
        const shown = hits.sort((a, b) => b.count - a.count).slice(0, EVIDENCE);
        (storm ? fails : warns).push({
          message: `pod ${p.pod} logged ${n} ${[...levels].join('/')} line${n === 1 ? '' : 's'} in the last ${formatDuration(p.sinceSeconds * 1000)} (${fmtRate(rate)}/min${storm ? ', a storm' : ''})${shown[0] ? `, ${hits.length} distinct message${hits.length === 1 ? '' : 's'}, most often "${shown[0].msg}"` : ''}`,
          subject, expected: storm ? `≤ ${errorRate} lines/min (errorRate)` : `≤ ${warnRate} lines/min (warnRate)`, actual: `${fmtRate(rate)} lines/min (${n} lines)`,
          remediation: `read the lines (kubectl -n ${p.namespace} logs ${p.pod} -c ${p.container} --since=${Math.ceil(p.sinceSeconds / 60)}m | grep -E '"level":"(${[...levels].join('|')})"'); fix the cause, or add known noise to this check's allow option`,
          // One line per distinct message, with how often it came: a storm is one message, not 50 lines.
          evidence: shown.map((h) => `×${h.count} ${h.msg}: ${h.line}`),
        });
      }
      // Lines past the read limit were not seen: what was read is judged, the rest is `error`.
      if (p.truncated) {
        errors.push({ code: 'TRUNCATED', message: `the log of pod ${p.pod} is larger than mmgate reads at once: later lines were not checked`, subject, expected: 'the whole log since the upgrade', actual: 'truncated', remediation: 'shorten mattermost.logWindow or set mattermost.upgradeStartedAt, and find why the pod logs so much' });
      }
    }
    return outcomeOf({
      fails, errors, warns,
      summary: `${counted} counted ${[...levels].join('/')} lines in ${pods.length} pods over ${formatDuration(sinceSeconds * 1000)}, at most ${fmtRate(maxRate)}/min on one pod${allowed ? ` (${allowed} allowed)` : ''}`,
      measured: { errorLines: counted, allowedLines: allowed, pods: pods.length, windowSeconds: sinceSeconds, maxRatePerMinute: Number(maxRate.toFixed(3)), warnRate, errorRate },
    });
  },
});

const fmtRate = (r: number): string => r.toFixed(2).replace(/\.?0+$/, '') || '0';

export default logErrorsCheck;

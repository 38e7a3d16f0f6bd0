/**
 * Prevents upgrading sites whose databases are not in step. With two or more sites, the
 * passive site's database is a streaming standby of the writer's: if it is not streaming, or
 * lags, a failover during (or a rollback after) the upgrade loses the writes it has not
 * replayed, and the passive site upgrades against stale data. Every standby must be in state
 * `streaming` with replay lag below database.replication.maxLag; no standby at all fails.
 */
import { z } from 'zod';
import { defineCheck } from '../../core/check.js';
import { formatDuration, parseDuration } from '../../core/duration.js';
import { outcomeOf, type NotLooked } from '../../core/outcome.js';
import type { Finding } from '../../core/types.js';

export const replicationHealth = defineCheck({
  meta: {
    id: 'replication-health',
    phase: 'pre',
    title: 'Database replication between sites is streaming and current',
    failureTitle: 'Database replication between sites is broken or lagging',
    description: 'With two or more sites, the other site\'s database streams from the writer\'s. A standby that is not streaming, or lags beyond database.replication.maxLag, loses the writes it has not replayed if the upgrade needs a failover or rollback. Read from pg_stat_replication on each site\'s primary (sites[].replicationDsn) or from Prometheus (database.replication.query); no standby streaming fails.',
    requires: ['replicationStatus'],
    recommended: 'error',
  },
  options: z.strictObject({
    minStandbys: z.number().int().min(1).default(1).describe('Standbys that must be streaming in all.'),
  }),
  evaluate(input, ctx) {
    const r = input.replicationStatus;
    if (r.siteCount < 2) return { status: 'not-applicable', reason: `${r.siteCount} site(s) configured: replication between sites matters with two or more sites (sites[])` };
    const maxMs = parseDuration(r.maxLag);
    const maxS = maxMs / 1000;
    const findings: Finding[] = [];
    // Standbys or primaries that could not be read were not looked at: error, never a lag found.
    const errors: NotLooked[] = [];
    let streaming = 0;
    let worst = 0;
    if (r.source === 'none') {
      return {
        status: 'fail',
        findings: [{
          message: 'Nothing tells how replication between the sites is doing', subject: { kind: 'Config', name: 'sites' },
          expected: 'sites[].replicationDsn on the writer site, or database.replication.query with prometheus.url', actual: 'neither configured',
          remediation: 'Set replicationDsn (a role with pg_monitor) on the site whose database is the primary, or a PromQL lag query.',
        }],
      };
    }
    if (r.source === 'prometheus') {
      const series = r.prometheus?.series ?? [];
      for (const s of series) {
        const name = Object.entries(s.labels).filter(([k]) => k !== '__name__').map(([k, v]) => `${k}=${v}`).join(',') || 'series';
        if (s.lagSeconds === null) {
          findings.push({ message: `Standby ${name} reports no lag value (NaN)`, subject: { kind: 'Standby', name }, expected: `lag below ${r.maxLag}`, actual: 'NaN', remediation: 'Check the exporter on that standby.' });
          continue;
        }
        streaming++;
        worst = Math.max(worst, s.lagSeconds);
        if (s.lagSeconds > maxS) {
          findings.push({
            message: `Standby ${name} lags ${formatDuration(s.lagSeconds * 1000)}, more than ${r.maxLag}`, subject: { kind: 'Standby', name },
            expected: `below ${r.maxLag}`, actual: formatDuration(s.lagSeconds * 1000),
            remediation: 'Wait for the standby to catch up (and find why it fell behind: network, I/O, long queries) before upgrading.',
          });
        }
      }
    } else {
      for (const p of r.primaries) {
        const subject = { kind: 'Database', name: `${p.site}: ${p.server}` };
        if (p.error) {
          errors.push({ code: 'UNREADABLE', message: `Cannot read replication on site ${p.site}`, subject, expected: 'pg_stat_replication readable', actual: p.error, remediation: `Make sites[${p.site}].replicationDsn reachable, with a role granted pg_monitor.` });
          continue;
        }
        if (p.inRecovery) {
          findings.push({
            message: `sites[${p.site}].replicationDsn points at a standby, not the primary`, subject, expected: 'a primary (pg_is_in_recovery() = false)', actual: 'in recovery',
            remediation: 'Point replicationDsn at the writer site\'s primary; on standbys pg_stat_replication is empty.',
          });
          continue;
        }
        for (const s of p.standbys) {
          const who = { kind: 'Standby', name: `${s.name}${s.clientAddr ? ` (${s.clientAddr})` : ''}` };
          if (!s.state) {
            errors.push({ code: 'FORBIDDEN', message: `The role of sites[${p.site}].replicationDsn cannot see the state of standby ${who.name}`, subject: who, expected: 'state streaming', actual: 'hidden (no pg_monitor)', remediation: 'GRANT pg_monitor TO the replicationDsn role.' });
            continue;
          }
          if (s.state !== 'streaming') {
            findings.push({
              message: `Standby ${who.name} of site ${p.site} is ${s.state}, not streaming`,
              subject: who, expected: 'state streaming', actual: s.state,
              remediation: 'Wait until the standby has caught up (catchup → streaming), or repair it, before upgrading.',
            });
            continue;
          }
          streaming++;
          // No replay_lag while streaming: caught up and idle (PostgreSQL resets it to NULL).
          const lag = s.replayLagSeconds ?? 0;
          worst = Math.max(worst, lag);
          if (lag > maxS) {
            findings.push({
              message: `Standby ${who.name} of site ${p.site} lags ${formatDuration(lag * 1000)}, more than ${r.maxLag}`, subject: who,
              expected: `replay lag below ${r.maxLag}`, actual: `${formatDuration(lag * 1000)}${typeof s.replayLagBytes === 'number' ? `, ${s.replayLagBytes} bytes behind` : ''}`,
              remediation: 'Wait for the standby to catch up (and find why it fell behind: network, I/O, long queries on the standby) before upgrading.',
            });
          }
        }
      }
    }
    // With a primary unread, the streaming count is a lower bound: too few is not shown.
    if (streaming < ctx.options.minStandbys && errors.length === 0) {
      findings.push({
        message: streaming === 0 ? 'No standby is streaming' : `Only ${streaming} standby(s) streaming`, subject: { kind: 'Config', name: 'sites' },
        expected: `at least ${ctx.options.minStandbys} streaming standby(s)`, actual: String(streaming),
        remediation: 'Start (or repair) streaming replication to the other site\'s database before upgrading: without it a failover loses data.',
      });
    }
    const measured = { streaming, worstLagSeconds: Number(worst.toFixed(3)), maxLagSeconds: maxS };
    if (findings.length || errors.length) return outcomeOf({ fails: findings, errors, measured });
    return { status: 'pass', summary: `${streaming} standby(s) streaming, worst lag ${formatDuration(worst * 1000)}`, measured };
  },
});

export default replicationHealth;

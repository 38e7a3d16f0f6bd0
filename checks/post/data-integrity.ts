/**
 * Catches an upgrade that lost data: a migration that dropped or rewrote rows, a rollout that
 * came up on the wrong (or an empty, freshly initialised) database, a restore to an old dump.
 * Users, teams, channels and posts counted at verify are compared with the counts preflight
 * recorded (the --baseline); a loss beyond database.countTolerance blocks promotion.
 */
import { z } from 'zod';
import { COUNT_NAMES } from '../../core/backup-types.js';
import { defineCheck } from '../../core/check.js';
import type { Finding } from '../../core/types.js';

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;

export const dataIntegrity = defineCheck({
  meta: {
    id: 'data-integrity',
    phase: 'post',
    title: 'No data was lost in the upgrade',
    failureTitle: 'Data was lost in the upgrade',
    description: 'An upgrade can lose data without an error: a migration that rewrites a table, pods that came up on the wrong or an empty database. Users, teams, channels and posts are counted after the upgrade and compared with the counts preflight recorded (verify --baseline); a loss beyond database.countTolerance fails.',
    requires: ['dataCounts', 'baselineCounts'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input) {
    const now = input.dataCounts;
    const base = input.baselineCounts;
    const subject = { kind: 'Database', name: now.where };
    if (!base) {
      return {
        status: 'fail',
        findings: [{
          message: 'No preflight baseline was given, so lost rows cannot be detected', subject,
          expected: 'verify --baseline <preflight snapshot or JSON report>', actual: 'no --baseline',
          remediation: 'Run verify with --baseline pointing at the preflight.snapshot.json (or preflight.json) that preflight wrote before the upgrade.',
        }],
      };
    }
    if (!base.counts) {
      return {
        status: 'fail',
        findings: [{
          message: 'The preflight baseline holds no row counts', subject: { kind: 'File', name: base.path },
          expected: 'row counts recorded at preflight', actual: base.reason ?? 'none',
          remediation: 'Configure database.dsn (or mattermost.url and mattermost.admin.token) for preflight too, keep backup-integrity on, and run preflight again before the next upgrade.',
        }],
      };
    }
    if (base.counts.source !== now.source) {
      return {
        status: 'fail',
        findings: [{
          message: `Preflight counted rows from ${base.counts.source === 'sql' ? 'SQL' : 'the API'}, verify from ${now.source === 'sql' ? 'SQL' : 'the API'}: the counts are not comparable`, subject,
          expected: `counts from ${base.counts.source}`, actual: `counts from ${now.source}`,
          remediation: 'Use the same source for preflight and verify: set database.dsn in both runs, or in neither.',
        }],
      };
    }
    const findings: Finding[] = [];
    const measured: Record<string, number | string | boolean> = { source: now.source, tolerance: now.tolerance };
    for (const n of COUNT_NAMES) {
      const before = base.counts.counts[n];
      const after = now.counts[n];
      if (typeof before === 'number') measured[`before.${n}`] = before;
      if (typeof after === 'number') measured[`after.${n}`] = after;
      if (typeof before !== 'number') continue; // not counted at preflight: nothing to lose
      if (typeof after !== 'number') {
        findings.push({
          message: `${n} could not be counted after the upgrade (preflight counted ${before})`, subject,
          expected: `about ${before}`, actual: 'no count (table or analytics row missing)',
          remediation: `Check that Mattermost points at the right database and that its ${n} table exists.`,
        });
        continue;
      }
      const loss = before === 0 ? 0 : (before - after) / before;
      if (loss > now.tolerance) {
        findings.push({
          message: `${n}: ${before - after} of ${before} rows are gone since preflight (${pct(loss)})`, subject,
          expected: `at least ${Math.ceil(before * (1 - now.tolerance))} (loss ≤ ${pct(now.tolerance)})`, actual: String(after),
          remediation: 'Stop the rollout and find out where the rows went (migration logs, the database the pods use); restore the pre-upgrade backup if data is lost.',
        });
      }
    }
    if (findings.length) return { status: 'fail', findings, measured };
    // Nothing compared is not "nothing lost": a baseline without counts shows nothing (fail closed).
    if (!COUNT_NAMES.some((n) => typeof base.counts?.counts[n] === 'number')) {
      return { status: 'fail', measured, findings: [{
        message: 'the preflight baseline holds no row count, so nothing shows the upgrade kept the data', subject,
        expected: 'counts of users, teams, channels and posts recorded at preflight', actual: 'none',
        remediation: 'Run preflight with database.dsn (or mattermost.admin.token for /api/v4/analytics/old) so it records the counts, and give its snapshot as --baseline.',
      }] };
    }
    return { status: 'pass', summary: `Counts kept since preflight (${base.collectedAt ?? base.path})`, measured };
  },
});

export default dataIntegrity;

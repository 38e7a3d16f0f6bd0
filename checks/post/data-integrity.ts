/**
 * Catches an upgrade that lost data: a migration that dropped or rewrote rows, a rollout that
 * came up on the wrong (or an empty, freshly initialised) database, a restore to an old dump.
 * Users, teams, channels and posts counted at verify are compared with the counts preflight
 * recorded (the --baseline); a loss beyond database.countTolerance blocks promotion.
 */
import { z } from 'zod';
import { COUNT_NAMES } from '../../core/backup-types.js';
import { fromBaseline } from '../../core/baseline.js';
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
    requires: ['dataCounts'],
    baseline: ['dataCounts'],
    recommended: 'error',
  },
  options: z.strictObject({}),
  evaluate(input) {
    const now = input.dataCounts;
    const subject = { kind: 'Database', name: now.where };
    const base = fromBaseline(input.baseline, 'dataCounts');
    if (!base.ok) {
      return {
        status: 'fail',
        findings: [base.given ? {
          message: 'The preflight baseline holds no row counts, so lost rows cannot be detected', subject,
          expected: 'row counts recorded at preflight', actual: base.reason,
          remediation: 'Give preflight a source of row counts (database.dsn, or mattermost.admin.token for /api/v4/analytics/old), run it again before the next upgrade, and give its preflight.snapshot.json as --baseline.',
        } : {
          message: 'No preflight baseline was given, so lost rows cannot be detected', subject,
          expected: 'verify --baseline <preflight snapshot or JSON report>', actual: 'no --baseline',
          remediation: 'Run verify with --baseline pointing at the preflight.snapshot.json (or preflight.json) that preflight wrote before the upgrade.',
        }],
      };
    }
    const before = base.value;
    if (before.source !== now.source) {
      return {
        status: 'fail',
        findings: [{
          message: `Preflight counted rows from ${before.source === 'sql' ? 'SQL' : 'the API'}, verify from ${now.source === 'sql' ? 'SQL' : 'the API'}: the counts are not comparable`, subject,
          expected: `counts from ${before.source}`, actual: `counts from ${now.source}`,
          remediation: 'Use the same source for preflight and verify: set database.dsn in both runs, or in neither.',
        }],
      };
    }
    const findings: Finding[] = [];
    const measured: Record<string, number | string | boolean> = { source: now.source, tolerance: now.tolerance };
    for (const n of COUNT_NAMES) {
      const then = before.counts[n];
      const after = now.counts[n];
      if (typeof then === 'number') measured[`before.${n}`] = then;
      if (typeof after === 'number') measured[`after.${n}`] = after;
      if (typeof then !== 'number') continue; // not counted at preflight: nothing to lose
      if (typeof after !== 'number') {
        findings.push({
          message: `${n} could not be counted after the upgrade (preflight counted ${then})`, subject,
          expected: `about ${then}`, actual: 'no count (table or analytics row missing)',
          remediation: `Check that Mattermost points at the right database and that its ${n} table exists.`,
        });
        continue;
      }
      // Rows, not a share: a table empty at preflight has nothing to lose (and no share to divide by).
      const lost = then - after;
      if (lost > then * now.tolerance) {
        findings.push({
          message: `${n}: ${lost} of ${then} rows are gone since preflight (${pct(lost / then)})`, subject,
          expected: `at least ${Math.ceil(then * (1 - now.tolerance))} (loss ≤ ${pct(now.tolerance)})`, actual: String(after),
          remediation: 'Stop the rollout and find out where the rows went (migration logs, the database the pods use); restore the pre-upgrade backup if data is lost.',
        });
      }
    }
    if (findings.length) return { status: 'fail', findings, measured };
    // Nothing compared is not "nothing lost": a baseline without counts shows nothing (fail closed).
    if (!COUNT_NAMES.some((n) => typeof before.counts[n] === 'number')) {
      return { status: 'fail', measured, findings: [{
        message: 'the preflight baseline holds no row count, so nothing shows the upgrade kept the data', subject,
        expected: 'counts of users, teams, channels and posts recorded at preflight', actual: 'none',
        remediation: 'Run preflight with database.dsn (or mattermost.admin.token for /api/v4/analytics/old) so it records the counts, and give its snapshot as --baseline.',
      }] };
    }
    return { status: 'pass', summary: `Counts kept since preflight (${base.baseline.collectedAt || base.baseline.path})`, measured };
  },
});

export default dataIntegrity;

/**
 * RunReports for the reporter tests and the golden files: a blocked preflight with a result of
 * every status, a waiver, a flaky pass, a failed collector and notes. The verdict comes from the
 * real policy (`decide`), so the fixtures can never show a verdict the gate would not give.
 */
import { decide } from '../core/policy.js';
import type { CheckResult, CollectorRun, Phase, RunReport, Scope, Target } from '../core/types.js';
import { PHASE_COMMAND, REPORT_SCHEMA_VERSION } from '../core/types.js';

export const FIXTURE_STARTED_AT = '2026-11-20T12:00:00.000Z';
export const FIXTURE_HOSTNAME = 'ci-runner-7';

const pre = (r: Omit<CheckResult, 'phase' | 'findings'> & Partial<Pick<CheckResult, 'findings'>>): CheckResult => ({ phase: 'pre', findings: [], ...r });

/** One result of every status and the variants reporters must tell apart, sorted by id as the runner does. */
export function preflightResults(): CheckResult[] {
  return [
    pre({
      id: 'backup-recency', title: 'The newest database backup is too old to roll back to', level: 'error', status: 'fail', blocking: true, durationMs: 14,
      description: 'The upgrade migrates the database schema; a failed migration can only be undone from a recent backup.',
      summary: 'The newest backup is 74h old; the policy allows 24h.',
      measured: { newestBackupAgeHours: 74, maxAgeHours: 24 },
      findings: [{
        message: 'The newest VolumeSnapshot of the database is 74h old',
        subject: { kind: 'VolumeSnapshot', namespace: 'mattermost', name: 'mm-db-20261117-1000' },
        expected: '≤ 24h old', actual: '74h old',
        remediation: 'Take a backup now (kubectl -n mattermost create job --from=cronjob/mm-db-backup mm-db-backup-now), wait for it to be readyToUse, then rerun mmgate preflight',
        evidence: [
          'mm-db-20261117-1000  readyToUse=true  creationTimestamp=2026-11-17T10:00:00Z',
          'mm-db-20261116-1000  readyToUse=true  creationTimestamp=2026-11-16T10:00:00Z',
          'mm-db-20261118-1000  readyToUse=false  error: VolumeSnapshotContent quota exceeded',
          'mm-db-20261119-1000  readyToUse=false  error: VolumeSnapshotContent quota exceeded',
        ],
      }],
    }),
    pre({
      id: 'blue-green-readiness', title: 'Blue/green deployment is ready to switch', level: 'warn', status: 'not-applicable', blocking: false, durationMs: 1,
      description: 'A blue/green switch to a green deployment that is not ready takes the service down.',
      reason: 'no blue/green deployment is configured on Mattermost mattermost/mm',
    }),
    pre({
      id: 'database-connection', title: 'The database could not be checked', level: 'error', status: 'error', blocking: true, durationMs: 0,
      description: 'The schema migration needs the database reachable, with room for the migration\'s locks.',
      error: { code: 'COLLECTOR_FAILED', message: 'could not look, so cannot pass: postgres: connect ECONNREFUSED 10.96.12.7:5432 after 3 attempts; check that the database accepts connections from where mmgate runs (database.url)' },
    }),
    pre({
      id: 'license-expiry', title: 'The license is valid past the upgrade window', level: 'off', status: 'skipped', blocking: false, durationMs: 0,
      description: 'An expired license turns enterprise features off after the restart.',
      reason: 'off in the policy',
    }),
    pre({
      id: 'node-readiness', title: 'All nodes are Ready', level: 'error', status: 'pass', blocking: false, durationMs: 3,
      description: 'Pods rescheduled during the rollout need Ready nodes to land on.',
      measured: { nodes: 3, ready: 3 },
    }),
    pre({
      id: 'operator-version', title: 'The Mattermost Operator version could not be judged', level: 'warn', status: 'error', blocking: false, durationMs: 2,
      description: 'Old operators cannot roll newer Mattermost versions.',
      error: { code: 'CHECK_THREW', message: 'cannot read the operator image tag "latest" as a version' },
    }),
    pre({
      id: 'plugin-health', title: 'All enabled plugins are running', level: 'error', status: 'pass', blocking: false, durationMs: 5, flaky: true,
      description: 'A plugin that fails now will fail after the upgrade too, and be blamed on it.',
      measured: { enabled: 4, running: 4 },
    }),
    pre({
      id: 'pod-health', title: 'Some Mattermost pods are restarting', level: 'warn', status: 'fail', blocking: false, durationMs: 4,
      description: 'A rollout that starts from crash-looping pods cannot show whether the new version is healthy.',
      waiver: { reason: 'CHG-1234 noisy batch job', expires: '2026-12-31' },
      measured: { restartsLastHour: 5 },
      findings: [{
        message: 'The pod restarted 5 times in the last hour (OOMKilled)',
        subject: { kind: 'Pod', namespace: 'mattermost', name: 'mm-7d9f-2' },
        expected: '≤ 3 restarts/h', actual: '5 restarts/h',
        remediation: 'See why it restarts: kubectl -n mattermost logs mm-7d9f-2 --previous',
        evidence: ['lastState.terminated: reason=OOMKilled exitCode=137 finishedAt=2026-11-20T11:52:10Z'],
      }],
    }),
    pre({
      id: 'replica-count', title: 'Too few Mattermost replicas to upgrade without downtime', level: 'error', status: 'fail', blocking: true, durationMs: 1,
      description: 'With one replica the rolling upgrade stops the only server: users are cut off until the new pod is Ready.',
      measured: { replicas: 1, minReplicas: 2 },
      findings: [{
        message: 'Mattermost runs a single replica: the rolling upgrade takes the service down',
        subject: { kind: 'Mattermost', namespace: 'mattermost', name: 'mm' },
        expected: '≥ 2 replicas', actual: '1 replica',
        remediation: 'Raise spec.replicas: kubectl -n mattermost patch mattermost mm --type merge -p \'{"spec":{"replicas":2}}\'',
      }],
    }),
    pre({
      id: 'rollout-headroom', title: 'Little room on the nodes for the rollout\'s surge pod', level: 'warn', status: 'warn', blocking: false, durationMs: 2,
      description: 'The operator adds one pod before removing one (maxSurge 1); without room for it the rollout stalls.',
      measured: { nodesWithRoom: 1, surgePods: 1 },
      findings: [{
        message: 'Only one node has room for the surge pod (requests: 1 CPU, 4Gi)',
        expected: '≥ 2 nodes with room', actual: '1 node (node-c)',
        remediation: 'Free capacity or add a node, so the surge pod still schedules if node-c drains',
      }],
    }),
  ];
}

export function preflightCollectors(): CollectorRun[] {
  return [
    { key: 'backups', ok: true, durationMs: 410, attempts: 1 },
    { key: 'mattermostCR', ok: true, durationMs: 120, attempts: 1 },
    { key: 'nodes', ok: true, durationMs: 95, attempts: 1 },
    { key: 'plugins', ok: true, durationMs: 1_830, attempts: 2 },
    { key: 'pods', ok: true, durationMs: 140, attempts: 1 },
    { key: 'postgres', ok: false, durationMs: 5_210, attempts: 3, error: { code: 'UNREACHABLE', message: 'connect ECONNREFUSED 10.96.12.7:5432: check that the database accepts connections from where mmgate runs (database.url)' } },
  ];
}

export interface FixtureOptions {
  phase?: Phase;
  results?: CheckResult[];
  collectors?: CollectorRun[];
  notes?: string[];
  partial?: boolean;
  scope?: Scope;
  target?: Target;
  durationMs?: number;
}

/** A RunReport around the given results (default: the blocked preflight), with the verdict the policy gives them. */
export function buildReport(o: FixtureOptions = {}): RunReport {
  const phase = o.phase ?? 'pre';
  const results = o.results ?? preflightResults();
  const partial = o.partial ?? false;
  const durationMs = o.durationMs ?? 7_412;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'mmgate', version: '0.1.0' },
    phase,
    command: PHASE_COMMAND[phase],
    startedAt: FIXTURE_STARTED_AT,
    finishedAt: new Date(Date.parse(FIXTURE_STARTED_AT) + durationMs).toISOString(),
    durationMs,
    target: o.target ?? { version: '11.7.1' },
    scope: o.scope ?? { context: 'prod-eu', namespace: 'mattermost', installation: 'mm' },
    results,
    collectors: o.collectors ?? preflightCollectors(),
    verdict: decide(results, { partial }),
    partial,
    notes: o.notes ?? [
      'operator-version: ignored with --ignore, so it cannot block this run',
      'backup-recency: waiver "CHG-1100 backup migration" expired on 2026-11-01 and no longer applies',
    ],
  };
}

/** The blocked preflight of the golden files. */
export const blockedPreflight = (): RunReport => buildReport();

/** A clean verify: every check passes, nothing to say. */
export function promotedVerify(): RunReport {
  const results: CheckResult[] = [
    { id: 'server-version', phase: 'post', title: 'Every server runs the target version', description: 'A pod left on the old version serves old code.', status: 'pass', level: 'error', blocking: false, durationMs: 2, findings: [], measured: { version: '11.7.1', pods: 3 } },
    { id: 'smoke-login', phase: 'post', title: 'A user can log in and post', description: 'The journey users take first.', status: 'pass', level: 'error', blocking: false, durationMs: 2_310, findings: [] },
  ];
  return buildReport({ phase: 'post', results, collectors: [{ key: 'servers', ok: true, durationMs: 80, attempts: 1 }], notes: [], durationMs: 12_900 });
}

/** A blocked watch whose rollout-availability carries a time line with one 600 ms outage. */
export function blockedWatch(): RunReport {
  const samples = Array.from({ length: 40 }, (_, i) => ({ t: i * 100, ok: i < 24 || i >= 30, ...(i < 24 || i >= 30 ? { status: 200 } : { status: 503 }), ms: 4, fresh: i % 2 === 1 }));
  const results: CheckResult[] = [{
    id: 'rollout-availability', phase: 'during', title: 'Mattermost was unavailable during the rollout', description: 'Probes the front door.', status: 'fail', level: 'error', blocking: true, durationMs: 1,
    summary: '34/40 probes answered OK over 4.0s at 10/s; 1 outage; at least 3 pod(s) Ready throughout',
    findings: [{ message: '6 of 40 front-door probes failed in 1 outage; the longest lasted 600ms at +2.4s (503×6, 10.11.4 → 11.7.1)', actual: '6 failed, longest outage 600ms', expected: '≤ 0 failed probes, outages ≤ 0s', evidence: ['+2.4s → +3.0s  600ms  503×6  10.11.4 → 11.7.1'] }],
    measured: { probes: 40, failedProbes: 6, longestOutageMs: 600, achievedProbeRate: 10 },
    timeline: { startedAt: FIXTURE_STARTED_AT, durationMs: 4000, samples, outages: [{ startMs: 2400, endMs: 3000, durationMs: 600, failedProbes: 6, answers: ['503×6'], versionBefore: '10.11.4', versionAfter: '11.7.1', ongoing: false }] },
  }];
  return buildReport({ phase: 'during', results, collectors: [{ key: 'rolloutWatch', ok: true, durationMs: 4_100, attempts: 1 }], notes: [], durationMs: 4_300 });
}

/**
 * Strings that break naive renderers: XML specials, a CDATA terminator, control characters XML 1.0
 * forbids, ANSI colour codes from pod logs, emoji, Markdown table and HTML syntax, a lone surrogate.
 */
export const NASTY = 'a<b & c>d "q" \'s\' ]]> \u0000\u0001\u0008\u000b\u000c\u001b[31mred\u001b[0m \u{1F680} | pipe <script>x</script> \ud800 line1\nline2\r\n`tick` **bold**';

export function nastyReport(): RunReport {
  const n = NASTY;
  const statuses: CheckResult['status'][] = ['pass', 'warn', 'fail', 'error', 'not-applicable', 'skipped'];
  const results: CheckResult[] = statuses.map((status, i) => ({
    id: `odd-${status}`, phase: 'pre', title: `title ${n}`, description: `description ${n}`, status,
    level: status === 'warn' ? 'warn' : status === 'skipped' ? 'off' : 'error',
    blocking: status === 'fail' || status === 'error',
    durationMs: i * 1_001,
    summary: `summary ${n}`,
    findings: status === 'warn' || status === 'fail'
      ? [{ message: `message ${n}`, subject: { kind: 'Pod', namespace: 'ns', name: `name-${n}` }, expected: `expected ${n}`, actual: `actual ${n}`, remediation: `fix ${n}`, evidence: [`evidence ${n}`, '```', '</system-out>'] }]
      : [],
    measured: { [`m ${n}`]: `v ${n}`, count: 2, ok: true },
    ...(status === 'error' ? { error: { code: `CODE ${n}`, message: `error ${n}` } } : {}),
    ...(status === 'not-applicable' || status === 'skipped' ? { reason: `reason ${n}` } : {}),
    ...(status === 'pass' ? { flaky: true, waiver: { reason: `waiver ${n}`, expires: '2026-12-31' } } : {}),
  }));
  return buildReport({
    results,
    collectors: [{ key: `collector ${n}`, ok: false, durationMs: 1, attempts: 2, error: { code: 'FAILED', message: `collector ${n}` } }],
    notes: [`note ${n}`],
    target: { version: `11.7.1 ${n}` },
    scope: { context: `ctx ${n}`, namespace: 'mattermost', installation: `mm ${n}` },
  });
}

/** The blue/green world of the rollback-plan golden: a preflight snapshot and the blocked verify of the idle colour. */
import { rollbackPlan } from '../core/rollback.js';
import type { CheckResult, RunReport, Snapshot } from '../core/types.js';
import { clusterInstallation } from '../test/fixtures/bluegreen.js';
import { buildReport } from './fixtures.js';

const SCOPE = { context: 'prod-eu', namespace: 'mattermost', installation: 'mm', kind: 'ClusterInstallation', strategy: 'bluegreen' } as const;

/** preflight.snapshot.json of a blue/green night: blue serves 10.11.4, green idle; a restore-tested dump; the operator's Helm history. */
export function bluegreenPreflight(): Snapshot {
  return {
    meta: {
      schemaVersion: 2, phase: 'pre', collectedAt: '2026-11-23T21:00:00.000Z', harnessVersion: '0.1.0', target: { version: '11.7.1' },
      scope: { ...SCOPE, side: 'production', colour: 'blue', productionColour: 'blue', workload: 'mm-blue' }, collectors: {},
    },
    data: {
      installation: clusterInstallation(),
      helmReleases: [
        { name: 'mattermost-operator', namespace: 'mattermost-operator', revision: 3, status: 'deployed', chart: 'mattermost-operator', chartVersion: '1.0.4', appVersion: 'v1.25.9' },
        { name: 'mattermost-operator', namespace: 'mattermost-operator', revision: 2, status: 'superseded', chart: 'mattermost-operator', chartVersion: '1.0.3', appVersion: 'v1.25.8' },
      ],
      databaseBackups: {
        location: '/backups/db', isDirectory: true, candidates: 2, maxAge: '26h', sizeTolerance: 0.5, previous: null,
        latest: { name: 'mattermost-20261123T190000.dump', path: '/backups/db/mattermost-20261123T190000.dump', sizeBytes: 48_211, modifiedAt: '2026-11-23T19:00:00.000Z', format: 'custom' },
      },
      restoreTest: {
        server: 'restore@pg-scratch:5432', dump: 'mattermost-20261123T190000.dump', database: 'mmgate_restore_1', tolerance: 0.01, restored: true,
        durationMs: 3_100, counts: null, migrations: null, live: null, dropped: true, leftovers: [],
      },
    },
  } as Snapshot;
}

/** The blocked verify of the idle colour green (login refused there only), with its rollback plan. */
export function blockedBluegreenVerify(): RunReport {
  const results: CheckResult[] = [
    {
      id: 'login', phase: 'post', title: 'The smoke user can log in', description: 'Users who cannot log in cannot use anything.', status: 'fail', level: 'error', blocking: true, durationMs: 41,
      findings: [{ message: 'password login of the smoke user at https://green.chat.example.com failed', subject: { kind: 'ClusterInstallation', namespace: 'mattermost', name: 'mm' }, expected: 'login succeeds', actual: 'HTTP 401 api.user.login.invalid_credentials_email_username', remediation: 'check the authentication settings of the new version' }],
    },
    { id: 'bluegreen-routing', phase: 'post', title: 'Blue/green: the idle colour\'s host reaches the idle colour\'s pods', description: 'Journeys through the idle host prove nothing if that host serves production.', status: 'pass', level: 'error', blocking: false, durationMs: 7, findings: [], summary: '8 answers through green.chat.example.com: 11.7.1 ×8' },
  ];
  const baseline = bluegreenPreflight();
  const report = buildReport({ phase: 'post', results, collectors: [], notes: [], scope: { ...SCOPE, side: 'idle', colour: 'green', productionColour: 'blue', workload: 'mm-green', url: 'https://green.chat.example.com' } });
  const current = { meta: { ...baseline.meta, phase: 'post' }, data: { installation: clusterInstallation({ green: '11.7.1' }) } } as Snapshot;
  return { ...report, rollbackPlan: rollbackPlan(baseline, current, { release: 'mattermost-operator', namespace: 'mattermost-operator' })! };
}

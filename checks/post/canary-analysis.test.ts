import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PodLogs } from '../../core/mattermost-types.js';
import { runCheck } from '../../core/testing.js';
import { clusterInstallation, deployment, probe } from '../../test/fixtures/bluegreen.js';
import check from './canary-analysis.js';

const scope = { kind: 'ClusterInstallation', strategy: 'canary', side: 'canary', workload: 'mm-canary', cookie: 'canary=always' } as const;
const logs = (...errors: number[]): PodLogs => ({
  sinceSeconds: 900, since: '2026-11-20T11:45:00Z',
  pods: errors.map((e, i) => ({ pod: `p${i}`, namespace: 'mattermost', container: 'mattermost', role: 'app', sinceSeconds: 900, lines: 10, jsonLines: 10, nonJsonLines: 0, levels: { info: 5, error: e }, groups: [], ungrouped: {} })) as unknown as PodLogs['pods'],
});
const data = (o: { canary?: number[]; stable?: number[]; versions?: string[] } = {}) => ({
  installation: clusterInstallation({ canary: '11.7.1' }),
  deployments: [deployment('mm', '10.11.4'), deployment('mm-canary', '11.7.1', 1)],
  routingProbe: { ...probe('https://chat.example.com', ...(o.versions ?? ['11.7.1', '11.7.1'])), cookie: 'canary=always' },
  podLogs: logs(...(o.canary ?? [0])),
  stablePodLogs: logs(...(o.stable ?? [0, 1])),
});

describe('canary-analysis', () => {
  it('says promote canary when the cookie reached the canary and it is no worse than stable', async () => {
    const r = await runCheck(check, { scope, data: data() });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['verdict'], 'promote canary');
  });

  it('is error NO_LOGS (inconclusive) when one side has no pod logs to compare: it could not look, it did not find the canary worse', async () => {
    const r = await runCheck(check, { scope, data: data({ stable: [] }) });
    assert.equal(r.status, 'error');
    assert.deepEqual(r.error, { code: 'NO_LOGS', message: 'could not look at Deployment mm-canary (NO_LOGS)' });
    assert.equal(r.measured?.['verdict'], 'inconclusive');
    assert.equal(r.findings[0]?.message, 'no stable pod logs to compare');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'Deployment', namespace: 'mattermost', name: 'mm-canary' });
    assert.equal(r.findings[0]?.actual, 'none');
    assert.match(r.findings[0]?.remediation ?? '', /pods\/log/);
  });

  it('says abort canary when the canary logs more errors per pod than stable plus the allowance', async () => {
    const r = await runCheck(check, { scope, data: data({ canary: [4], stable: [0, 1] }) });
    assert.equal(r.status, 'fail');
    assert.equal(r.measured?.['verdict'], 'abort canary');
    assert.equal(r.findings[0]?.actual, '4.0');
    assert.equal(r.findings[0]?.expected, '≤ 2.5 (stable + 2)');
  });

  it('fails when requests with the cookie reached stable pods', async () => {
    const r = await runCheck(check, { scope, data: data({ versions: ['10.11.4', '11.7.1'] }) });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /answered 10\.11\.4 ×1, 11\.7\.1 ×1/);
  });

  it('is not applicable on the stable side', async () => {
    const r = await runCheck(check, { scope: { ...scope, side: 'production' }, data: data() });
    assert.equal(r.status, 'not-applicable');
  });
});

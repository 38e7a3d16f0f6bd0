import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogGroup, PodLog } from '../../core/mattermost-types.js';
import { runCheck } from '../../core/testing.js';
import { collectError } from '../../test/fixtures/post-upgrade.js';
import check from './log-errors.js';

const group = (level: string, msg: string, count = 1): LogGroup => ({ level, msg, count, sample: JSON.stringify({ timestamp: '2026-11-20 11:59:00.000 Z', level, msg }) });
const podLog = (pod: string, groups: LogGroup[], o: Partial<PodLog> = {}): PodLog => {
  const levels: Record<string, number> = { info: 100 };
  for (const g of groups) levels[g.level] = (levels[g.level] ?? 0) + g.count;
  return { pod, namespace: 'mattermost', container: 'mattermost', role: 'app', sinceSeconds: 900, lines: 100, jsonLines: 100, nonJsonLines: 0, levels, groups, ungrouped: {}, ...o };
};
const logs = (...pods: PodLog[]) => ({ podLogs: { sinceSeconds: 900, since: '2026-11-20T11:45:00.000Z', pods } });

describe('log-errors', () => {
  it('passes with warnings only', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [group('warn', 'slow query')])) });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['errorLines'], 0);
  });

  it('fails on error lines with excerpts as evidence, most frequent first', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', []), podLog('mm-b', [group('error', 'Failed to upload file', 2), group('fatal', 'Database migration failed', 5)])) });
    assert.equal(r.status, 'fail');
    const f = r.findings[0];
    assert.equal(f?.subject?.name, 'mm-b');
    assert.match(f?.message ?? '', /logged 7 error\/fatal\/panic\/critical lines in the last 15m00s \(2 distinct messages, most often "Database migration failed"\)/);
    assert.equal(f?.actual, '7');
    assert.equal(f?.expected, '≤ 0');
    assert.match(f?.evidence?.[0] ?? '', /^×5 .*Database migration failed/);
  });

  it('applies the allow-list on msg', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [group('error', 'Unable to connect to push proxy', 3)])), options: { allow: ['push proxy'] } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['allowedLines'], 3);
  });

  it('respects the threshold', async () => {
    const data = logs(podLog('mm-a', [group('error', 'x', 2)]));
    assert.equal((await runCheck(check, { data, options: { threshold: 2 } })).status, 'pass');
    const over = await runCheck(check, { data, options: { threshold: 1 } });
    assert.equal(over.status, 'fail');
    assert.equal(over.findings[0]?.subject?.name, 'mm-a');
  });

  it('counts levels given in the options, including ungrouped ones', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [group('warn', 'w', 1)], { ungrouped: { warn: 4 } })), options: { levels: ['WARN'] } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.actual, '5');
  });

  it('fails closed when a pod log could not be read', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [], { error: { code: 'FORBIDDEN', message: 'forbidden' } })) });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'Pod', namespace: 'mattermost', name: 'mm-a' });
    assert.match(r.findings[0]?.message ?? '', /could not be read: FORBIDDEN/);
    assert.match(r.findings[0]?.remediation ?? '', /pods\/log/);
  });

  it('fails when the log was truncated', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [], { truncated: true })) });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.subject?.name, 'mm-a');
    assert.match(r.findings[0]?.message ?? '', /later lines were not checked/);
  });

  it('fails with no pods', async () => {
    const r = await runCheck(check, { data: logs() });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /no Mattermost pods of installation mm/);
  });

  it('errors without logs', async () => {
    const r = await runCheck(check, { data: { podLogs: collectError('podLogs') } });
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /podLogs: boom/);
  });

  it('rejects an invalid regex in allow', () => {
    assert.throws(() => check.options.parse({ allow: ['('] }));
  });
});

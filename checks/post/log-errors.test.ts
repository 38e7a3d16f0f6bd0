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

  it('a storm blocks: 50 "connection refused" lines in 5 minutes on one pod, evidence grouped by message', async () => {
    const storm = podLog('mm-b', [group('error', 'Failed to ping DB', 50), group('fatal', 'Database migration failed', 1)], { sinceSeconds: 300 });
    const r = await runCheck(check, { data: { podLogs: { sinceSeconds: 300, since: '2026-11-20T11:55:00.000Z', pods: [podLog('mm-a', [], { sinceSeconds: 300 }), storm] } } });
    assert.equal(r.status, 'fail');
    assert.equal(r.level, 'error', 'recommended at error: a storm blocks');
    assert.equal(r.blocking, true);
    const f = r.findings[0];
    assert.equal(f?.subject?.name, 'mm-b');
    assert.match(f?.message ?? '', /logged 51 error\/fatal\/panic\/critical lines in the last 5m00s \(10\.2\/min, a storm\), 2 distinct messages, most often "Failed to ping DB"/);
    assert.equal(f?.actual, '10.2 lines/min (51 lines)');
    assert.equal(f?.expected, '≤ 1 lines/min (errorRate)');
    assert.deepEqual(f?.evidence?.map((e) => e.split(':')[0]), ['×50 Failed to ping DB', '×1 Database migration failed']);
  });

  it('a stray line warns and does not block', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [group('error', 'Failed to upload file', 1)])) });
    assert.equal(r.status, 'warn');
    assert.equal(r.blocking, false);
    assert.match(r.findings[0]?.message ?? '', /pod mm-a logged 1 .* line in the last 15m00s \(0\.07\/min\)/);
    assert.equal(r.findings[0]?.expected, '≤ 0 lines/min (warnRate)');
  });

  it('a window under a minute counts as a minute: one line is not a storm', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [group('error', 'x', 1)], { sinceSeconds: 10 })) });
    assert.equal(r.status, 'warn');
  });

  it('respects the rates given', async () => {
    const data = logs(podLog('mm-a', [group('error', 'x', 30)])); // 2/min over 15 min
    assert.equal((await runCheck(check, { data, options: { errorRate: 2 } })).status, 'warn');
    assert.equal((await runCheck(check, { data, options: { errorRate: 1.9 } })).status, 'fail');
    assert.equal((await runCheck(check, { data, options: { warnRate: 2, errorRate: 5 } })).status, 'pass');
  });

  it('counts levels given in the options, including ungrouped ones', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [group('warn', 'w', 1)], { ungrouped: { warn: 4 } })), options: { levels: ['WARN'] } });
    assert.equal(r.status, 'warn');
    assert.equal(r.findings[0]?.actual, '0.33 lines/min (5 lines)');
  });

  it('a pod log it could not read is error with the code, naming the pod and the grant', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', []), podLog('mm-b', [], { error: { code: 'FORBIDDEN', status: 403, message: 'pods "mm-b" is forbidden: cannot get resource "pods/log"' } })) });
    assert.equal(r.status, 'error');
    assert.equal(r.blocking, true);
    assert.deepEqual(r.error, { code: 'FORBIDDEN', message: 'could not look at Pod mm-b (FORBIDDEN)' });
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.deepEqual(f.subject, { kind: 'Pod', namespace: 'mattermost', name: 'mm-b' });
    assert.match(f.message, /the log of pod mm-b \(container mattermost\) could not be read: HTTP 403/);
    assert.equal(f.expected, 'the log since the upgrade');
    assert.equal(f.actual, 'FORBIDDEN');
    assert.match(f.remediation ?? '', /pods\/log/);
  });

  it('a log cut at the read limit is error TRUNCATED: the lines past it were not seen', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [], { truncated: true })) });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'TRUNCATED');
    assert.equal(r.findings[0]?.subject?.name, 'mm-a');
    assert.equal(r.findings[0]?.actual, 'truncated');
    assert.match(r.findings[0]?.message ?? '', /later lines were not checked/);
    assert.match(r.findings[0]?.remediation ?? '', /logWindow/);
  });

  it('a storm on one pod beside a log it could not read: fail for the storm, the other listed and in error', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [group('error', 'Failed to ping DB', 50)], { sinceSeconds: 300 }), podLog('mm-b', [], { error: { code: 'TIMEOUT', message: 'did not answer' } })) });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => [f.subject?.name, f.actual]), [['mm-a', '10 lines/min (50 lines)'], ['mm-b', 'TIMEOUT']]);
    assert.deepEqual(r.error, { code: 'TIMEOUT', message: 'also could not look at Pod mm-b (TIMEOUT)' });
  });

  it('a stray line beside a log it could not read is error, the warning kept', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [group('error', 'x', 1)]), podLog('mm-b', [], { error: { code: 'TIMEOUT', message: 'did not answer' } })) });
    assert.equal(r.status, 'error');
    assert.deepEqual(r.findings.map((f) => f.subject?.name), ['mm-b', 'mm-a']);
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

  it('a stray line: the message, the fix and the summary say what was counted, where and over which window', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [group('error', 'Failed to upload file', 1)]), podLog('mm-b', [])) });
    const f = r.findings[0]!;
    assert.equal(f.message, 'pod mm-a logged 1 error/fatal/panic/critical line in the last 15m00s (0.07/min), 1 distinct message, most often "Failed to upload file"');
    assert.equal(f.remediation, 'read the lines (kubectl -n mattermost logs mm-a -c mattermost --since=15m | grep -E \'"level":"(error|fatal|panic|critical)"\'); fix the cause, or add known noise to this check\'s allow option');
    assert.equal(r.summary, '1 counted error/fatal/panic/critical lines in 2 pods over 15m00s, at most 0.07/min on one pod');
    assert.deepEqual(r.measured, { errorLines: 1, allowedLines: 0, pods: 2, windowSeconds: 900, maxRatePerMinute: 0.067, warnRate: 0, errorRate: 1 });
  });

  it('the evidence puts the most frequent message first, whatever order the collector gave', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [group('error', 'rare', 2), group('error', 'often', 40), group('error', 'middle', 9)])) });
    assert.match(r.findings[0]!.message, /3 distinct messages, most often "often"/);
    assert.deepEqual(r.findings[0]!.evidence?.map((e) => e.split(':')[0]), ['×40 often', '×9 middle', '×2 rare']);
    const seven = await runCheck(check, { data: logs(podLog('mm-a', [1, 2, 3, 4, 5, 6, 7].map((n) => group('error', `m${n}`, n)))) });
    assert.match(seven.findings[0]!.message, /7 distinct messages, most often "m7"/);
    assert.deepEqual(seven.findings[0]!.evidence?.map((e) => e.split(':')[0]), ['×7 m7', '×6 m6', '×5 m5', '×4 m4', '×3 m3'], 'the five most frequent');
  });

  it('the worst pod\'s rate is the one reported, and every pod\'s lines are counted', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [group('error', 'x', 30)]), podLog('mm-b', [group('error', 'y', 3)])) });
    assert.equal(r.measured?.['maxRatePerMinute'], 2);
    assert.equal(r.measured?.['errorLines'], 33);
  });

  it('lines whose msg an allow regex matches do not count, and are reported as allowed', async () => {
    const data = logs(podLog('mm-a', [group('error', 'Failed to ping DB', 50), group('error', 'websocket closed: EOF', 3)]));
    const r = await runCheck(check, { data, options: { allow: ['^websocket closed', 'ping DB$'] } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['allowedLines'], 53);
    assert.equal(r.measured?.['errorLines'], 0);
    assert.match(r.summary ?? '', / \(53 allowed\)$/);
    const some = await runCheck(check, { data, options: { allow: ['^websocket closed'] } });
    assert.equal(some.status, 'fail');
    assert.equal(some.findings[0]!.actual, '3.33 lines/min (50 lines)');
  });

  it('levels the collector does not group (info, debug) are counted from the level totals', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-a', [group('error', 'x', 1)])), options: { levels: ['INFO'], errorRate: 100 } });
    assert.equal(r.status, 'warn');
    assert.equal(r.findings[0]!.actual, '6.67 lines/min (100 lines)');
  });

  it('a log that could not be read for another reason than RBAC points at the pod\'s own log', async () => {
    const r = await runCheck(check, { data: logs(podLog('mm-b', [], { error: { code: 'TIMEOUT', message: 'did not answer' } })) });
    assert.equal(r.findings[0]!.remediation, 'kubectl -n mattermost logs mm-b -c mattermost');
  });

  it('rejects an invalid regex in allow, an empty one and an empty level list; takes several valid ones', () => {
    assert.throws(() => check.options.parse({ allow: ['('] }));
    assert.throws(() => check.options.parse({ allow: [''] }));
    assert.throws(() => check.options.parse({ levels: [] }));
    const o = check.options.parse({ allow: ['Failed .* DB', '^x$'], levels: ['Error', 'FATAL'] });
    assert.deepEqual([o.allow, o.levels], [['Failed .* DB', '^x$'], ['error', 'fatal']]);
  });
});

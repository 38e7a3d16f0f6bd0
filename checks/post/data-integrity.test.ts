import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Counts, DataCounts } from '../../core/backup-types.js';
import type { Baseline } from '../../core/baseline.js';
import { runCheck } from '../../core/testing.js';
import check from './data-integrity.js';

const before: Counts = { users: 240, teams: 6, channels: 48, posts: 720 };
const now = (counts: Partial<Counts> = {}, source: 'sql' | 'api' = 'sql'): DataCounts =>
  ({ source, where: 'mm@db:5432/mattermost', collectedAt: '2026-11-20T12:00:00Z', counts: { ...before, ...counts }, tolerance: 0.01 });
const baseline = (counts: Counts | null = before, source: 'sql' | 'api' = 'sql'): Baseline =>
  ({ path: '/reports/preflight.snapshot.json', kind: 'snapshot', collectedAt: '2026-11-20T10:00:00Z', harnessVersion: 't', data: counts ? { dataCounts: { ...now({}, source), counts } } : {} });

describe('data-integrity', () => {
  const failing: { name: string; data: Record<string, unknown>; message: RegExp; subject: string; expected: RegExp; actual: RegExp }[] = [
    { name: 'posts lost beyond tolerance', data: { dataCounts: now({ posts: 600 }), baseline: baseline() }, message: /posts: 120 of 720 rows are gone since preflight \(16\.67%\)/, subject: 'mm@db:5432/mattermost', expected: /at least 713/, actual: /^600$/ },
    { name: 'users table gone', data: { dataCounts: now({ users: null }), baseline: baseline() }, message: /users could not be counted after the upgrade/, subject: 'mm@db:5432/mattermost', expected: /about 240/, actual: /no count/ },
    { name: 'no baseline given', data: { dataCounts: now(), baseline: null }, message: /No preflight baseline/, subject: 'mm@db:5432/mattermost', expected: /--baseline/, actual: /no --baseline/ },
    { name: 'baseline without counts', data: { dataCounts: now(), baseline: baseline(null) }, message: /holds no row counts/, subject: 'mm@db:5432/mattermost', expected: /recorded at preflight/, actual: /holds no "dataCounts"/ },
    { name: 'baseline whose counts are all missing', data: { dataCounts: now(), baseline: baseline({ users: null, teams: null, channels: null, posts: null } as unknown as Counts) }, message: /holds no row count, so nothing shows/, subject: 'mm@db:5432/mattermost', expected: /recorded at preflight/, actual: /^none$/ },
    { name: 'sources differ', data: { dataCounts: now({}, 'api'), baseline: baseline(before, 'sql') }, message: /not comparable/, subject: 'mm@db:5432/mattermost', expected: /sql/, actual: /api/ },
  ];
  for (const c of failing) {
    it(`fails: ${c.name}`, async () => {
      const r = await runCheck(check, { data: c.data });
      assert.equal(r.status, 'fail');
      const f = r.findings[0];
      assert.ok(f);
      assert.match(f.message, c.message);
      assert.equal(f.subject?.name, c.subject);
      assert.match(f.expected ?? '', c.expected);
      assert.match(f.actual ?? '', c.actual);
      assert.ok(f.remediation);
    });
  }

  it('passes when counts grew or shrank within tolerance', async () => {
    const r = await runCheck(check, { data: { dataCounts: now({ posts: 800, users: 238 }), baseline: baseline() } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['before.posts'], 720);
    assert.equal(r.measured?.['after.posts'], 800);
  });

  it('a loss exactly at the tolerance passes; one row more fails', async () => {
    const at = (posts: number) => runCheck(check, { data: { dataCounts: now({ posts }), baseline: baseline({ ...before, posts: 700 }) } });
    assert.equal((await at(693)).status, 'pass', '7 of 700 rows is 1.00 %, the tolerance');
    const over = await at(692);
    assert.equal(over.status, 'fail');
    assert.equal(over.findings.length, 1);
    assert.equal(over.findings[0]!.message, 'posts: 8 of 700 rows are gone since preflight (1.14%)');
    assert.equal(over.findings[0]!.expected, 'at least 693 (loss ≤ 1.00%)');
  });

  it('a table empty at preflight and still empty has lost nothing', async () => {
    const r = await runCheck(check, { data: { dataCounts: now({ teams: 0 }), baseline: baseline({ ...before, teams: 0 }) } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['before.teams'], 0);
  });

  it('judges the counts preflight took, and only those, even when verify cannot take the others either', async () => {
    const partial = { users: null, teams: null, channels: 48, posts: 720 } as unknown as Counts;
    const r = await runCheck(check, { data: { dataCounts: now({ users: null, teams: 3 }), baseline: baseline(partial) } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal('before.users' in (r.measured ?? {}), false, 'no preflight figure for a count preflight did not take');
    assert.equal('after.users' in (r.measured ?? {}), false, 'no verify figure for a count verify could not take');
    assert.equal(r.measured?.['after.teams'], 3);
    const lost = await runCheck(check, { data: { dataCounts: now({ channels: 10 }), baseline: baseline(partial) } });
    assert.equal(lost.status, 'fail');
    assert.deepEqual(lost.findings.map((f) => f.message), ['channels: 38 of 48 rows are gone since preflight (79.17%)']);
  });

  it('reports the source, the tolerance and both counts, and names the preflight run it compared with', async () => {
    const r = await runCheck(check, { data: { dataCounts: now(), baseline: baseline() } });
    assert.equal(r.status, 'pass');
    assert.deepEqual(r.measured, {
      source: 'sql', tolerance: 0.01,
      'before.users': 240, 'after.users': 240, 'before.teams': 6, 'after.teams': 6, 'before.channels': 48, 'after.channels': 48, 'before.posts': 720, 'after.posts': 720,
    });
    assert.equal(r.summary, 'Counts kept since preflight (2026-11-20T10:00:00Z)');
    const undated = await runCheck(check, { data: { dataCounts: now(), baseline: { ...baseline(), collectedAt: '' } } });
    assert.equal(undated.summary, 'Counts kept since preflight (/reports/preflight.snapshot.json)');
  });

  it('names both sources, whichever way round they differ', async () => {
    const sqlThenApi = await runCheck(check, { data: { dataCounts: now({}, 'api'), baseline: baseline(before, 'sql') } });
    assert.equal(sqlThenApi.findings[0]!.message, 'Preflight counted rows from SQL, verify from the API: the counts are not comparable');
    const apiThenSql = await runCheck(check, { data: { dataCounts: now({}, 'sql'), baseline: baseline(before, 'api') } });
    assert.equal(apiThenSql.status, 'fail');
    assert.equal(apiThenSql.findings[0]!.message, 'Preflight counted rows from the API, verify from SQL: the counts are not comparable');
    assert.equal(apiThenSql.findings[0]!.expected, 'counts from api');
  });

  it('is error when the counts or the baseline could not be read', async () => {
    const r = await runCheck(check, { data: { dataCounts: { $collectError: true, key: 'dataCounts', code: 'UNREACHABLE', message: 'database down' }, baseline: baseline() } });
    assert.equal(r.status, 'error');
    const unread = await runCheck(check, { data: { dataCounts: now(), baseline: { $collectError: true, key: 'baseline', code: 'CONFIG', message: 'not JSON' } } });
    assert.equal(unread.status, 'fail');
    assert.match(unread.findings[0]?.actual ?? '', /the baseline could not be read: not JSON/);
  });

  it('fails, naming the cause, when preflight could not count rows', async () => {
    const b = { ...baseline(), data: { dataCounts: { $collectError: true, key: 'dataCounts', code: 'NOT_CONFIGURED', message: 'no source of row counts' } } };
    const r = await runCheck(check, { data: { dataCounts: now(), baseline: b } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.actual ?? '', /preflight could not look \(NOT_CONFIGURED\): no source of row counts/);
  });
});

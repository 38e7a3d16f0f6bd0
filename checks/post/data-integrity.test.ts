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

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BaselineCounts, Counts, DataCounts } from '../../core/backup-types.js';
import { runCheck } from '../../core/testing.js';
import check from './data-integrity.js';

const before: Counts = { users: 240, teams: 6, channels: 48, posts: 720 };
const now = (counts: Partial<Counts> = {}, source: 'sql' | 'api' = 'sql'): DataCounts =>
  ({ source, where: 'mm@db:5432/mattermost', collectedAt: '2026-11-20T12:00:00Z', counts: { ...before, ...counts }, tolerance: 0.01 });
const baseline = (counts: Counts | null = before, source: 'sql' | 'api' = 'sql'): BaselineCounts =>
  ({ path: '/reports/preflight.snapshot.json', kind: 'snapshot', collectedAt: '2026-11-20T10:00:00Z', counts: counts ? { source, counts } : null, ...(counts ? {} : { reason: 'the snapshot holds no dataCounts' }) });

describe('data-integrity', () => {
  const failing: { name: string; data: Record<string, unknown>; message: RegExp; subject: string; expected: RegExp; actual: RegExp }[] = [
    { name: 'posts lost beyond tolerance', data: { dataCounts: now({ posts: 600 }), baselineCounts: baseline() }, message: /posts: 120 of 720 rows are gone since preflight \(16\.67%\)/, subject: 'mm@db:5432/mattermost', expected: /at least 713/, actual: /^600$/ },
    { name: 'users table gone', data: { dataCounts: now({ users: null }), baselineCounts: baseline() }, message: /users could not be counted after the upgrade/, subject: 'mm@db:5432/mattermost', expected: /about 240/, actual: /no count/ },
    { name: 'no baseline given', data: { dataCounts: now(), baselineCounts: null }, message: /No preflight baseline/, subject: 'mm@db:5432/mattermost', expected: /--baseline/, actual: /no --baseline/ },
    { name: 'baseline without counts', data: { dataCounts: now(), baselineCounts: baseline(null) }, message: /holds no row counts/, subject: '/reports/preflight.snapshot.json', expected: /recorded at preflight/, actual: /no dataCounts/ },
    { name: 'baseline whose counts are all missing', data: { dataCounts: now(), baselineCounts: baseline({ users: null, teams: null, channels: null, posts: null } as unknown as Counts) }, message: /holds no row count, so nothing shows/, subject: 'mm@db:5432/mattermost', expected: /recorded at preflight/, actual: /^none$/ },
    { name: 'sources differ', data: { dataCounts: now({}, 'api'), baselineCounts: baseline(before, 'sql') }, message: /not comparable/, subject: 'mm@db:5432/mattermost', expected: /sql/, actual: /api/ },
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
    const r = await runCheck(check, { data: { dataCounts: now({ posts: 800, users: 238 }), baselineCounts: baseline() } });
    assert.equal(r.status, 'pass', JSON.stringify(r.findings));
    assert.equal(r.measured?.['before.posts'], 720);
    assert.equal(r.measured?.['after.posts'], 800);
  });

  it('is error when the counts or the baseline could not be read', async () => {
    const r = await runCheck(check, { data: { dataCounts: { $collectError: true, key: 'dataCounts', code: 'UNREACHABLE', message: 'database down' }, baselineCounts: baseline() } });
    assert.equal(r.status, 'error');
    assert.equal((await runCheck(check, { data: { dataCounts: now() } })).status, 'error');
  });
});

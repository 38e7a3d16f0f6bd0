import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { appendHistory, HISTORY_FILE, historyTrend, readHistory, type HistoryEntry } from './history.js';

const dir = mkdtempSync(join(tmpdir(), 'mmgate-history-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const entry = (at: string, installation: string, blocking: string[]): HistoryEntry => ({
  at, phase: 'pre', installation, verdict: blocking.length ? 'blocked' : 'promote', exitCode: blocking.length ? 1 : 0, durationMs: 1000, partial: false, blocking, warnings: [],
});

describe('run history', () => {
  it('appends one line per run and reads them back, skipping a torn line', async () => {
    await appendHistory(dir, entry('2026-11-01T00:00:00Z', 'mattermost/mm', ['backup-recency']));
    appendFileSync(join(dir, HISTORY_FILE), '{"at":"2026-11-02T00:00:00Z","phase":"pre","instal');
    appendFileSync(join(dir, HISTORY_FILE), '\n');
    await appendHistory(dir, entry('2026-11-03T00:00:00Z', 'mattermost/mm', []));
    const read = await readHistory(dir);
    assert.deepEqual(read.map((e) => e.at), ['2026-11-01T00:00:00Z', '2026-11-03T00:00:00Z']);
    assert.deepEqual(await readHistory(join(dir, 'none')), []);
  });

  it('the trend keeps the last N runs per installation, newest first, and counts what blocked them', () => {
    const runs = [
      entry('2026-11-01T00:00:00Z', 'a/mm', ['backup-recency', 'pod-health']),
      entry('2026-11-02T00:00:00Z', 'a/mm', ['backup-recency']),
      entry('2026-11-03T00:00:00Z', 'a/mm', []),
      entry('2026-11-04T00:00:00Z', 'b/mm', ['node-readiness']),
    ];
    const [a, b] = historyTrend(runs, 2);
    assert.equal(a!.installation, 'a/mm');
    assert.deepEqual(a!.last.map((e) => e.at), ['2026-11-03T00:00:00Z', '2026-11-02T00:00:00Z']);
    assert.deepEqual(a!.topBlocking, [{ id: 'backup-recency', count: 1 }]);
    assert.deepEqual(historyTrend(runs, 3)[0]!.topBlocking, [{ id: 'backup-recency', count: 2 }, { id: 'pod-health', count: 1 }]);
    assert.deepEqual(b!.topBlocking, [{ id: 'node-readiness', count: 1 }]);
  });
});

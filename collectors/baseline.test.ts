import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromBaseline } from '../core/baseline.js';
import { UsageError } from '../core/errors.js';
import { testEnv } from '../test/collect-env.js';
import { baselineCollector, readBaseline } from './baseline.js';

const counts = { source: 'sql', where: 'mm@db/mm', collectedAt: '2026-11-20T10:00:00.000Z', counts: { users: 10, teams: 1, channels: 3, posts: 40 }, tolerance: 0.01 };
const snapshot = (over: Record<string, unknown> = {}) => ({
  meta: { schemaVersion: 2, phase: 'pre', collectedAt: '2026-11-20T10:00:00.000Z', harnessVersion: '0.1.0', target: {}, scope: { namespace: 'mattermost', installation: 'mm' }, collectors: {}, ...over },
  data: { dataCounts: counts, pods: [], nodes: [{ big: true }] },
});
const report = { schemaVersion: 1, tool: { name: 'mmgate', version: '0.1.0' }, phase: 'pre', startedAt: '2026-11-20T10:00:00.000Z', results: [] };

describe('the --baseline reader', () => {
  let dir = '';
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'mmgate-baseline-')); });
  after(() => rm(dir, { recursive: true, force: true }));
  const file = async (name: string, doc: unknown) => { const p = join(dir, name); await writeFile(p, typeof doc === 'string' ? doc : JSON.stringify(doc)); return p; };

  it('reads a preflight snapshot', async () => {
    const p = await file('a.snapshot.json', snapshot());
    const b = await readBaseline(p);
    assert.equal(b.kind, 'snapshot');
    assert.equal(b.collectedAt, '2026-11-20T10:00:00.000Z');
    const v = fromBaseline(b, 'dataCounts');
    assert.ok(v.ok);
    assert.equal(v.value.counts.posts, 40);
  });

  it('reads a preflight.json report through the snapshot its run wrote beside it', async () => {
    const sub = join(dir, 'run1');
    await mkdir(sub);
    await writeFile(join(sub, 'preflight.snapshot.json'), JSON.stringify(snapshot()));
    const p = join(sub, 'preflight.json');
    await writeFile(p, JSON.stringify(report));
    const b = await readBaseline(p);
    assert.equal(b.kind, 'report');
    assert.equal(b.path, p);
    assert.equal(fromBaseline(b, 'dataCounts').ok, true);
  });

  it('says what a report lacks when its snapshot is not beside it (or is of another run)', async () => {
    const sub = join(dir, 'run2');
    await mkdir(sub);
    await writeFile(join(sub, 'preflight.snapshot.json'), JSON.stringify(snapshot({ collectedAt: '2026-11-21T10:00:00.000Z' })));
    const p = join(sub, 'preflight.json');
    await writeFile(p, JSON.stringify(report));
    const v = fromBaseline(await readBaseline(p), 'dataCounts');
    assert.equal(v.ok, false);
    assert.match(v.ok ? '' : v.reason, /is a JSON report, which holds results, not the data verify compares with.*give that snapshot as --baseline/);
  });

  it('refuses what is not a preflight baseline, naming the file and the fix', async () => {
    const cases: [unknown, RegExp][] = [
      ['{nope', /not JSON/],
      [{ hello: 1 }, /not an mmgate snapshot/],
      [snapshot({ phase: 'post' }), /snapshot of mmgate verify, not of preflight/],
      [{ ...report, phase: 'during' }, /report of mmgate watch, not of preflight/],
      [snapshot({ schemaVersion: 1 }), /schemaVersion 1 .*reads schemaVersion 2 only/],
    ];
    for (const [i, [doc, msg]] of cases.entries()) {
      const p = await file(`bad-${i}.json`, doc);
      await assert.rejects(readBaseline(p), (e: Error) => e instanceof UsageError && msg.test(e.message) && e.message.includes(p) && Boolean(e.hint));
    }
    await assert.rejects(readBaseline(join(dir, 'absent.json')), /cannot read the file \(ENOENT\)/);
  });

  it('the collector keeps only the declared keys, and null without --baseline', async () => {
    const p = await file('b.snapshot.json', snapshot());
    const b = await baselineCollector.collect({ ...testEnv({ config: {}, baselinePath: p }), baselineKeys: ['dataCounts'] });
    assert.deepEqual(Object.keys(b?.data ?? {}), ['dataCounts']);
    assert.equal(await baselineCollector.collect(testEnv({ config: {} })), null);
    assert.equal(fromBaseline(null, 'pods').ok, false);
  });
});

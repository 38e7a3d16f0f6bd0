import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CheckResult } from '../core/types.js';
import { blockedPreflight, preflightCollectors } from './fixtures.js';
import { createReporters, liveHooks, writeReports, type ReportContext, type Reporter } from './index.js';
import { Capture, tempDir } from './test-helpers.js';

const ctx = (dir: string, stdout = new Capture()): ReportContext => ({ dir, name: 'preflight', stdout, isTTY: false, color: false, env: {} });

describe('createReporters', () => {
  it('makes one reporter per format, in order, duplicates dropped', () => {
    assert.deepEqual(createReporters(['json', 'console', 'junit', 'json', 'markdown', 'prometheus', 'html']).map((r) => r.name), ['json', 'console', 'junit', 'markdown', 'prometheus', 'html']);
    assert.deepEqual(createReporters([]), []);
  });

  it('refuses an unknown format by name', () => {
    assert.throws(() => createReporters(['pdf' as never]), /unknown report format "pdf": use console, json, junit, markdown, prometheus, html/);
  });

  it('gives the console its live stream', () => {
    const out = new Capture();
    const [console] = createReporters(['console'], { stdout: out, color: false });
    const [run] = preflightCollectors();
    if (!run) assert.fail('fixture changed');
    console?.onCollectorEnd?.(run);
    assert.equal(out.text, '  · collected backups (410ms)\n');
  });
});

describe('writeReports', () => {
  it('writes every file format and prints the summary last', async () => {
    const dir = await tempDir();
    const out = new Capture();
    const { files, failures } = await writeReports(blockedPreflight(), createReporters(['console', 'json', 'junit', 'markdown', 'prometheus']), ctx(dir, out));
    assert.deepEqual(failures, []);
    assert.deepEqual(files, ['preflight.json', 'preflight.junit.xml', 'preflight.md', 'preflight.prom'].map((f) => join(dir, f)));
    assert.deepEqual((await readdir(dir)).sort(), ['preflight.json', 'preflight.junit.xml', 'preflight.md', 'preflight.prom'], 'no temp file left');
    assert.match(out.text, /BLOCKED by 3 checks: .* \(exit 1\)\n$/);
  });

  it('one failing reporter neither stops the others nor goes unreported', async () => {
    const dir = await tempDir();
    const order: string[] = [];
    const boom: Reporter = { name: 'boom', onRunEnd: async () => { order.push('boom'); throw new Error('disk full'); } };
    const sync: Reporter = { name: 'sync', onRunEnd: () => { order.push('sync'); throw new Error('thrown synchronously'); } };
    const { files, failures } = await writeReports(blockedPreflight(), [boom, sync, ...createReporters(['junit'])], ctx(dir));
    assert.deepEqual(order, ['boom', 'sync']);
    assert.deepEqual(files, [join(dir, 'preflight.junit.xml')]);
    assert.deepEqual(failures, [{ reporter: 'boom', message: 'disk full' }, { reporter: 'sync', message: 'thrown synchronously' }]);
  });

  it('a report dir that cannot be created is a failure of each file reporter, not a crash', async () => {
    const dir = await tempDir();
    const file = join(dir, 'preflight.json');
    await writeReports(blockedPreflight(), createReporters(['json']), ctx(dir));
    // A file where the directory should be.
    const { files, failures } = await writeReports(blockedPreflight(), createReporters(['json', 'junit', 'console']), ctx(join(file, 'sub')));
    assert.deepEqual(files, []);
    assert.deepEqual(failures.map((f) => f.reporter), ['json', 'junit']);
    assert.match(failures[0]?.message ?? '', /ENOTDIR|EEXIST/);
  });
});

describe('liveHooks', () => {
  it('fans events out and swallows a throwing hook', () => {
    const seen: string[] = [];
    const hooks = liveHooks([
      { name: 'a', onCheckEnd: () => { throw new Error('x'); }, onRunEnd: async () => [] },
      { name: 'b', onCheckEnd: (r) => seen.push(r.id), onCollectorEnd: (c) => seen.push(c.key), onRunEnd: async () => [] },
    ]);
    const result = blockedPreflight().results[0] as CheckResult;
    assert.doesNotThrow(() => hooks.onCheckEnd(result));
    hooks.onCollectorEnd({ key: 'nodes', ok: true, durationMs: 1, attempts: 1 });
    assert.deepEqual(seen, ['backup-recency', 'nodes']);
  });
});

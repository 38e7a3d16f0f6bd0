import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { blockedPreflight, blockedWatch, buildReport, nastyReport, promotedVerify } from './fixtures.js';
import { JsonReporter, renderJson } from './json.js';
import { runReportSchema } from './json-schema.js';
import { Capture, tempDir } from './test-helpers.js';

describe('renderJson', () => {
  it('is the RunReport as is, pretty-printed, keys in the order built', () => {
    const report = blockedPreflight();
    const text = renderJson(report);
    assert.deepEqual(JSON.parse(text), report);
    assert.ok(text.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "mmgate",'));
    assert.deepEqual(Object.keys(JSON.parse(text) as object), Object.keys(report));
    assert.ok(text.endsWith('}\n'));
  });

  it('writes <name>.json', async () => {
    const dir = await tempDir();
    const files = await new JsonReporter().onRunEnd(promotedVerify(), { dir, name: 'verify', stdout: new Capture(), isTTY: false, color: false, env: {} });
    assert.deepEqual(files, [join(dir, 'verify.json')]);
    assert.equal(await readFile(join(dir, 'verify.json'), 'utf8'), renderJson(promotedVerify()));
  });
});

describe('renderJson time lines', () => {
  it('carries every probe sample of a time line, for charts', () => {
    const parsed = JSON.parse(renderJson(blockedWatch())) as { results: { timeline?: { samples: unknown[]; outages: unknown[] } }[] };
    const t = parsed.results[0]?.timeline;
    assert.equal(t?.samples.length, 40);
    assert.deepEqual(t?.samples[24], { t: 2400, ok: false, status: 503, ms: 4, fresh: false });
    assert.equal(t?.outages.length, 1);
  });
});

describe('runReportSchema', () => {
  it('accepts every fixture after a JSON round trip', () => {
    for (const r of [blockedPreflight(), promotedVerify(), blockedWatch(), nastyReport(), buildReport({ results: [], partial: true })]) {
      const parsed = runReportSchema.safeParse(JSON.parse(renderJson(r)));
      assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
      assert.deepEqual(parsed.data, JSON.parse(renderJson(r)));
    }
  });

  it('rejects a report from another schema version, an unknown field, a bad status or a missing count', () => {
    const base = JSON.parse(renderJson(blockedPreflight())) as Record<string, unknown> & { results: Record<string, unknown>[]; verdict: { counts: Record<string, unknown> } };
    const bad: [string, unknown][] = [
      ['schemaVersion 2', { ...base, schemaVersion: 2 }],
      ['unknown top-level field', { ...base, extra: true }],
      ['unknown status', { ...base, results: [{ ...base.results[0], status: 'passed' }] }],
      ['missing count', { ...base, verdict: { ...base.verdict, counts: { ...base.verdict.counts, skipped: undefined } } }],
      ['exit code 2 (never in a report)', { ...base, verdict: { ...base.verdict, exitCode: 2 } }],
      ['startedAt not a timestamp', { ...base, startedAt: 'yesterday' }],
    ];
    for (const [label, value] of bad) assert.equal(runReportSchema.safeParse(value).success, false, label);
  });
});

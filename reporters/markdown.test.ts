import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CheckResult } from '../core/types.js';
import { blockedPreflight, blockedWatch, buildReport, nastyReport, promotedVerify } from './fixtures.js';
import { MarkdownReporter, STEP_SUMMARY_LIMIT, mdCode, mdText, renderMarkdown } from './markdown.js';
import { Capture, tempDir } from './test-helpers.js';
import type { ReportContext } from './types.js';

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
const cells = (row: string): string[] => row.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/);
const tableRows = (md: string): string[] => md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Status'));

describe('renderMarkdown', () => {
  it('has a Timelines section with the compact time line in a code block', () => {
    const out = renderMarkdown(blockedWatch());
    assert.match(out, /### Timelines\n\n`rollout-availability` \(every probe is in the JSON report\):\n\n```\ntimeline 4\.0s: \[\.{24}X{6}\.{10}\] {2}40 probes, 6 failed, 1 outage\n {2}\+2\.4s → \+3\.0s {2}600ms {2}503×6 {2}10\.11\.4 → 11\.7\.1\n```/);
  });

  const md = renderMarkdown(blockedPreflight());

  it('starts with the verdict emoji and headline, then scope and exit code', () => {
    const [first, , third] = md.split('\n');
    assert.equal(first, '## ⛔ mmgate preflight: BLOCKED by 3 checks: backup-recency, database-connection, replica-count');
    assert.match(third ?? '', /Installation `mm` in namespace `mattermost` \(context `prod-eu`\) · target `11\.7\.1` · exit code 1/);
    assert.match(renderMarkdown(promotedVerify()), /^## ✅ mmgate verify: PROMOTE: 2 checks evaluated\n/);
    assert.match(renderMarkdown(buildReport({ partial: true })), /^## ⚠️ mmgate preflight: INCOMPLETE[\s\S]*> \[!WARNING\]/);
  });

  it('has a table row per check with status, id, title, level and duration', () => {
    const rows = tableRows(md);
    assert.equal(rows.length, 10);
    for (const r of rows) assert.equal(cells(r).length, 5, r);
    assert.ok(rows.includes('| ❌ fail (**blocking**) | `replica-count` | Too few Mattermost replicas to upgrade without downtime | error | 1ms |'));
    assert.ok(rows.includes('| ✅ pass (flaky) | `plugin-health` | All enabled plugins are running | error | 5ms |'));
    assert.ok(rows.includes('| ❌ fail (waived) | `pod-health` | Some Mattermost pods are restarting | warn | 4ms |'));
  });

  it('lists the blocking checks with measured vs expected and the fix before the table', () => {
    const blocking = md.slice(md.indexOf('**Blocking:**'), md.indexOf('| Status'));
    assert.match(blocking, /- ❌ `replica-count`: actual: 1 replica · expected: ≥ 2 replicas \(Mattermost mattermost\/mm\)<br>fix: Raise spec\.replicas/);
    assert.match(blocking, /- ‼️ `database-connection`: COLLECTOR_FAILED: could not look/);
    assert.equal((blocking.match(/^- /gm) ?? []).length, 3);
  });

  it('details each non-passing check: findings, subject, measured vs expected, fix, evidence, waiver', () => {
    const details = md.slice(md.indexOf('### Details'));
    assert.match(details, /#### ❌ `backup-recency`: The newest database backup is too old to roll back to\n\nfail · level error · \*\*blocking\*\*/);
    assert.match(details, / {2}- subject: `VolumeSnapshot mattermost\/mm-db-20261117-1000`/);
    assert.match(details, / {2}- actual: 74h old · expected: ≤ 24h old/);
    assert.match(details, / {2}- evidence \(first 3 of 4; all in the JSON report\):\n\n {4}```\n/);
    assert.match(details, /Waived until 2026-12-31: CHG-1234 noisy batch job/);
    assert.match(details, /#### ⚠️ `rollout-headroom`/);
    assert.doesNotMatch(details, /#### ✅/);
    assert.match(md, /### Collectors that failed\n\n- `postgres`: \*\*UNREACHABLE\*\* connect ECONNREFUSED/);
    assert.match(md, /### Notes\n\n- operator-version: ignored with --ignore/);
  });

  it('keeps odd text inert: pipes and newlines cannot break the table, HTML and emphasis are escaped', () => {
    const odd = renderMarkdown(nastyReport());
    const rows = tableRows(odd);
    assert.equal(rows.length, 6);
    for (const r of rows) assert.equal(cells(r).length, 5, r);
    // Raw HTML only inside code blocks and code spans, where it renders as text.
    const outsideCode = odd.replace(/^( *)(`{3,})\n[\s\S]*?\n\1\2\n/gm, '').replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '');
    assert.ok(outsideCode.length < odd.length, 'the fixture has evidence blocks');
    assert.doesNotMatch(outsideCode, /<script>/);
    assert.match(odd, /\\<script\\>/);
    assert.match(odd, /\\\*\\\*bold\\\*\\\*/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(odd, /[\u0000-\u0008\u000b-\u001f]/);
    // Evidence is fenced with a fence longer than the backticks inside it.
    assert.match(odd, /\n {4}````\n {4}evidence [\s\S]*?\n {4}```\n {4}<\/system-out>\n {4}````\n/);
  });

  it('escapes cell and inline text, and builds code spans that survive backticks and pipes', () => {
    assert.equal(mdText('a|b\nc'), 'a\\|b<br>c');
    assert.equal(mdText('COLLECTOR_FAILED _x_'), 'COLLECTOR_FAILED \\_x\\_');
    assert.equal(mdText('1. not a list', { lineStart: true }), '1\\. not a list');
    assert.equal(mdText('version 1.2'), 'version 1.2');
    assert.equal(mdCode('a`b'), '``a`b``');
    assert.equal(mdCode('a|b', { inTable: true }), '`a\\|b`');
  });

  it('says so when no check ran', () => {
    const none = renderMarkdown(buildReport({ results: [], collectors: [], notes: [] }));
    assert.match(none, /\| \| _no checks ran_ \| \| \| \|/);
  });
});

describe('MarkdownReporter', () => {
  const ctx = (dir: string, env: NodeJS.ProcessEnv): ReportContext => ({ dir, name: 'preflight', stdout: new Capture(), isTTY: false, color: false, env });

  it('writes <name>.md', async () => {
    const dir = await tempDir();
    const files = await new MarkdownReporter().onRunEnd(blockedPreflight(), ctx(dir, {}));
    assert.deepEqual(files, [join(dir, 'preflight.md')]);
    assert.equal(await readFile(join(dir, 'preflight.md'), 'utf8'), renderMarkdown(blockedPreflight()));
  });

  it('appends to $GITHUB_STEP_SUMMARY, never truncating what other steps wrote', async () => {
    const dir = await tempDir();
    const summary = join(dir, 'step-summary.md');
    await writeFile(summary, '# from an earlier step\n');
    await new MarkdownReporter().onRunEnd(blockedPreflight(), ctx(dir, { GITHUB_STEP_SUMMARY: summary }));
    await new MarkdownReporter().onRunEnd(promotedVerify(), ctx(dir, { GITHUB_STEP_SUMMARY: summary }));
    const text = await readFile(summary, 'utf8');
    assert.ok(text.startsWith('# from an earlier step\n## ⛔ mmgate preflight'));
    assert.ok(text.includes(`${renderMarkdown(blockedPreflight())}\n## ✅ mmgate verify`));
  });

  it('gives the step summary the brief form when the full one is over GitHub\'s limit', async () => {
    const dir = await tempDir();
    const summary = join(dir, 'step-summary.md');
    const huge: CheckResult = {
      id: 'pod-health', phase: 'pre', title: 'Pods restart', description: 'd', status: 'fail', level: 'error', blocking: true, durationMs: 1,
      findings: Array.from({ length: 3_000 }, (_, i) => ({ message: `pod ${i} ${'x'.repeat(400)}`, remediation: 'fix it' })),
    };
    const report = buildReport({ results: [huge] });
    assert.ok(Buffer.byteLength(renderMarkdown(report)) > STEP_SUMMARY_LIMIT, 'fixture must exceed the limit');
    await new MarkdownReporter().onRunEnd(report, ctx(dir, { GITHUB_STEP_SUMMARY: summary }));
    const text = await readFile(summary, 'utf8');
    assert.ok(Buffer.byteLength(text) < STEP_SUMMARY_LIMIT);
    assert.match(text, /^## ⛔ mmgate preflight: BLOCKED by 1 check: pod-health/);
    assert.match(text, /_Details left out to fit the step summary: see `.*preflight\.md`\._/);
    assert.ok((await readFile(join(dir, 'preflight.md'), 'utf8')).includes('pod 2999'), 'the file keeps everything');
  });
});

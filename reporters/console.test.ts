import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConsoleReporter, renderCheckLine, renderCollectorLine, renderConsoleSummary, terminalRows } from './console.js';
import { blockedPreflight, blockedWatch, buildReport, nastyReport, preflightCollectors, preflightResults, promotedVerify } from './fixtures.js';
import { Capture } from './test-helpers.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;
const lines = (s: string): string[] => s.trimEnd().split('\n');

describe('renderConsoleSummary', () => {
  it('prints a check\'s time line: the strip and one line per outage', () => {
    const out = renderConsoleSummary(blockedWatch(), { color: false });
    const at = out.indexOf('Timelines');
    assert.ok(at > 0, out);
    const lines = out.slice(at).split('\n');
    assert.equal(lines[2], '  rollout-availability');
    assert.equal(lines[3], `  timeline 4.0s: [${'.'.repeat(24)}${'X'.repeat(6)}${'.'.repeat(10)}]  40 probes, 6 failed, 1 outage`);
    assert.equal(lines[4], '    +2.4s → +3.0s  600ms  503×6  10.11.4 → 11.7.1');
    assert.doesNotMatch(renderConsoleSummary(promotedVerify(), { color: false }), /Timelines/);
  });

  const text = renderConsoleSummary(blockedPreflight(), { color: false });
  const all = lines(text);

  it('ends with the verdict headline and the exit code', () => {
    assert.equal(all.at(-1), '✖ BLOCKED by 3 checks: backup-recency, database-connection, replica-count (exit 1)');
    assert.equal(all.at(-2), '2 pass · 1 warn · 3 fail · 2 error · 1 not-applicable · 1 skipped · 7.4s');
  });

  it('lists every check on one line with symbol, status, level, id, title and duration', () => {
    const row = (id: string): string => all.find((l) => new RegExp(`^  \\S \\S+\\s+\\S+\\s+${id} `).test(l)) ?? assert.fail(`no row for ${id}`);
    assert.match(row('replica-count'), /^ {2}✖ fail\s+error\s+replica-count\s+Too few Mattermost replicas to upgrade without downtime\s+1ms\s+BLOCKING$/);
    assert.match(row('node-readiness'), /^ {2}✔ pass\s+error\s+node-readiness\s+All nodes are Ready\s+3ms$/);
    assert.match(row('rollout-headroom'), /^ {2}⚠ warn\s+warn\s+rollout-headroom /);
    assert.match(row('database-connection'), /^ {2}‼ error\s+error\s+database-connection .* BLOCKING$/);
    assert.match(row('blue-green-readiness'), /^ {2}– n\/a\s+warn\s+blue-green-readiness .*\(no blue\/green deployment is configured/);
    assert.match(row('license-expiry'), /^ {2}– skipped\s+off\s+license-expiry .*\(off in the policy\)$/);
    assert.match(row('plugin-health'), /flaky$/);
    assert.match(row('pod-health'), /waived$/);
    // Columns line up: every id starts at the same column.
    const cols = new Set(preflightResults().map((r) => row(r.id).indexOf(` ${r.id} `)));
    assert.equal(cols.size, 1);
  });

  it('details every non-passing check: findings, subject, measured vs expected, fix, at most 3 evidence lines', () => {
    const details = text.slice(text.indexOf('\nDetails\n'), text.indexOf('\nCollectors that failed'));
    assert.match(details, /✖ backup-recency · fail · level error · BLOCKING/);
    assert.match(details, /subject: VolumeSnapshot mattermost\/mm-db-20261117-1000/);
    assert.match(details, /actual: 74h old · expected: ≤ 24h old/);
    assert.match(details, /fix: Take a backup now/);
    assert.match(details, /mm-db-20261118-1000/);
    assert.doesNotMatch(details, /mm-db-20261119-1000/, 'the 4th evidence line is left to the JSON report');
    assert.match(details, /\(\+1 more in the JSON report\)/);
    assert.match(details, /measured: newestBackupAgeHours=74, maxAgeHours=24/);
    assert.match(details, /COLLECTOR_FAILED: could not look/);
    assert.match(details, /⚠ rollout-headroom · warn · level warn · does not block/);
    assert.match(details, /waived until 2026-12-31: CHG-1234 noisy batch job/);
    assert.match(details, /plugin-health · flaky: passed/);
    assert.doesNotMatch(details, /node-readiness/, 'clean passes are not detailed');
  });

  it('shows failed collectors and the notes', () => {
    assert.match(text, /Collectors that failed\n {2}✖ postgres: UNREACHABLE: connect ECONNREFUSED .* \(3 attempts, 5\.2s\)/);
    assert.match(text, /Notes\n {2}• operator-version: ignored with --ignore/);
  });

  it('names each blocking check after the details, with measured vs expected and the fix', () => {
    const block = text.slice(text.lastIndexOf('\nBlocking\n'));
    assert.ok(text.lastIndexOf('\nBlocking\n') > text.indexOf('\nNotes\n'));
    assert.match(block, /✖ replica-count: actual: 1 replica · expected: ≥ 2 replicas \(Mattermost mattermost\/mm\)\n {6}fix: Raise spec\.replicas/);
    assert.match(block, /✖ backup-recency: actual: 74h old · expected: ≤ 24h old .*\n {6}fix: Take a backup now/);
    assert.match(block, /‼ database-connection: COLLECTOR_FAILED: /);
    assert.doesNotMatch(block, /pod-health|rollout-headroom/);
  });

  it('has no ANSI sequences without colour, and colours with it', () => {
    assert.doesNotMatch(text, ANSI);
    const colored = renderConsoleSummary(blockedPreflight(), { color: true });
    // eslint-disable-next-line no-control-regex
    assert.match(colored, /\u001b\[31m/);
    // eslint-disable-next-line no-control-regex
    assert.equal(colored.replace(/\u001b\[[0-9;]*m/g, ''), text, 'colour changes nothing but colour');
  });

  it('a promoting run is short and ends green', () => {
    const ok = lines(renderConsoleSummary(promotedVerify(), { color: false }));
    assert.equal(ok.at(-1), '✔ PROMOTE: 2 checks evaluated (exit 0)');
    assert.ok(!ok.includes('Details') && !ok.includes('Blocking'));
  });

  it('an interrupted run says INCOMPLETE, partial and exit 3', () => {
    const t = lines(renderConsoleSummary(buildReport({ partial: true }), { color: false }));
    assert.match(t.at(-1) ?? '', /^‼ INCOMPLETE: .* \(exit 3\)$/);
    assert.match(t.at(-2) ?? '', /PARTIAL results$/);
  });

  it('text from the cluster cannot inject escape sequences or control characters, even with colour on', () => {
    const colored = renderConsoleSummary(nastyReport(), { color: true });
    assert.ok(!colored.includes('\u001b[31mred'), 'the report\'s own ANSI is gone');
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(colored.replace(/\u001b\[[0-9;]*m/g, ''), /[\u0000-\u0008\u000b-\u001f\u007f]/);
    assert.ok(colored.includes('🚀'));
    // A multi-line message keeps its continuation lines indented under the finding.
    assert.match(renderConsoleSummary(nastyReport(), { color: false }), /\n {2}1\) message .*line1\n {5}line2\n/);
  });
});

describe('live progress', () => {
  it('prints one plain line per finished collector and check', () => {
    const out = new Capture();
    const reporter = new ConsoleReporter({ stdout: out, color: false });
    const [ok, , , retried, , failed] = preflightCollectors();
    if (!ok || !retried || !failed) assert.fail('fixture changed');
    reporter.onCollectorEnd(ok);
    reporter.onCollectorEnd(retried);
    reporter.onCollectorEnd(failed);
    const replica = preflightResults().find((r) => r.id === 'replica-count');
    if (!replica) assert.fail('fixture changed');
    reporter.onCheckEnd(replica);
    assert.deepEqual(lines(out.text), [
      '  · collected backups (410ms)',
      '  · collected plugins (1.8s, 2 attempts)',
      '  ✖ could not collect postgres: UNREACHABLE: connect ECONNREFUSED 10.96.12.7:5432: check that the database accepts connections from where mmgate runs (database.url) (5.2s, 3 attempts)',
      '  ✖ replica-count fail blocking 1ms',
    ]);
  });

  it('colours live lines only when asked', () => {
    const r = preflightResults()[0];
    if (!r) assert.fail('fixture changed');
    assert.doesNotMatch(renderCheckLine(r, { color: false }), ANSI);
    assert.match(renderCheckLine(r, { color: true }), ANSI);
    assert.match(renderCollectorLine({ key: 'x', ok: false, durationMs: 1, attempts: 1 }, { color: true }), ANSI);
  });

  it('a broken stream never breaks the run', () => {
    const broken = { write: () => { throw new Error('EPIPE'); } } as unknown as NodeJS.WritableStream;
    const reporter = new ConsoleReporter({ stdout: broken, color: true });
    const r = preflightResults()[0];
    if (!r) assert.fail('fixture changed');
    assert.doesNotThrow(() => reporter.onCheckEnd(r));
  });

  it('on a terminal, the live lines are erased before the summary so no check is listed twice', async () => {
    const out = new Capture();
    const reporter = new ConsoleReporter({ stdout: out, color: false, erase: true, columns: 60 });
    const results = preflightResults();
    for (const r of results) reporter.onCheckEnd(r);
    const [collector] = preflightCollectors();
    if (!collector) assert.fail('fixture changed');
    reporter.onCollectorEnd(collector);
    const live = out.text;
    await reporter.onRunEnd(blockedPreflight(), { dir: '/nonexistent', name: 'preflight', stdout: out, isTTY: true, color: false, env: {} });
    const rows = terminalRows(live.trimEnd(), 60);
    assert.equal(rows, results.length + 1, 'each live line fits in 60 columns');
    // Cursor up to the first live line, then clear to the end of the screen, then the summary.
    assert.equal(out.text, `${live}\u001b[${rows}F\u001b[0J${renderConsoleSummary(blockedPreflight(), { color: false })}`);
  });

  it('counts wrapped rows of long lines, and leaves plain logs alone', async () => {
    assert.equal(terminalRows('x'.repeat(121), 60), 3);
    assert.equal(terminalRows('\u001b[31mred\u001b[39m\nab', 80), 2);
    const out = new Capture();
    const reporter = new ConsoleReporter({ stdout: out, color: false, erase: false });
    const r = preflightResults()[0];
    if (!r) assert.fail('fixture changed');
    reporter.onCheckEnd(r);
    await reporter.onRunEnd(blockedPreflight(), { dir: '/nonexistent', name: 'preflight', stdout: out, isTTY: false, color: false, env: {} });
    assert.ok(!out.text.includes('\u001b['), 'no escape sequence in a plain log');
  });

  it('onRunEnd prints the summary to the context stdout and writes no file', async () => {
    const out = new Capture();
    const files = await new ConsoleReporter({ stdout: new Capture() }).onRunEnd(blockedPreflight(), { dir: '/nonexistent', name: 'preflight', stdout: out, isTTY: false, color: false, env: {} });
    assert.deepEqual(files, []);
    assert.equal(out.text, `\n${renderConsoleSummary(blockedPreflight(), { color: false })}`);
  });
});

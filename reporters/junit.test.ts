import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CheckResult, RunReport } from '../core/types.js';
import { FIXTURE_HOSTNAME, NASTY, blockedPreflight, buildReport, nastyReport, promotedVerify } from './fixtures.js';
import { JunitReporter, VERDICT_CASE, renderJunit } from './junit.js';
import { Capture, junitValidator, requireTool, run, tempDir } from './test-helpers.js';
import { escapeAttr, escapeText, xmlSafe } from './xml.js';

const render = (r: RunReport): string => renderJunit(r, { hostname: FIXTURE_HOSTNAME });

/** The testcase element of one check, as text. */
function testcase(xml: string, id: string): string {
  const m = new RegExp(`<testcase [^>]*name="${id}"[^>]*>[\\s\\S]*?</testcase>|<testcase [^>]*name="${id}"[^>]*/>`).exec(xml);
  assert.ok(m, `no testcase ${id}`);
  return m[0];
}

const attr = (xml: string, el: string, name: string): string | undefined => new RegExp(`<${el} [^>]*\\b${name}="([^"]*)"`).exec(xml)?.[1];

describe('renderJunit: mapping', () => {
  const xml = render(blockedPreflight());

  it('has one suite named after the phase command, with counts the CI tab shows', () => {
    assert.equal(attr(xml, 'testsuite', 'name'), 'mmgate.preflight');
    assert.equal(attr(xml, 'testsuite', 'tests'), '10');
    assert.equal(attr(xml, 'testsuite', 'failures'), '2');
    assert.equal(attr(xml, 'testsuite', 'errors'), '1');
    assert.equal(attr(xml, 'testsuite', 'skipped'), '2');
    assert.equal(attr(xml, 'testsuite', 'time'), '7.412');
    assert.equal(attr(xml, 'testsuite', 'timestamp'), '2026-11-20T12:00:00.000Z');
    assert.equal(attr(xml, 'testsuite', 'hostname'), FIXTURE_HOSTNAME);
    assert.equal(attr(xml, 'testsuites', 'tests'), '10');
    assert.equal(attr(xml, 'testsuites', 'skipped'), undefined, 'junit-10.xsd has no skipped on <testsuites>');
    assert.equal((xml.match(/<testcase /g) ?? []).length, 10);
    assert.match(xml, /<testcase classname="mmgate.preflight" name="node-readiness" time="0.003">/);
  });

  it('a blocking fail is a <failure> naming measured vs expected, with the findings and the fix in its body', () => {
    const tc = testcase(xml, 'replica-count');
    assert.match(tc, /<failure message="Too few Mattermost replicas to upgrade without downtime: actual: 1 replica · expected: ≥ 2 replicas \(Mattermost mattermost\/mm\)" type="fail">/);
    assert.match(tc, /fix: Raise spec.replicas/);
    assert.match(tc, /subject: Mattermost mattermost\/mm/);
    assert.match(tc, /measured: replicas=1, minReplicas=2/);
    assert.doesNotMatch(tc, /<error/);
  });

  it('a blocking error is an <error> typed with its code', () => {
    const tc = testcase(xml, 'database-connection');
    assert.equal(attr(tc, 'error', 'type'), 'COLLECTOR_FAILED');
    assert.match(attr(tc, 'error', 'message') ?? '', /ECONNREFUSED 10\.96\.12\.7:5432/);
    assert.doesNotMatch(tc, /<failure/);
  });

  it('warn, and fail or error at level warn, pass and say WARN in system-out (the gate did not block on them)', () => {
    for (const id of ['rollout-headroom', 'pod-health', 'operator-version']) {
      const tc = testcase(xml, id);
      assert.doesNotMatch(tc, /<failure|<error|<skipped/, id);
      assert.match(tc, /<system-out>WARN: /, id);
    }
    assert.match(testcase(xml, 'pod-health'), /waiver: CHG-1234 noisy batch job \(expires 2026-12-31\)/);
    assert.match(testcase(xml, 'pod-health'), /actual: 5 restarts\/h · expected: ≤ 3 restarts\/h/);
  });

  it('skipped and not-applicable are <skipped> with their reason', () => {
    assert.equal(attr(testcase(xml, 'license-expiry'), 'skipped', 'message'), 'skipped: off in the policy');
    assert.equal(attr(testcase(xml, 'blue-green-readiness'), 'skipped', 'message'), 'not applicable: no blue/green deployment is configured on Mattermost mattermost/mm');
  });

  it('a pass carries its measured values and flaky mark in system-out', () => {
    const tc = testcase(xml, 'plugin-health');
    assert.match(tc, /measured: enabled=4, running=4/);
    assert.match(tc, /flaky: passed/);
  });

  it('puts per-check properties on the suite (the XSD allows none on testcases)', () => {
    for (const [name, value] of [
      ['replica-count.level', 'error'], ['replica-count.status', 'fail'], ['replica-count.blocking', 'true'],
      ['replica-count.measured.replicas', '1'], ['plugin-health.flaky', 'true'],
      ['pod-health.waiver', 'CHG-1234 noisy batch job (expires 2026-12-31)'],
      ['verdict.promote', 'false'], ['verdict.exitCode', '1'], ['target.version', '11.7.1'],
    ]) assert.ok(xml.includes(`<property name="${name}" value="${value}"/>`), `${name}=${value}`);
    const props = /<properties>[\s\S]*<\/properties>/.exec(xml)?.[0] ?? '';
    assert.doesNotMatch(xml.replace(props, ''), /<property /, 'no property outside the suite properties');
  });

  it('ends the suite with the verdict, failed collectors and notes in system-out', () => {
    const out = /<system-out>(BLOCKED[\s\S]*?)<\/system-out>\s*<\/testsuite>/.exec(xml)?.[1] ?? '';
    assert.match(out, /^BLOCKED by 3 checks: backup-recency, database-connection, replica-count \(exit 1\)/);
    assert.match(out, /postgres: UNREACHABLE/);
    assert.match(out, /waiver "CHG-1100 backup migration" expired/);
  });

  it('a promoting run has no failure, error or verdict testcase', () => {
    const ok = render(promotedVerify());
    assert.equal(attr(ok, 'testsuite', 'name'), 'mmgate.verify');
    assert.equal(attr(ok, 'testsuite', 'failures'), '0');
    assert.equal(attr(ok, 'testsuite', 'errors'), '0');
    assert.ok(!ok.includes(VERDICT_CASE));
  });

  it('a run that blocks with no blocking check (nothing evaluated) fails a (verdict) testcase, so CI cannot show green', () => {
    const skippedOnly: CheckResult = { id: 'replica-count', phase: 'pre', title: 't', description: 'd', status: 'skipped', level: 'off', blocking: false, durationMs: 0, findings: [], reason: 'off in the policy' };
    const x = render(buildReport({ results: [skippedOnly], notes: [] }));
    const tc = testcase(x, '\\(verdict\\)');
    assert.equal(attr(tc, 'failure', 'type'), 'BLOCKED');
    assert.match(attr(tc, 'failure', 'message') ?? '', /no check was evaluated/);
    assert.equal(attr(x, 'testsuite', 'failures'), '1');
    assert.equal(attr(x, 'testsuite', 'tests'), '2');
  });

  it('an interrupted run reports the (verdict) testcase as an <error> INCOMPLETE', () => {
    const pass = blockedPreflight().results.filter((r) => r.status === 'pass');
    const x = render(buildReport({ results: pass, partial: true }));
    const tc = testcase(x, '\\(verdict\\)');
    assert.equal(attr(tc, 'error', 'type'), 'INCOMPLETE');
    assert.equal(attr(x, 'testsuite', 'errors'), '1');
  });

  it('the reporter writes <name>.junit.xml into the report dir (creating it)', async () => {
    const dir = join(await tempDir(), 'nested', 'report');
    const files = await new JunitReporter().onRunEnd(blockedPreflight(), { dir, name: 'preflight', stdout: new Capture(), isTTY: false, color: false, env: {} });
    assert.deepEqual(files, [join(dir, 'preflight.junit.xml')]);
    assert.match(await readFile(files[0] ?? '', 'utf8'), /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
  });
});

describe('XML escaping', () => {
  it('strips characters XML 1.0 forbids and ANSI sequences, keeps emoji and tab/newline', () => {
    assert.equal(xmlSafe('a\u0000b\u0001c\u0008d\u000be\u000cf\u001b[31mred\u001b[0m\u007f\u0085\ud800\uffff g\t\n\r🚀'), 'abcdefred g\t\n\r🚀');
  });
  it('escapes markup in text and quotes and whitespace in attributes', () => {
    assert.equal(escapeText('<a & b> ]]>'), '&lt;a &amp; b&gt; ]]&gt;');
    assert.equal(escapeAttr('"x" \'y\'\n\tz'), '&quot;x&quot; &apos;y&apos;&#10;&#9;z');
  });
});

describe('renderJunit: schema validation with xmllint', () => {
  const cases: [string, RunReport][] = [
    ['blocked preflight (every status)', blockedPreflight()],
    ['promoted verify', promotedVerify()],
    ['odd characters in every field', nastyReport()],
    ['nothing evaluated', buildReport({ results: [], collectors: [], notes: [] })],
    ['interrupted', buildReport({ partial: true })],
  ];
  for (const [label, report] of cases) {
    it(`${label} validates against junit-10.xsd`, async (t) => {
      const validate = junitValidator(t);
      if (!validate) return;
      const file = join(await tempDir(), 'report.junit.xml');
      await writeFile(file, render(report));
      const r = validate(file);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /validates/);
    });
  }

  it('odd characters survive the round trip: what a parser reads back is the text minus what XML cannot carry', async (t) => {
    const xmllint = requireTool(t, '/usr/bin/xmllint', 'Debian package libxml2-utils');
    if (!xmllint) return;
    const file = join(await tempDir(), 'odd.junit.xml');
    await writeFile(file, render(nastyReport()));
    const read = (xpath: string): string => {
      const r = run(xmllint, ['--xpath', xpath, file]);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.replace(/\n$/, ''); // xmllint ends string() output with a newline of its own
    };
    const expected = xmlSafe(NASTY);
    assert.equal(read('string(//testcase[@name="odd-error"]/error/@message)'), `error ${expected}`);
    assert.equal(read('string(//testcase[@name="odd-error"]/error/@type)'), `CODE ${expected}`);
    assert.equal(read('string(//property[@name="scope.installation"]/@value)'), `mm ${expected}`);
    const body = read('string(//testcase[@name="odd-fail"]/failure)');
    assert.ok(body.includes(`message ${expected}`), body);
    assert.ok(body.includes('</system-out>'), 'a closing tag inside evidence stays text');
    assert.ok(body.includes(']]>'));
    assert.ok(body.includes('🚀'));
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(body), 'no forbidden control character');
  });
});

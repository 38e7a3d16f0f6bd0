/**
 * Reporters get a report the runner already redacted. This proves the chain end to end: secrets
 * placed in every kind of string a report carries, redacted the way the runner does it
 * (Redactor + redactDeep), then rendered in every format and live line, appear nowhere.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MASK, Redactor } from '../core/secrets.js';
import type { CheckResult, RunReport } from '../core/types.js';
import { renderCheckLine, renderCollectorLine, renderConsoleSummary } from './console.js';
import { FIXTURE_HOSTNAME, buildReport, preflightResults } from './fixtures.js';
import { createReporters, writeReports } from './index.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderPrometheus } from './prometheus.js';
import { Capture, tempDir } from './test-helpers.js';

const ADMIN_TOKEN = 'xoxa9f3kq7u1mmgateadmintoken';
const SMOKE_PASSWORD = 'Sm0kePassw0rd-2026';
const DB_PASSWORD = 'pgPa55word9x';
const DSN = `postgres://mmuser:${DB_PASSWORD}@mm-db.mattermost.svc:5432/mattermost?sslmode=disable`;
const SECRETS = [ADMIN_TOKEN, SMOKE_PASSWORD, DB_PASSWORD];

/** A report whose every kind of string leaks a secret, as a careless collector or check might. */
function leakyReport(): RunReport {
  const leaky: CheckResult = {
    id: 'api-login', phase: 'pre', title: `Login failed for token ${ADMIN_TOKEN}`, description: `uses ${SMOKE_PASSWORD}`,
    status: 'fail', level: 'error', blocking: true, durationMs: 3, summary: `login with ${SMOKE_PASSWORD} answered 401`,
    findings: [{
      message: `POST /api/v4/users/login with password ${SMOKE_PASSWORD} answered 401`,
      subject: { kind: 'Secret', namespace: 'mattermost', name: `smoke-${SMOKE_PASSWORD}` },
      expected: `a session for ${ADMIN_TOKEN}`, actual: `Authorization: Bearer ${ADMIN_TOKEN}`,
      remediation: `rotate ${ADMIN_TOKEN}`,
      evidence: [`{"token":"${ADMIN_TOKEN}"}`, `dial ${DSN}`, `pq: password authentication failed (${DB_PASSWORD})`],
    }],
    // Values only: Redactor.redactDeep does not redact object keys, so a secret used as a
    // measured key would survive (reported to core; checks must not key by secret values).
    measured: { loginAttempts: 1, dsn: DSN },
  };
  const errored: CheckResult = {
    id: 'database-connection', phase: 'pre', title: 'The database could not be checked', description: 'd', status: 'error', level: 'error',
    blocking: true, durationMs: 0, findings: [], error: { code: 'COLLECTOR_FAILED', message: `cannot connect to ${DSN}` },
  };
  const waived: CheckResult = { ...(preflightResults().find((r) => r.id === 'pod-health') as CheckResult), waiver: { reason: `approved with ${ADMIN_TOKEN}`, expires: '2026-12-31' } };
  const skipped: CheckResult = { id: 'license-expiry', phase: 'pre', title: 't', description: 'd', status: 'skipped', level: 'off', blocking: false, durationMs: 0, findings: [], reason: `off: ${SMOKE_PASSWORD}` };
  return buildReport({
    results: [leaky, errored, skipped, waived],
    collectors: [{ key: 'postgres', ok: false, durationMs: 5, attempts: 3, error: { code: 'UNREACHABLE', message: `dial ${DSN}: refused` } }],
    notes: [`mattermost.admin.token ${ADMIN_TOKEN} is close to expiry`],
    scope: { namespace: 'mattermost', installation: 'mm', context: `ctx-${DB_PASSWORD}` },
    target: { image: `registry.example.com/mm:11.7.1?token=${ADMIN_TOKEN}` },
  });
}

async function everyOutput(report: RunReport): Promise<Record<string, string>> {
  const dir = await tempDir();
  const stdout = new Capture();
  const live = new Capture();
  const reporters = createReporters(['console', 'json', 'junit', 'markdown', 'prometheus', 'html'], { stdout: live, color: true });
  for (const c of report.collectors) reporters[0]?.onCollectorEnd?.(c);
  for (const r of report.results) reporters[0]?.onCheckEnd?.(r);
  const summary = join(dir, 'step-summary.md');
  const { files, failures } = await writeReports(report, reporters, { dir, name: 'preflight', stdout, isTTY: true, color: true, env: { GITHUB_STEP_SUMMARY: summary } });
  assert.deepEqual(failures, []);
  const out: Record<string, string> = {
    renderJson: renderJson(report),
    renderJunit: renderJunit(report, { hostname: FIXTURE_HOSTNAME }),
    renderMarkdown: renderMarkdown(report),
    renderConsoleSummary: renderConsoleSummary(report, { color: false }),
    renderPrometheus: await renderPrometheus(report),
    liveLines: [...report.collectors.map((c) => renderCollectorLine(c, { color: false })), ...report.results.map((r) => renderCheckLine(r, { color: false }))].join('\n'),
    liveStream: live.text,
    stdout: stdout.text,
    stepSummary: await readFile(summary, 'utf8'),
  };
  for (const f of files) out[f] = await readFile(f, 'utf8');
  assert.deepEqual(files.map((f) => f.split('.').at(-1)).sort(), ['html', 'json', 'md', 'prom', 'xml'], 'one file per format that writes one');
  return out;
}

describe('secrets in reports', () => {
  it('the leaky fixture does leak when not redacted (so the next test can fail)', async () => {
    const outputs = await everyOutput(leakyReport());
    for (const secret of SECRETS) {
      for (const name of ['renderJson', 'renderJunit', 'renderMarkdown', 'renderConsoleSummary', 'stdout', 'stepSummary']) {
        assert.ok(outputs[name]?.includes(secret), `${secret} should appear in ${name} unredacted`);
      }
    }
    assert.ok(outputs['liveStream']?.includes(DB_PASSWORD), 'the collector error line carries the DSN');
    const html = Object.keys(outputs).find((n) => n.endsWith('.html'));
    for (const secret of SECRETS) assert.ok(html && outputs[html]?.includes(secret), `${secret} should appear in the HTML report unredacted`);
  });

  it('after the runner\'s redaction, no secret appears in any format, file or line', async () => {
    const redactor = new Redactor();
    redactor.add(ADMIN_TOKEN);
    redactor.add(SMOKE_PASSWORD);
    redactor.add(DSN); // registers the DSN and, from it, the password on its own
    const outputs = await everyOutput(redactor.redactDeep(leakyReport()));
    for (const [name, text] of Object.entries(outputs)) {
      for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} leaked into ${name}`);
      assert.ok(text.includes(MASK) || name === 'renderPrometheus' || name.endsWith('.prom'), `${name} shows the mask where a secret was`);
    }
  });
});

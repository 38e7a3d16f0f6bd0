/**
 * The mapping from Playwright's JSON report to `browserJourney`, over literal reports shaped as
 * Playwright 1.65 writes them (pass, failed with skipped followers, flaky, interrupted, empty).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JSONReport, JSONReportTestResult } from '@playwright/test/reporter';
import { BROWSER_JOURNEYS } from '../../core/browser-types.js';
import { Redactor } from '../../core/secrets.js';
import { cleanError, foldCleanup, mapReport } from './report.js';

type Status = JSONReportTestResult['status'];
const result = (status: Status, retry = 0, extra: Partial<JSONReportTestResult> = {}): JSONReportTestResult => ({
  workerIndex: retry, parallelIndex: 0, status, duration: 120 + retry, errors: [], stdout: [], stderr: [], retry,
  startTime: '2026-11-20T12:00:00.000Z', attachments: [], annotations: [], error: undefined, ...extra,
});
type Annotation = { type: string; description?: string };
const spec = (title: string, status: 'expected' | 'unexpected' | 'flaky' | 'skipped', results: JSONReportTestResult[], annotations: Annotation[] = []) => ({
  title, ok: status !== 'unexpected', tags: [], id: title, file: 'mattermost.spec.ts', line: 1, column: 1,
  tests: [{ timeout: 30000, annotations, expectedStatus: status === 'skipped' ? 'skipped' as const : 'passed' as const, projectName: 'chromium', projectId: 'chromium', results, status }],
});
const report = (specs: ReturnType<typeof spec>[], errors: { message: string }[] = []): JSONReport => ({
  config: {} as JSONReport['config'],
  suites: [{ title: 'mattermost.spec.js', file: 'mattermost.spec.ts', line: 0, column: 0, specs: [], suites: [{ title: 'Mattermost web app', file: 'mattermost.spec.ts', line: 1, column: 1, specs }] }],
  errors,
  stats: { startTime: '2026-11-20T12:00:00.000Z', duration: 900, expected: 0, unexpected: 0, flaky: 0, skipped: 0 },
});

describe('mapReport', () => {
  it('maps every journey with its outcome, duration and attempts', () => {
    const m = mapReport(report(Object.values(BROWSER_JOURNEYS).map((t) => spec(t, 'expected', [result('passed')]))));
    assert.equal(m.journeys.length, 4);
    assert.deepEqual(m.journeys.map((j) => j.journey), ['login', 'navigate', 'post', 'upload']);
    assert.ok(m.journeys.every((j) => j.outcome === 'expected' && j.attempts === 1 && j.durationMs === 120 && j.error === undefined));
    assert.equal(m.interrupted, false);
  });

  it('keeps the first error without colours, code frame or call log, and the screenshot path', () => {
    const message = '\u001b[31mError: expect(locator).toBeVisible() failed\u001b[39m\n\nLocator: getByTestId(\'channel_view\')\nExpected: visible\n\nCall log:\n  - waiting for getByTestId(\'channel_view\')\n';
    const shot = { name: 'screenshot', path: '/r/results/x/failure.png', contentType: 'image/png' };
    const m = mapReport(report([
      spec(BROWSER_JOURNEYS.navigate, 'unexpected', [
        result('failed', 0, { error: { message }, errors: [{ message }], attachments: [shot, { name: 'error-context', path: '/r/results/x/error-context.md', contentType: 'text/markdown' }, { name: 'error-context', path: '/r/results/x/error-context.md', contentType: 'text/markdown' }] }),
      ]),
      spec(BROWSER_JOURNEYS.post, 'skipped', [result('skipped')]),
    ]));
    const nav = m.journeys[0]!;
    assert.equal(nav.outcome, 'unexpected');
    assert.equal(nav.error, 'Error: expect(locator).toBeVisible() failed · Locator: getByTestId(\'channel_view\') · Expected: visible');
    assert.deepEqual(nav.attachments.map((a) => a.path), [shot.path, '/r/results/x/error-context.md'], 'each file once');
    assert.equal(m.journeys[1]?.outcome, 'skipped');
    assert.equal(m.journeys[1]?.attempts, 0);
  });

  it('keeps the reason of a journey skipped as not applicable, and only with the spec\'s annotation', () => {
    const reason = 'the login page offers SSO only (saml) and no password form: the web app is opened with the session of an API password login';
    const na = [{ type: 'skip', description: reason }, { type: 'not-applicable', description: reason }];
    const m = mapReport(report([
      spec(BROWSER_JOURNEYS.login, 'skipped', [result('skipped', 0, { annotations: na })], na),
      spec(BROWSER_JOURNEYS.navigate, 'skipped', [result('skipped', 0, { annotations: [{ type: 'skip', description: 'a plain skip' }] })]),
    ]));
    assert.equal(m.journeys[0]?.notApplicable, reason);
    assert.equal(m.journeys[1]?.notApplicable, undefined, 'a skip without the annotation is not "not applicable"');
  });

  it('reports a flaky journey with the first attempt\'s error and its attempts', () => {
    const m = mapReport(report([spec(BROWSER_JOURNEYS.upload, 'flaky', [result('failed', 0, { error: { message: 'Error: upload timed out' } }), result('passed', 1)])]));
    assert.equal(m.journeys[0]?.outcome, 'flaky');
    assert.equal(m.journeys[0]?.attempts, 2);
    assert.equal(m.journeys[0]?.durationMs, 121, 'duration of the last attempt');
    assert.equal(m.journeys[0]?.error, 'Error: upload timed out');
  });

  it('flags an interrupted run', () => {
    const m = mapReport(report([spec(BROWSER_JOURNEYS.login, 'expected', [result('passed')]), spec(BROWSER_JOURNEYS.navigate, 'skipped', [result('interrupted')])]));
    assert.equal(m.interrupted, true);
  });

  it('maps an empty report to no journeys and keeps its global errors', () => {
    const m = mapReport({ ...report([]), suites: [] }, (s) => s);
    assert.equal(m.journeys.length, 0);
    const e = mapReport(report([], [{ message: 'Error: No tests found' }]));
    assert.deepEqual(e.globalErrors, ['Error: No tests found']);
  });

  it('treats an unknown outcome as a failure', () => {
    const r = report([spec(BROWSER_JOURNEYS.login, 'expected', [result('passed')])]);
    (r.suites[0]!.suites![0]!.specs[0]!.tests[0] as { status: string }).status = 'weird';
    assert.equal(mapReport(r).journeys[0]?.outcome, 'unexpected');
  });

  it('masks secrets in errors', () => {
    const red = new Redactor();
    red.add('hunter2-secret-value');
    assert.equal(cleanError('Error: typed hunter2-secret-value', (s) => red.redact(s)), 'Error: typed ***');
  });
});

describe('foldCleanup', () => {
  it('counts what every attempt deleted, and drops a leftover a later attempt deleted', () => {
    const c = foldCleanup([
      { postsDeleted: ['a'], filesDeleted: [], leftovers: [{ kind: 'post', id: 'b', error: 'delete: HTTP 500' }], errors: ['list: HTTP 500'] },
      { postsDeleted: ['b', 'c'], filesDeleted: ['f'], leftovers: [], errors: [] },
    ]);
    assert.deepEqual(c, { attempts: 2, postsDeleted: 3, filesDeleted: 1, leftovers: [], errors: ['list: HTTP 500'] });
  });

  it('keeps leftovers nobody deleted', () => {
    const c = foldCleanup([{ postsDeleted: [], filesDeleted: [], leftovers: [{ kind: 'file', id: 'f1', error: 'no session to delete it with' }], errors: [] }]);
    assert.deepEqual(c.leftovers, [{ kind: 'file', id: 'f1', error: 'no session to delete it with' }]);
    assert.equal(foldCleanup([]).attempts, 0);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BROWSER_JOURNEY_ORDER, BROWSER_JOURNEYS, type BrowserJourneyData, type BrowserJourneyResult } from '../../core/browser-types.js';
import { runCheck } from '../../core/testing.js';
import { collectError } from '../../test/fixtures/post-upgrade.js';
import check from './browser-journey.js';

const ok = (name: keyof typeof BROWSER_JOURNEYS, over: Partial<BrowserJourneyResult> = {}): BrowserJourneyResult =>
  ({ title: BROWSER_JOURNEYS[name], journey: name, outcome: 'expected', durationMs: 100 + BROWSER_JOURNEY_ORDER.indexOf(name), attempts: 1, attachments: [], ...over });

function run(over: Partial<Extract<BrowserJourneyData, { enabled: true }>> = {}, journeys = BROWSER_JOURNEY_ORDER.map((n) => ok(n))): BrowserJourneyData {
  return {
    enabled: true, url: 'https://chat.example.com', runId: 'ab12cd34', startedAt: '2026-11-20T11:59:00Z', durationMs: 4200,
    chromium: '/usr/bin/chromium', reportPath: '/r/browser/report.json', logPath: '/r/browser/playwright.log',
    stats: { expected: 4, unexpected: 0, flaky: 0, skipped: 0 },
    journeys,
    cleanup: { attempts: 1, postsDeleted: 2, filesDeleted: 1, leftovers: [], errors: [] },
    ...over,
  };
}

const shot = { name: 'screenshot', path: '/r/browser/results/login/failure.png', contentType: 'image/png' };

describe('browser-journey', () => {
  it('passes when every journey passed and the cleanup left nothing, with the measured durations', async () => {
    const r = await runCheck(check, { data: { browserJourney: run() } });
    assert.equal(r.status, 'pass');
    assert.equal(r.measured?.['loginMs'], 100);
    assert.equal(r.measured?.['uploadMs'], 103);
    assert.equal(r.measured?.['totalMs'], 4200);
    assert.equal(r.measured?.['passed'], 4);
    assert.equal(r.summary, '4 browser journeys passed in 4.2s');
  });

  it('passes with the login page journey not applicable, saying why, when the session came from a token', async () => {
    const reason = 'the smoke user has a personal access token and no password: the web app is opened with the token\'s session';
    const journeys = [ok('login', { outcome: 'skipped', attempts: 0, notApplicable: reason }), ok('navigate'), ok('post'), ok('upload')];
    const r = await runCheck(check, { data: { browserJourney: run({}, journeys) } });
    assert.equal(r.status, 'pass', r.findings.map((f) => f.message).join('\n'));
    assert.equal(r.measured?.['passed'], 3);
    assert.equal(r.measured?.['notApplicable'], 1);
    assert.equal(r.measured?.['loginMs'], undefined);
    assert.match(r.summary ?? '', /3 browser journeys passed .*"login through the login page" not applicable: the smoke user has a personal access token/);
  });

  it('fails when every journey was skipped as not applicable: nothing was judged', async () => {
    const journeys = BROWSER_JOURNEY_ORDER.map((n) => ok(n, { outcome: 'skipped', attempts: 0, notApplicable: 'custom reason' }));
    const r = await runCheck(check, { data: { browserJourney: run({}, journeys) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /no browser journey passed/);
    assert.equal(r.findings[0]?.actual, BROWSER_JOURNEY_ORDER.map((n) => `"${BROWSER_JOURNEYS[n]}" not applicable: custom reason`).join('; '));
  });

  it('a journey skipped without a not-applicable reason was not looked at: error NOT_TRIED, not a pass', async () => {
    const journeys = [ok('login', { outcome: 'skipped', attempts: 0 }), ok('navigate'), ok('post'), ok('upload')];
    const r = await runCheck(check, { data: { browserJourney: run({}, journeys) } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NOT_TRIED');
    assert.match(r.findings[0]?.message ?? '', /journey "login through the login page" did not run/);
    assert.match(r.summary ?? '', /^1 of 4 browser journeys did not pass$/);
  });

  it('every journey failing is reported journey by journey, not as "not applicable"', async () => {
    const journeys = BROWSER_JOURNEY_ORDER.map((n) => ok(n, { outcome: 'unexpected', error: `${n} broke` }));
    const r = await runCheck(check, { data: { browserJourney: run({}, journeys) } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings.map((f) => f.actual), BROWSER_JOURNEY_ORDER.map((n) => `${n} broke`));
  });

  it('every journey skipped without a reason is NOT_TRIED, not "not applicable"', async () => {
    const journeys = BROWSER_JOURNEY_ORDER.map((n) => ok(n, { outcome: 'skipped', attempts: 0 }));
    const r = await runCheck(check, { data: { browserJourney: run({}, journeys) } });
    assert.equal(r.status, 'error');
    assert.equal(r.error?.code, 'NOT_TRIED');
    assert.equal(r.findings.length, BROWSER_JOURNEY_ORDER.length);
    for (const f of r.findings) assert.match(f.message, /did not run$/);
  });

  it('fails naming the failed journey, its error and its screenshot, and the journeys it kept from running', async () => {
    const error = 'Error: the login page refused the smoke user mmgate-smoke: "The email/username or password is invalid."';
    const journeys = [
      ok('login', { outcome: 'unexpected', attempts: 2, error, attachments: [shot] }),
      ok('navigate', { outcome: 'skipped', attempts: 0 }), ok('post', { outcome: 'skipped', attempts: 0 }), ok('upload', { outcome: 'skipped', attempts: 0 }),
    ];
    const r = await runCheck(check, { data: { browserJourney: run({}, journeys) } });
    assert.equal(r.status, 'fail');
    const login = r.findings[0];
    assert.match(login?.message ?? '', /journey "login through the login page" failed: .*The email\/username or password is invalid/);
    assert.match(login?.message ?? '', /screenshot: \/r\/browser\/results\/login\/failure\.png/);
    assert.deepEqual(login?.evidence, [`screenshot: ${shot.path}`]);
    assert.ok(login?.remediation);
    const skipped = r.findings.slice(1).map((f) => f.message);
    assert.equal(skipped.length, 3);
    for (const m of skipped) assert.match(m, /did not run: "login through the login page" failed before it/);
    assert.equal(r.error?.code, 'NOT_TRIED', 'the journeys it kept from running are named as not looked at');
    assert.equal(r.measured?.['passed'], 0);
    assert.equal(r.measured?.['loginMs'], undefined, 'no duration for a journey that failed');
  });

  it('gives only screenshots as evidence, not the other files Playwright attached', async () => {
    const trace = { name: 'trace', path: '/r/browser/results/post/trace.zip', contentType: 'application/zip' };
    const context = { name: 'error-context', path: '/r/browser/results/post/error-context.md', contentType: 'text/markdown' };
    const journeys = BROWSER_JOURNEY_ORDER.map((n) => (n === 'post' ? ok(n, { outcome: 'unexpected', error: 'Error: timeout', attachments: [trace, shot, context] }) : ok(n)));
    const r = await runCheck(check, { data: { browserJourney: run({}, journeys) } });
    assert.equal(r.findings[0]?.message, `journey "post a message and see it rendered" failed: Error: timeout (screenshot: ${shot.path})`);
    assert.deepEqual(r.findings[0]?.evidence, [`screenshot: ${shot.path}`]);
  });

  it('a journey that failed without an error text says so, and the summary counts what did not pass', async () => {
    const journeys = BROWSER_JOURNEY_ORDER.map((n) => (n === 'upload' ? ok(n, { outcome: 'unexpected' }) : ok(n)));
    const r = await runCheck(check, { data: { browserJourney: run({}, journeys) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings[0]?.message, 'journey "upload a file and see it attached" failed: no error recorded');
    assert.equal(r.findings[0]?.actual, 'failed');
    assert.equal(r.findings[0]?.evidence, undefined);
    assert.equal(r.summary, '1 of 4 browser journeys did not pass, first "upload a file and see it attached"');
  });

  it('judges a site\'s own journeys beside the built-in ones', async () => {
    const own = (outcome: BrowserJourneyResult['outcome'], title: string): BrowserJourneyResult => ({ title, outcome, durationMs: 50, attempts: 1, attachments: [], ...(outcome === 'unexpected' ? { error: 'Error: the helpdesk channel did not load' } : {}) });
    const journeys = [...BROWSER_JOURNEY_ORDER.map((n) => ok(n)), own('expected', 'open the team directory'), own('unexpected', 'open the helpdesk channel')];
    const r = await runCheck(check, { data: { browserJourney: run({}, journeys) } });
    assert.equal(r.status, 'fail');
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]?.message, 'journey "open the helpdesk channel" failed: Error: the helpdesk channel did not load');
    assert.equal(r.findings[0]?.remediation, 'see the screenshot and Playwright\'s report');
    assert.equal(r.measured?.['passed'], 5);
    assert.equal(r.summary, '1 of 6 browser journeys did not pass, first "open the helpdesk channel"');
  });

  it('warns, without failing, on a journey that passed only on retry', async () => {
    const journeys = BROWSER_JOURNEY_ORDER.map((n) => (n === 'post' ? ok(n, { outcome: 'flaky', attempts: 2, error: 'Error: expect(locator).toBeVisible() failed', attachments: [shot] }) : ok(n)));
    const r = await runCheck(check, { data: { browserJourney: run({}, journeys) } });
    assert.equal(r.status, 'warn');
    assert.equal(r.findings.length, 1);
    assert.match(r.findings[0]?.message ?? '', /"post a message and see it rendered" passed only on retry \(2 attempts\).*toBeVisible/);
    assert.equal(r.measured?.['flaky'], 1);
    assert.deepEqual(r.findings[0]?.evidence, [`screenshot: ${shot.path}`]);
    assert.equal(r.measured?.['passed'], 4, 'a journey that passed on retry passed');
    assert.equal(r.measured?.['postMs'], 102);
    assert.equal(r.summary, '4 browser journeys passed, 1 only on retry in 4.2s');
  });

  it('fails on a smoke post the cleanup left behind, naming it', async () => {
    const id = 'p'.repeat(26);
    const r = await runCheck(check, { data: { browserJourney: run({ cleanup: { attempts: 1, postsDeleted: 1, filesDeleted: 0, leftovers: [{ kind: 'post', id, error: 'delete: HTTP 403' }], errors: [] } }) } });
    assert.equal(r.status, 'fail');
    assert.deepEqual(r.findings[0]?.subject, { kind: 'Post', namespace: 'mattermost', name: id });
    assert.match(r.findings[0]?.message ?? '', /left behind/);
    assert.equal(r.measured?.['leftovers'], 1);
    assert.match(r.findings[0]?.remediation ?? '', new RegExp(`DELETE /api/v4/posts/${id}\\)`));
  });

  it('fails on a smoke file the cleanup left behind, as a File still present', async () => {
    const id = 'f'.repeat(26);
    const r = await runCheck(check, { data: { browserJourney: run({ cleanup: { attempts: 1, postsDeleted: 1, filesDeleted: 0, leftovers: [{ kind: 'file', id }], errors: [] } }) } });
    assert.equal(r.status, 'fail');
    const f = r.findings[0];
    assert.deepEqual(f?.subject, { kind: 'File', namespace: 'mattermost', name: id });
    assert.equal(f?.actual, 'still present');
    assert.match(f?.remediation ?? '', /DELETE \/api\/v4\/posts\/<the post it is attached to>/);
  });

  it('warns when the cleanup could not look everything up', async () => {
    const r = await runCheck(check, { data: { browserJourney: run({ cleanup: { attempts: 1, postsDeleted: 2, filesDeleted: 1, leftovers: [], errors: ['list the channel\'s posts: HTTP 500'] } }) } });
    assert.equal(r.status, 'warn');
    assert.match(r.findings[0]?.message ?? '', /cleanup hit 1 error\(s\): list the channel's posts: HTTP 500/);
  });

  it('names at most three of the cleanup\'s errors', async () => {
    const errors = ['e1: HTTP 500', 'e2: HTTP 502', 'e3: HTTP 503', 'e4: HTTP 504'];
    const r = await runCheck(check, { data: { browserJourney: run({ cleanup: { attempts: 1, postsDeleted: 2, filesDeleted: 1, leftovers: [], errors } }) } });
    assert.equal(r.findings[0]?.message, 'the journeys\' cleanup hit 4 error(s): e1: HTTP 500; e2: HTTP 502; e3: HTTP 503');
  });

  it('fails closed when the cleanup never reported', async () => {
    const r = await runCheck(check, { data: { browserJourney: run({ cleanup: { attempts: 0, postsDeleted: 0, filesDeleted: 0, leftovers: [], errors: [] } }) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /cleanup did not report/);
  });

  it('fails closed when a journey is missing from the report', async () => {
    const r = await runCheck(check, { data: { browserJourney: run({}, [ok('login'), ok('navigate'), ok('post')]) } });
    assert.equal(r.status, 'fail');
    assert.match(r.findings[0]?.message ?? '', /"upload a file and see it attached" is missing/);
  });

  it('is not applicable, with the reason, when browser journeys are off', async () => {
    const r = await runCheck(check, { data: { browserJourney: { enabled: false } } });
    assert.equal(r.status, 'not-applicable');
    assert.match(r.reason ?? '', /mattermost\.browser\.enabled/);
  });

  it('errors when the browser journeys could not run', async () => {
    const r = await runCheck(check, { data: { browserJourney: collectError('browserJourney', 'Chromium not found at /opt/chrome (mattermost.browser.executablePath)') } });
    assert.equal(r.status, 'error');
    assert.match(r.error?.message ?? '', /mattermost\.browser\.executablePath/);
  });
});

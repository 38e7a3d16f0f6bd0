/**
 * The browser journeys end to end: the real collector runs Playwright (a subprocess) with Debian's
 * Chromium against the lab's front door, whose web app has the real one's element ids. Needs
 * /usr/bin/chromium: without it the journeys are skipped with a message, or fail under CI.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { BrowserJourneyData } from '../../core/browser-types.js';
import { CollectFailure } from '../../core/collector.js';
import { skipUnless } from '../../test/tools.js';
import { runCheck } from '../../core/testing.js';
import browserJourneyCheck from '../../checks/post/browser-journey.js';
import { startLab, type Lab } from '../../lab/index.js';
import { testEnv } from '../../test/collect-env.js';
import { browserJourneyCollector, DEFAULT_CHROMIUM } from './browser.js';

const tmp = mkdtempSync(join(tmpdir(), 'mmgate-browser-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

type Credentials = { password: string } | { token: string } | { password: string; token: string };

function envFor(lab: Lab, name: string, browser: { retries?: number } = {}, signal?: AbortSignal, credentials: Credentials = { password: lab.secrets.smokePassword }) {
  return testEnv({
    config: {
      mattermost: {
        url: lab.mattermostUrl,
        smoke: { username: 'mmgate-smoke', ...credentials, team: 'ops', channel: 'upgrade-smoke' },
        browser: { enabled: true, timeout: '20s', ...browser },
      },
      reports: { dir: join(tmp, name) },
    },
    ...(signal ? { signal } : {}),
  });
}

type Enabled = Extract<BrowserJourneyData, { enabled: true }>;
const enabled = (d: BrowserJourneyData): Enabled => {
  assert.equal(d.enabled, true);
  return d as Enabled;
};

/** Every file under dir, to prove the smoke password was written to none of them. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** A scenario of the test's own: `upgraded` with the given web app variant. */
function variantScenario(name: string, webapp: Record<string, unknown>): string {
  const dir = join(tmp, `scenario-${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'scenario.yaml'), `description: ${name}\nextends: upgraded\nmattermost:\n  behaviour:\n    webapp: ${JSON.stringify(webapp)}\n`);
  return dir;
}

function assertNoSecret(dir: string, data: unknown, secret: string): void {
  assert.ok(!JSON.stringify(data).includes(secret), 'the smoke password is in the snapshot data');
  const files = filesUnder(dir);
  assert.ok(files.length > 0, 'the run kept its files');
  for (const f of files) assert.ok(!readFileSync(f).includes(secret), `the smoke password is in ${f}`);
}

describe('browser journeys without a browser run', () => {
  it('are off unless mattermost.browser.enabled', async () => {
    const env = testEnv({ config: { mattermost: { smoke: { username: 'u', password: 'p-secret', team: 't' } } } });
    assert.deepEqual(await browserJourneyCollector.collect(env), { enabled: false });
  });

  it('fail closed, naming mattermost.browser.executablePath, when Chromium is not there', async () => {
    const env = testEnv({ config: {
      mattermost: { url: 'http://127.0.0.1:9', smoke: { username: 'u', password: 'p-secret', team: 't' }, browser: { enabled: true, executablePath: join(tmp, 'no-such-chromium') } },
      reports: { dir: join(tmp, 'missing') },
    } });
    await assert.rejects(browserJourneyCollector.collect(env), (err: unknown) => {
      assert.ok(err instanceof CollectFailure);
      assert.equal(err.code, 'NOT_CONFIGURED');
      assert.match(err.message, /Chromium not found at .*no-such-chromium \(mattermost\.browser\.executablePath\)/);
      return true;
    });
  });

});

describe('browser journeys against the lab', { skip: skipUnless(DEFAULT_CHROMIUM, 'Debian package chromium', 'the browser journeys against the lab') }, () => {
  it('log in, open the smoke channel, post and upload, and leave nothing behind', async () => {
    const lab = await startLab('upgraded', join(tmp, 'lab-upgraded'));
    try {
      const data = enabled(await browserJourneyCollector.collect(envFor(lab, 'upgraded')));
      assert.deepEqual(data.journeys.map((j) => [j.journey, j.outcome]), [['login', 'expected'], ['navigate', 'expected'], ['post', 'expected'], ['upload', 'expected']]);
      assert.deepEqual(data.stats, { expected: 4, unexpected: 0, flaky: 0, skipped: 0 });
      assert.equal(data.chromium, DEFAULT_CHROMIUM);
      assert.equal(data.cleanup.attempts, 1);
      assert.equal(data.cleanup.postsDeleted, 2, 'the message and the post holding the upload');
      assert.equal(data.cleanup.filesDeleted, 1);
      assert.deepEqual(data.cleanup.leftovers, []);
      assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 });
      assert.equal(data.reportPath, join(tmp, 'upgraded', 'browser', data.runId, 'report.json'), 'each run has a directory of its own');
      assert.ok(existsSync(data.reportPath));
      assertNoSecret(join(tmp, 'upgraded'), data, lab.secrets.smokePassword);
      const r = await runCheck(browserJourneyCheck, { data: { browserJourney: data } });
      assert.equal(r.status, 'pass', r.findings.map((f) => f.message).join('\n'));
      assert.equal(typeof r.measured?.['uploadMs'], 'number');
    } finally {
      await lab.close();
    }
  });

  it('fail the login journey with the login page\'s banner when logins are refused, and leave nothing behind', async () => {
    const lab = await startLab('browser-login-refused', join(tmp, 'lab-refused'));
    try {
      const data = enabled(await browserJourneyCollector.collect(envFor(lab, 'refused', { retries: 1 })));
      const [login, ...rest] = data.journeys;
      assert.equal(login?.journey, 'login');
      assert.equal(login?.outcome, 'unexpected');
      assert.equal(login?.attempts, 2, 'retried once');
      assert.match(login?.error ?? '', /The email\/username or password is invalid\./);
      const shot = login?.attachments.find((a) => a.name === 'screenshot');
      assert.ok(shot && existsSync(shot.path), 'a screenshot of the failure is kept');
      assert.deepEqual(rest.map((j) => j.outcome), ['skipped', 'skipped', 'skipped']);
      assert.equal(data.cleanup.attempts, 2, 'the cleanup ran after each attempt');
      assert.deepEqual(data.cleanup.leftovers, []);
      assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 });
      assertNoSecret(join(tmp, 'refused'), data, lab.secrets.smokePassword);
      const r = await runCheck(browserJourneyCheck, { data: { browserJourney: data } });
      assert.equal(r.status, 'fail');
      assert.match(r.findings[0]?.message ?? '', /journey "login through the login page" failed: .*The email\/username or password is invalid\..*screenshot: /);
    } finally {
      await lab.close();
    }
  });

  it('open the web app with the token\'s session cookie when the smoke user has no password: the login page journey is not applicable', async () => {
    const lab = await startLab(variantScenario('sso-token', { login: 'sso-only' }), join(tmp, 'lab-sso-token'));
    try {
      const data = enabled(await browserJourneyCollector.collect(envFor(lab, 'sso-token', { retries: 0 }, undefined, { token: lab.secrets.smokeToken })));
      assert.deepEqual(data.journeys.map((j) => [j.journey, j.outcome]), [['login', 'skipped'], ['navigate', 'expected'], ['post', 'expected'], ['upload', 'expected']]);
      assert.match(data.journeys[0]?.notApplicable ?? '', /personal access token and no password: the web app is opened with the token's session \(MMAUTHTOKEN, MMUSERID and MMCSRF cookies\)/);
      assert.equal(data.cleanup.postsDeleted, 2);
      assert.deepEqual(data.cleanup.leftovers, []);
      assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 });
      assertNoSecret(join(tmp, 'sso-token'), data, lab.secrets.smokeToken);
      const r = await runCheck(browserJourneyCheck, { data: { browserJourney: data } });
      assert.equal(r.status, 'pass', r.findings.map((f) => f.message).join('\n'));
      assert.match(r.summary ?? '', /3 browser journeys passed .*"login through the login page" not applicable/);
    } finally {
      await lab.close();
    }
  });

  it('log in through the API when the login page offers SSO only and the smoke user has a password', async () => {
    const lab = await startLab(variantScenario('sso-password', { login: 'sso-only' }), join(tmp, 'lab-sso-password'));
    try {
      const data = enabled(await browserJourneyCollector.collect(envFor(lab, 'sso-password', { retries: 0 })));
      assert.deepEqual(data.journeys.map((j) => j.outcome), ['skipped', 'expected', 'expected', 'expected']);
      assert.match(data.journeys[0]?.notApplicable ?? '', /the login page offers SSO only \(saml, openid\) and no password form: .*an API password login/);
      assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 });
      assertNoSecret(join(tmp, 'sso-password'), data, lab.secrets.smokePassword);
    } finally {
      await lab.close();
    }
  });

  it('pass on an older web app whose messages carry no post-message-text test id', async () => {
    const lab = await startLab(variantScenario('older', { postMessageTestId: false }), join(tmp, 'lab-older'));
    try {
      const data = enabled(await browserJourneyCollector.collect(envFor(lab, 'older', { retries: 0 })));
      assert.deepEqual(data.stats, { expected: 4, unexpected: 0, flaky: 0, skipped: 0 });
    } finally {
      await lab.close();
    }
  });

  it('fail the upload journey when its preview never appears, and still delete the upload', async () => {
    const lab = await startLab('webapp-upload-broken', join(tmp, 'lab-upload-broken'));
    try {
      const data = enabled(await browserJourneyCollector.collect(envFor(lab, 'upload-broken', { retries: 0 })));
      assert.deepEqual(data.journeys.map((j) => j.outcome), ['expected', 'expected', 'expected', 'unexpected']);
      assert.match(data.journeys[3]?.error ?? '', /the upload preview/);
      assert.equal(data.cleanup.filesDeleted, 1, 'the upload no post took is attached to a cleanup post and deleted');
      assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 });
      const r = await runCheck(browserJourneyCheck, { data: { browserJourney: data } });
      assert.equal(r.status, 'fail');
      assert.match(r.findings[0]?.message ?? '', /journey "upload a file and see it attached" failed: .*the upload preview/);
    } finally {
      await lab.close();
    }
  });

  it('stop on an interrupt, fail closed, and still clean up', async () => {
    const lab = await startLab('upgraded', join(tmp, 'lab-interrupted'));
    const ac = new AbortController();
    try {
      const run = browserJourneyCollector.collect(envFor(lab, 'interrupted', { retries: 0 }, ac.signal));
      let settled = false;
      run.then(() => { settled = true; }, () => { settled = true; });
      // Interrupt once the journeys have written something, so the cleanup has work to do.
      while (!settled && lab.world.smokeLeftovers().posts === 0) await new Promise((r) => setTimeout(r, 10));
      ac.abort(new Error('test interrupt'));
      await assert.rejects(run, (err: unknown) => {
        assert.ok(err instanceof CollectFailure);
        assert.equal(err.code, 'INTERRUPTED');
        return true;
      });
      assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 });
    } finally {
      await lab.close();
    }
  });
});

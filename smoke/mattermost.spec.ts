/**
 * Browser smoke journeys: the smoke user logs in through Mattermost's web app (or, without a
 * password form, opens it with the session of a token or an API login), opens the smoke channel by
 * its URL, posts a uniquely marked message and sees it rendered, uploads a generated file and sees
 * it attached. Every element is found through smoke/selectors.ts — the real web app's ids,
 * classes and test ids, each with the source file it comes from (docs/browser-selectors.md) — so
 * the same specs run against a real server, whatever its version or the smoke user's locale, and
 * against the lab.
 *
 * The journeys share one browser session and run in order (serial mode): when one fails, the
 * ones after it are skipped, and a retry reruns them all in a fresh context. A journey that does
 * not apply (the login page, when there is no password form to use) is skipped with a
 * `not-applicable` annotation giving the reason. Everything written is deleted in afterAll
 * through the API with the session cookie — also when a journey failed — and what the cleanup did
 * is written beside the results for the collector to judge.
 *
 * Secrets: the password is typed with fill(), whose step is not in the JSON report (only
 * test.step steps are); the collector also redacts the report and the log it keeps.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { BROWSER_JOURNEYS, BROWSER_MARKER_PREFIX, NOT_APPLICABLE_ANNOTATION } from '../core/browser-types.js';
import { LANDING_PAGES, sel } from './selectors.js';
import { apiLogin, cleanUp, Created, hasSession, openTokenSession, smokeInputs } from './support.js';

const input = smokeInputs();
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What the login page answered to a submit: it left the page, showed its error banner, or neither in time. */
async function afterSubmit(page: Page, next: Promise<unknown>): Promise<'next' | 'refused' | 'timeout'> {
  const banner = page.locator(sel('loginError')).first();
  const refused = banner.waitFor({ state: 'visible' }).then(() => 'refused' as const);
  const first = await Promise.race([next.then(() => 'next' as const), refused]).catch(() => 'timeout' as const);
  if (first === 'refused') {
    const text = (await banner.innerText().catch(() => '')).trim();
    throw new Error(`the login page refused the smoke user ${input.user}: "${text}"`);
  }
  return first;
}

/** Marks the running journey as not applicable, with the reason, and ends it. */
function notApplicable(reason: string): void {
  test.info().annotations.push({ type: NOT_APPLICABLE_ANNOTATION, description: reason });
  test.skip(true, reason);
}

/** Types a message, sends it with the button as a user does, and returns the post the server saved. */
async function sendPost(page: Page, text: string): Promise<{ id: string; file_ids?: string[] }> {
  await page.locator(sel('textbox')).fill(text);
  const saved = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/api/v4/posts'));
  await page.locator(sel('sendButton')).click();
  const res = await saved;
  expect(res.status(), 'POST /api/v4/posts status').toBe(201);
  return (await res.json()) as { id: string; file_ids?: string[] };
}

test.describe.configure({ mode: 'serial' });

test.describe('Mattermost web app', () => {
  let context: BrowserContext;
  let page: Page;
  let created: Created;
  /** Unique per attempt; starts with the run's prefix so one sweep finds every attempt's posts. */
  let marker: string;

  test.beforeAll(async ({ browser }) => {
    // A fresh context per attempt: no cookies or storage from anything before.
    context = await browser.newContext({ baseURL: input.baseUrl });
    created = new Created();
    created.watch(context);
    page = await context.newPage();
    marker = `${BROWSER_MARKER_PREFIX} ${input.runId} ${new Date().toISOString()} ${randomBytes(4).toString('hex')}`;
  });

  test.afterEach(async () => {
    const testInfo = test.info();
    if (testInfo.status === testInfo.expectedStatus || !page || page.isClosed()) return;
    const path = testInfo.outputPath('failure.png');
    try {
      await page.screenshot({ path, fullPage: true, timeout: 5_000 });
      testInfo.attachments.push({ name: 'screenshot', path, contentType: 'image/png' });
    } catch {
      // A page that cannot be captured (crashed renderer) must not hide the journey's own error.
    }
  });

  test.afterAll(async () => {
    if (!context) return;
    const testInfo = test.info();
    const rec = await cleanUp(context, input, created, marker, Math.min(testInfo.timeout || 15_000, 15_000));
    writeFileSync(join(testInfo.project.outputDir, `cleanup-${randomBytes(6).toString('hex')}.json`), `${JSON.stringify(rec, null, 2)}\n`);
    await context.close();
    if (rec.leftovers.length) {
      throw new Error(`cleanup left ${rec.leftovers.length} smoke object(s) behind: ${rec.leftovers.map((l) => `${l.kind} ${l.id} (${l.error ?? 'unknown'})`).join(', ')}`);
    }
  });

  test(BROWSER_JOURNEYS.login, async () => {
    const timeoutMs = test.info().timeout || 15_000;
    if (!input.password) {
      await openTokenSession(context, input, timeoutMs);
      notApplicable('the smoke user has a personal access token and no password: the web app is opened with the token\'s session (MMAUTHTOKEN, MMUSERID and MMCSRF cookies), not through the login page');
      return;
    }
    await page.goto('/login');
    const loginId = page.locator(sel('loginId'));
    await page.locator(`${sel('loginId')}, ${sel('ssoButton')}`).first().waitFor({ state: 'visible' }).catch(() => {
      throw new Error('the login page shows neither a login form nor SSO buttons (no sign-in method enabled, or the web app did not load)');
    });
    if (!(await loginId.isVisible())) {
      const methods = (await page.locator(sel('ssoButton')).evaluateAll((els) => els.map((e) => e.id).filter(Boolean))).join(', ');
      if (input.token) await openTokenSession(context, input, timeoutMs);
      else await apiLogin(context, input, timeoutMs);
      notApplicable(`the login page offers SSO only (${methods || 'external sign-in'}) and no password form: the web app is opened with the session of ${input.token ? 'the smoke user\'s personal access token' : 'an API password login'}`);
      return;
    }
    await loginId.fill(input.user);
    const password = page.locator(sel('password'));
    const submit = page.locator(sel('submit')).first();
    if (!(await password.isVisible())) {
      // Two-step form (EnableGuestMagicLink, 11.x): the id first; the password field appears after it.
      await submit.click();
      if (await afterSubmit(page, password.waitFor({ state: 'visible' })) === 'timeout') {
        throw new Error(`the two-step login page showed no password field for ${input.user} after its login id: the smoke user must sign in with a password (a magic-link user gets an email), or give it a token (mattermost.smoke.token)`);
      }
    }
    await password.fill(input.password);
    await submit.click();
    await afterSubmit(page, page.waitForURL((u) => !/^\/login(?:\/|$)/.test(u.pathname)));
    await expect(page, 'still on the login page after submitting it').not.toHaveURL(/\/login(?:[/?#]|$)/);
    expect(await hasSession(context, input), 'the server set the session cookie (MMAUTHTOKEN)').toBe(true);
    const landed = new URL(page.url()).pathname;
    expect(LANDING_PAGES.some((p) => p.test(landed)), `a logged-in user lands on a known page (a channel, a DM, the team, /select_team or /preparing-workspace), not ${landed}`).toBe(true);
  });

  test(BROWSER_JOURNEYS.navigate, async () => {
    await page.goto(`/${encodeURIComponent(input.team)}/channels/${encodeURIComponent(input.channel)}`);
    await expect(page).toHaveURL(new RegExp(`/${escapeRe(input.team)}/channels/${escapeRe(input.channel)}(?:/|\\?|#|$)`));
    await expect(page.locator(sel('channelView')).first(), 'the center channel view').toBeVisible();
    await expect(page.locator(sel('textbox')), 'the message box').toBeVisible();
  });

  test(BROWSER_JOURNEYS.post, async () => {
    const text = `${marker} post`;
    const post = await sendPost(page, text);
    const view = page.locator(sel('post', post.id));
    await expect(view, 'the saved post rendered in the channel').toBeVisible();
    await expect(view.locator(sel('postText', post.id)), 'its message text').toHaveText(text);
  });

  test(BROWSER_JOURNEYS.upload, async () => {
    // Short enough that the preview shows the whole name (long ones are cut with an ellipsis).
    const name = `mmgate-${input.runId}-${randomBytes(3).toString('hex')}.txt`;
    const body = Buffer.from(`${marker}\n${randomBytes(2048).toString('base64')}\n`);
    const create = page.locator(sel('postCreate')).first();
    const uploaded = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/api/v4/files'));
    await create.locator(sel('fileInput')).setInputFiles({ name, mimeType: 'text/plain', buffer: body });
    const up = await uploaded;
    expect(up.status(), 'POST /api/v4/files status').toBe(201);
    const fileId = ((await up.json()) as { file_infos: { id: string }[] }).file_infos[0]?.id;
    expect(fileId, 'the upload answer names the file').toBeTruthy();
    await expect(page.locator(sel('filePreview')).getByText(name), 'the upload preview').toBeVisible();

    const text = `${marker} file`;
    const post = await sendPost(page, text);
    expect(post.file_ids ?? [], 'the post carries the upload').toContain(fileId);
    const view = page.locator(sel('post', post.id));
    await expect(view.locator(sel('postText', post.id)), 'the post rendered in the channel').toHaveText(text);
    await expect(view.getByText(name), 'the attachment shown in the post').toBeVisible();
  });
});

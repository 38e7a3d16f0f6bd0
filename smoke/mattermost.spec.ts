/**
 * Browser smoke journeys: the smoke user logs in through Mattermost's web app, opens the smoke
 * channel, posts a uniquely marked message and sees it rendered, uploads a generated file and sees
 * it attached. Selectors are the real web app's (mattermost/mattermost e2e-tests/playwright page
 * objects; mattermost-facts §6), so the same specs run against a real server and the lab.
 *
 * The journeys share one browser session and run in order (serial mode): when one fails, the
 * ones after it are skipped, and a retry reruns them all in a fresh context. Everything written is
 * deleted in afterAll through the API with the session cookie — also when a journey failed — and
 * what the cleanup did is written beside the results for the collector to judge.
 *
 * Secrets: the password is typed with fill(), whose step is not in the JSON report (only
 * test.step steps are); the collector also redacts the report and the log it keeps.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { BROWSER_JOURNEYS, BROWSER_MARKER_PREFIX } from '../core/browser-types.js';
import { cleanUp, Created, smokeInputs } from './support.js';

const input = smokeInputs();
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Types a message, sends it with the button as a user does, and returns the post the server saved. */
async function sendPost(page: Page, text: string): Promise<{ id: string; file_ids?: string[] }> {
  await page.getByTestId('post_textbox').fill(text);
  const saved = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/api/v4/posts'));
  await page.getByTestId('SendMessageButton').click();
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
    await page.goto('/login');
    await page.locator('#input_loginId').fill(input.user);
    await page.locator('#input_password-input').fill(input.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    // Either the app leaves the login page, or it shows its error banner: do not wait out a timeout for the latter.
    const banner = page.locator('.AlertBanner.danger');
    const leftLogin = page.waitForURL((u) => !/^\/login(?:\/|$)/.test(u.pathname)).then(() => 'navigated' as const);
    const refused = banner.waitFor({ state: 'visible' }).then(() => 'refused' as const);
    const first = await Promise.race([leftLogin, refused]).catch(() => 'timeout' as const);
    if (first === 'refused') {
      const text = (await banner.innerText().catch(() => '')).trim();
      throw new Error(`the login page refused the smoke user ${input.user}: "${text}"`);
    }
    await expect(page, 'still on the login page after "Log in"').not.toHaveURL(/\/login(?:[/?#]|$)/);
    await expect(page, 'a logged-in user lands in a team\'s channel').toHaveURL(/\/[^/]+\/channels\/[^/?#]+/);
  });

  test(BROWSER_JOURNEYS.navigate, async () => {
    await page.goto(`/${encodeURIComponent(input.team)}/channels/${encodeURIComponent(input.channel)}`);
    await expect(page).toHaveURL(new RegExp(`/${escapeRe(input.team)}/channels/${escapeRe(input.channel)}(?:/|\\?|#|$)`));
    await expect(page.getByTestId('channel_view'), 'the center channel view').toBeVisible();
    await expect(page.getByTestId('post_textbox'), 'the message box').toBeVisible();
  });

  test(BROWSER_JOURNEYS.post, async () => {
    const text = `${marker} post`;
    const post = await sendPost(page, text);
    const view = page.getByTestId('postView').filter({ has: page.getByTestId('post-message-text').getByText(text, { exact: true }) });
    await expect(view, 'the post rendered in the channel').toBeVisible();
    await expect(view, 'the rendered post is the saved one').toHaveAttribute('id', `post_${post.id}`);
  });

  test(BROWSER_JOURNEYS.upload, async () => {
    const name = `mmgate-browser-${input.runId}-${randomBytes(3).toString('hex')}.txt`;
    const body = Buffer.from(`${marker}\n${randomBytes(2048).toString('base64')}\n`);
    const create = page.getByTestId('post-create');
    const uploaded = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/api/v4/files'));
    await create.locator('input[type="file"]').setInputFiles({ name, mimeType: 'text/plain', buffer: body });
    const up = await uploaded;
    expect(up.status(), 'POST /api/v4/files status').toBe(201);
    const fileId = ((await up.json()) as { file_infos: { id: string }[] }).file_infos[0]?.id;
    expect(fileId, 'the upload answer names the file').toBeTruthy();
    await expect(page.getByTestId('file-preview-container').getByText(name), 'the upload preview').toBeVisible();

    const text = `${marker} file`;
    const post = await sendPost(page, text);
    expect(post.file_ids ?? [], 'the post carries the upload').toContain(fileId);
    const view = page.locator(`[id="post_${post.id}"]`);
    await expect(view.getByTestId('post-message-text'), 'the post rendered in the channel').toHaveText(text);
    await expect(view.getByText(name), 'the attachment shown in the post').toBeVisible();
  });
});

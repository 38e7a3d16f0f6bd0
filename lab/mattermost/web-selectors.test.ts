/**
 * The lab's web app cannot drift from the real one: Chromium drives every variant of its pages
 * (login in one or two steps, SSO only, German, landing on /select_team, an older web app, a broken
 * upload preview), and every id, class and test id the pages render must come from the one list
 * smoke/selectors.ts — whose entries each name the real web app's source file — and together they
 * must render every entry of it. The specs may use no other selector, and no test id the real app
 * lacks (`file-preview-container`). Needs /usr/bin/chromium (skipped with a message without it,
 * failed under CI).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from '@playwright/test';
import { WEBAPP, sel, type WebAppElement } from '../../smoke/selectors.js';
import { USER, sampleSpec } from './fixture.js';
import { startFrontDoor } from './front-door.js';
import type { WebAppVariant } from './spec.js';
import { MattermostWorld } from './world.js';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TEAM = 'ad-1';
const CHANNEL = 'smoke';

interface Seen { ids: Set<string>; classes: Set<string>; testIds: Set<string> }

async function collect(page: Page, into: Seen): Promise<void> {
  const found = await page.evaluate(() => {
    const out = { ids: [] as string[], classes: [] as string[], testIds: [] as string[] };
    for (const el of Array.from(document.querySelectorAll('*'))) {
      if (el.id) out.ids.push(el.id);
      out.classes.push(...Array.from(el.classList));
      const t = el.getAttribute('data-testid');
      if (t) out.testIds.push(t);
    }
    return out;
  });
  found.ids.forEach((x) => into.ids.add(x));
  found.classes.forEach((x) => into.classes.add(x));
  found.testIds.forEach((x) => into.testIds.add(x));
}

/** Logs in, posts and uploads through one variant of the lab's web app, recording what every page state renders. */
async function walk(browser: Browser, webapp: WebAppVariant, seen: Seen): Promise<void> {
  const world = new MattermostWorld(sampleSpec({ behaviour: { webapp } }));
  const door = await startFrontDoor(world);
  const context = await browser.newContext({ baseURL: door.url });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/login');
    await page.locator(`${sel('loginId')}, ${sel('ssoButton')}`).first().waitFor();
    await collect(page, seen);
    if (webapp.login === 'sso-only') {
      assert.equal(await page.locator(sel('loginId')).count(), 0, 'SSO only: no password form');
      assert.deepEqual(await page.locator(sel('ssoButton')).evaluateAll((els) => els.map((e) => e.id)), ['saml', 'openid']);
      const res = await context.request.post('/api/v4/users/login', { headers: { 'X-Requested-With': 'XMLHttpRequest' }, data: { login_id: USER.username, password: USER.password } });
      assert.equal(res.status(), 200);
    } else {
      await page.locator(sel('loginId')).fill(USER.username);
      if (webapp.login === 'two-step') {
        assert.equal(await page.locator(sel('password')).count(), 0, 'two-step: no password field before the first submit');
        await page.locator(sel('submit')).first().click();
      }
      await page.locator(sel('password')).fill('wrong password');
      await page.locator(sel('submit')).first().click();
      await page.locator(sel('loginError')).first().waitFor();
      await collect(page, seen);
      await page.locator(sel('password')).fill(USER.password);
      await page.locator(sel('submit')).first().click();
      await page.waitForURL((u) => u.pathname !== '/login');
      assert.equal(new URL(page.url()).pathname, webapp.landing === 'select_team' ? '/select_team' : `/${TEAM}/channels/town-square`);
      await collect(page, seen);
    }
    await page.goto(`/${TEAM}/channels/${CHANNEL}`);
    await page.locator(sel('textbox')).fill('hello');
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v4/posts'));
    await page.locator(sel('sendButton')).click();
    const id = ((await (await saved).json()) as { id: string }).id;
    await page.locator(sel('post', id)).waitFor();
    assert.equal(await page.locator(sel('postText', id)).innerText(), 'hello');
    assert.equal(await page.locator(`[data-testid="post-message-text"]`).count(), webapp.postMessageTestId === false ? 0 : 1);
    const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/v4/files'));
    await page.locator(sel('fileInput')).setInputFiles({ name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('a') });
    assert.equal((await uploaded).status(), 201);
    if (webapp.uploadPreview === false) {
      // The page's script clears the file input once it has handled the upload.
      await page.waitForFunction((q) => (document.querySelector(q) as HTMLInputElement | null)?.value === '', sel('fileInput'));
      assert.equal(await page.locator(sel('filePreview')).count(), 0, 'the broken web app shows no preview');
    } else {
      await page.locator(sel('filePreview')).getByText('a.txt').waitFor();
    }
    await collect(page, seen);
    await page.reload();
    await collect(page, seen);
  } finally {
    await context.close();
    await door.close();
  }
}

/** Whether the list holds an element with this attribute value. */
const listed = {
  id: (v: string) => Object.values(WEBAPP).some((e: WebAppElement) => e.id !== undefined && (e.idPrefix ? v.startsWith(e.id) : v === e.id)),
  class: (v: string) => Object.values(WEBAPP).some((e: WebAppElement) => e.classes?.includes(v)),
  testId: (v: string) => Object.values(WEBAPP).some((e: WebAppElement) => e.testId === v),
};

const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env['CI']) {
  it('renders the lab web app in Chromium', () => assert.fail(`${CHROMIUM} is missing: CI must install Chromium to check the lab's web app`));
}

describe('the lab web app renders exactly the selectors of smoke/selectors.ts', { skip: haveChromium ? false : `${CHROMIUM} is missing: install Chromium to check the lab's web app` }, () => {
  let browser: Browser;
  const seen: Seen = { ids: new Set(), classes: new Set(), testIds: new Set() };
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
  });
  after(async () => { await browser?.close(); });

  const variants: [string, WebAppVariant][] = [
    ['the default (password login, English, recent web app)', {}],
    ['the two-step login (EnableGuestMagicLink)', { login: 'two-step' }],
    ['SSO only', { login: 'sso-only' }],
    ['German, landing on /select_team', { locale: 'de', landing: 'select_team' }],
    ['an older web app without post-message-text, and an upload without preview', { postMessageTestId: false, uploadPreview: false }],
  ];
  for (const [name, webapp] of variants) {
    it(`walks ${name}, rendering only listed ids, classes and test ids`, async () => {
      const mine: Seen = { ids: new Set(), classes: new Set(), testIds: new Set() };
      await walk(browser, webapp, mine);
      assert.deepEqual([...mine.ids].filter((v) => !listed.id(v)), [], 'ids the list does not hold');
      assert.deepEqual([...mine.classes].filter((v) => !listed.class(v)), [], 'classes the list does not hold');
      assert.deepEqual([...mine.testIds].filter((v) => !listed.testId(v)), [], 'test ids the list does not hold');
      for (const k of ['ids', 'classes', 'testIds'] as const) mine[k].forEach((v) => seen[k].add(v));
    });
  }

  it('renders every entry of the list in some variant', () => {
    const missing: string[] = [];
    for (const [name, e] of Object.entries(WEBAPP) as [string, WebAppElement][]) {
      if (e.id !== undefined && ![...seen.ids].some((v) => (e.idPrefix ? v.startsWith(e.id!) : v === e.id))) missing.push(`${name} #${e.id}`);
      for (const c of e.classes ?? []) if (!seen.classes.has(c)) missing.push(`${name} .${c}`);
      if (e.testId !== undefined && !seen.testIds.has(e.testId)) missing.push(`${name} [data-testid=${e.testId}]`);
    }
    assert.deepEqual(missing, []);
  });
});

describe('the journeys use the list only', () => {
  const sources = (dir: string) => readdirSync(join(ROOT, dir)).filter((n) => n.endsWith('.ts')).map((n) => [`${dir}/${n}`, readFileSync(join(ROOT, dir, n), 'utf8')] as const);

  it('no spec or lab page uses the test id file-preview-container, which the real web app lacks', () => {
    for (const [path, text] of [...sources('smoke'), ['lab/mattermost/web.ts', readFileSync(join(ROOT, 'lab/mattermost/web.ts'), 'utf8')] as const]) {
      assert.doesNotMatch(text, /(?:TestId\(\s*|data-testid=\\?|testId:\s*)['"`]file-preview-container/, path);
    }
    assert.ok(!Object.values(WEBAPP).some((e: WebAppElement) => e.testId === 'file-preview-container'));
  });

  it('the specs find elements through sel() only: no literal selector, no test id or accessible name lookup', () => {
    for (const [path, text] of sources('smoke').filter(([p]) => p.endsWith('.spec.ts'))) {
      assert.doesNotMatch(text, /getBy(TestId|Role|Label|Placeholder|Title|AltText)\(/, `${path} looks elements up by test id or by a (localised) name`);
      assert.doesNotMatch(text, /\.locator\(\s*['"]/, `${path} has a literal selector`);
      assert.ok((text.match(/\.locator\(/g) ?? []).length > 5, `${path} finds its elements with locator(sel(...))`);
    }
  });

  it('every entry names a source file of the real web app, and docs/browser-selectors.md lists it with that file', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'browser-selectors.md'), 'utf8');
    for (const [name, e] of Object.entries(WEBAPP) as [string, WebAppElement][]) {
      assert.match(e.source, /^webapp\/channels\/src\/components\/\S+\.tsx/, name);
      assert.ok(doc.includes(`| ${name} | \`${sel(name as keyof typeof WEBAPP)}\` | ${e.source.replace(/\|/g, '\\|')} |`), `docs/browser-selectors.md: the row of ${name} is missing or differs from smoke/selectors.ts`);
    }
  });
});

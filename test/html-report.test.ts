/**
 * The HTML report of a blocked verify, opened the way a person opens a CI artefact: a file:// URL
 * in Chromium. The verdict and every blocking check are visible, the page loads nothing from the
 * network, axe-core finds no serious or critical accessibility violation, and no secret is in it.
 * The screenshot is kept in test-results/ as the test's artefact.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { DEFAULT_CHROMIUM } from '../collectors/smoke/browser.js';
import { CHROMIUM_ARGS } from '../core/browser-types.js';
import { startLab, type Lab } from '../lab/index.js';
import { mmgate } from './run-cli.js';

const ARTEFACTS = fileURLToPath(new URL('../../test-results/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mmgate-html-'));
after(() => rmSync(work, { recursive: true, force: true }));

describe('the HTML report of a blocked verify', () => {
  let lab: Lab;
  let browser: Browser;
  let html = '';
  const reports = join(work, 'reports');
  before(async () => {
    lab = await startLab('browser-login-refused', join(work, 'lab'));
    const r = await mmgate(['verify', '-c', lab.paths.config, '--report-dir', reports, '--format', 'json,html', '--history', join(work, 'history')], { cwd: work });
    assert.equal(r.code, 1, r.stderr);
    html = readFileSync(join(reports, 'verify.html'), 'utf8');
    browser = await chromium.launch({ executablePath: DEFAULT_CHROMIUM, args: [...CHROMIUM_ARGS] });
  });
  after(async () => {
    await browser?.close();
    await lab?.close();
  });

  it('shows the verdict first and every blocking check with its fix, from a file:// URL without network', async () => {
    const report = JSON.parse(readFileSync(join(reports, 'verify.json'), 'utf8')) as { verdict: { headline: string; blocking: string[] } };
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (req) => { if (!req.url().startsWith('file:') && !req.url().startsWith('data:')) requests.push(req.url()); });
    await page.goto(pathToFileURL(join(reports, 'verify.html')).href);
    const h1 = page.getByRole('heading', { level: 1 });
    assert.equal((await h1.textContent())?.trim(), `✖ ${report.verdict.headline}`);
    const blocking = page.locator('section[aria-labelledby="h-blocking"] article h3');
    const shown = await blocking.allTextContents();
    assert.deepEqual(shown.map((t) => /\s(\S+):/.exec(t)?.[1]).sort(), [...report.verdict.blocking].sort());
    for (const h of await blocking.all()) assert.ok(await h.isVisible());
    assert.ok(await page.getByText('Fix', { exact: true }).first().isVisible());
    // The browser journey's failure screenshot is embedded, not linked.
    assert.ok(await page.locator('figure img[src^="data:image/png;base64,"]').count() >= 1);
    assert.deepEqual(requests, []);
    mkdirSync(ARTEFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTEFACTS, 'html-report-blocked.png'), fullPage: true });
    await page.close();
  });

  it('has no serious or critical accessibility violation (axe-core)', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(reports, 'verify.html')).href);
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core') });
    const violations = await page.evaluate(async () => {
      const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> } }).axe;
      return (await axe.run()).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    // The same check sees a violation where there is one (an image without alt text).
    await page.setContent('<!doctype html><html lang="en"><head><title>x</title></head><body><main><img src="data:image/png;base64,iVBORw0KGgo="></main></body></html>');
    await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core') });
    const control = await page.evaluate(async () => (await (globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string }[] }> } }).axe.run()).violations.map((v) => v.id));
    await page.close();
    assert.ok(control.includes('image-alt'), `axe-core ran: ${control.join(',')}`);
    assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), []);
  });

  it('keeps no secret and runs no script', () => {
    for (const secret of Object.values(lab.secrets)) assert.ok(!html.includes(secret), 'a lab secret is in the HTML report');
    assert.doesNotMatch(html, /<script|https?:\/\/(?!127\.0\.0\.1|www\.w3\.org\/2000\/svg)/);
  });

  it('shows the recent runs kept with --history, and mmgate history prints the trend', async () => {
    assert.match(html, /<h2 id="h-history">Recent runs<\/h2>/);
    assert.match(html, /<td class="bad">blocked<\/td>/);
    const r = await mmgate(['history', '--history', join(work, 'history')], { cwd: work });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^mattermost\/mm@mmgate-lab {2}✖ {2}\(newest first, 1 runs\)$/m);
    assert.match(r.stdout, /blocks most: .*browser-journey \(1\)/);
    const bad = await mmgate(['history', '--history', join(work, 'history'), '--last', '0'], { cwd: work });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--last 0: not a positive whole number/);
  });
});

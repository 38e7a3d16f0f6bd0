/**
 * Playwright config of mmgate's browser smoke journeys (smoke/*.spec.ts).
 *
 * One file, two ways to run it:
 * - `mmgate verify` (collectors/smoke/browser.ts) runs the compiled copy,
 *   `node node_modules/@playwright/test/cli.js test -c dist/playwright.config.js`, so an installed
 *   mmgate needs no TypeScript at run time; `testDir` is relative to the config file, so there it
 *   is `dist/smoke` and the specs are the compiled `*.spec.js`.
 * - By hand from the repository, `npx playwright test` picks up this `.ts` file and Playwright
 *   transpiles the `smoke/*.spec.ts` sources itself (it maps the `.js` of NodeNext imports to `.ts`).
 * `testMatch` accepts both and nothing else: not the `.d.ts` declarations, nor the Node tests.
 *
 * Inputs come from the environment (core/browser-types.ts BROWSER_ENV): MMGATE_BASE_URL,
 * MMGATE_SMOKE_USER, MMGATE_SMOKE_PASSWORD and/or MMGATE_SMOKE_TOKEN, MMGATE_SMOKE_TEAM, MMGATE_SMOKE_CHANNEL, and optionally
 * MMGATE_RUN_ID, MMGATE_CHROMIUM, MMGATE_REPORT_DIR, MMGATE_BROWSER_TIMEOUT_MS, MMGATE_BROWSER_RETRIES.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import { BROWSER_ENV, CHROMIUM_ARGS } from './core/browser-types.js';

const env = process.env;
const reportDir = resolve(env[BROWSER_ENV.reportDir] || join('mmgate-report', 'browser'));
const int = (v: string | undefined, fallback: number): number => (v && /^\d+$/.test(v) ? Number(v) : fallback);
const timeout = int(env[BROWSER_ENV.timeoutMs], 30_000);
// Playwright cannot download browsers everywhere mmgate runs: Debian's Chromium is the default when present.
const executablePath = env[BROWSER_ENV.chromium] || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
// The page snapshot Playwright adds to a failure's error-context.md would include the login form's
// fields; a gate's report directory must never hold the smoke password.
env['PLAYWRIGHT_NO_COPY_PROMPT'] ??= '1';

export default defineConfig({
  testDir: 'smoke',
  testMatch: /\.spec\.[cm]?[jt]s$/,
  outputDir: join(reportDir, 'results'),
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: int(env[BROWSER_ENV.retries], 1),
  timeout,
  expect: { timeout: Math.min(10_000, timeout) },
  reporter: [['list'], ['json', { outputFile: join(reportDir, 'report.json') }]],
  use: {
    headless: true,
    actionTimeout: Math.min(15_000, timeout),
    navigationTimeout: Math.min(20_000, timeout),
    // No traces or videos: they would record what is typed, the password included. Screenshots on
    // failure are taken by the specs themselves (they drive their own context).
    trace: 'off',
    video: 'off',
    screenshot: 'off',
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [...CHROMIUM_ARGS],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
});

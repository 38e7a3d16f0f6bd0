/**
 * The browser smoke journeys (smoke/*.spec.ts): Playwright runs as a subprocess —
 * `node <@playwright/test>/cli.js test -c dist/playwright.config.js` with the package root as its
 * working directory — against the front door (the base URL is a parameter: MMGATE_BASE_URL), as
 * the smoke user (mattermost.smoke: a password for the login page, or a token whose session cookie
 * opens the web app), with Chromium (mattermost.browser.executablePath, default /usr/bin/chromium).
 * The inputs go in the
 * child's environment only (the password never on a command line or in a log); its JSON report
 * is mapped to `browserJourney`. Fail closed: a Chromium that is not there, a run that crashes,
 * is interrupted or reports no journey is a CollectFailure, never an empty pass.
 *
 * Files (kept for a human, under <reports.dir>/browser/<runId>/, the newest runs only):
 * report.json (Playwright's JSON report), playwright.log (its list output), results/ (screenshots
 * of failures, cleanup records). Each is redacted with the run's secrets after the run.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import type { JSONReport } from '@playwright/test/reporter';
import { BROWSER_ENV, type BrowserJourneyData } from '../../core/browser-types.js';
import type { Collector, CollectEnv } from '../../core/collector.js';
import { CollectFailure } from '../../core/collector.js';
import { parseDuration } from '../../core/duration.js';
import { errorMessage } from '../../core/errors.js';
import { frontDoorUrl } from '../mattermost/http.js';
import { foldCleanup, mapReport, type CleanupRecordFile } from './report.js';

declare module '../../core/types.js' {
  interface SnapshotData {
    /** The browser journeys through the web app (login, smoke channel, post, upload), or `{ enabled: false }`. */
    browserJourney: BrowserJourneyData;
  }
}

/** Debian's Chromium: Playwright cannot download its own browser on every machine mmgate runs on. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
/** How long Playwright gets to run its afterAll cleanup after an interrupt before it is killed. */
const STOP_GRACE_MS = 15_000;
/** Run directories kept under <reports.dir>/browser/ (named by run id). */
const KEEP_RUNS = 10;
const RUN_DIR = /^[0-9a-f]{8}$/;
/** The tail of Playwright's output kept in memory for error messages. */
const LOG_LIMIT = 1024 * 1024;

/** dist/playwright.config.js, beside the compiled collectors; the package root is its parent. */
const CONFIG_FILE = fileURLToPath(new URL('../../playwright.config.js', import.meta.url));
const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function resolveChromium(configured: string | undefined): Promise<string> {
  if (configured) {
    if (existsSync(configured)) return configured;
    throw new CollectFailure('NOT_CONFIGURED', `Chromium not found at ${configured} (mattermost.browser.executablePath): install Chromium there, or point mattermost.browser.executablePath at a Chromium or Chrome binary`);
  }
  if (existsSync(DEFAULT_CHROMIUM)) return DEFAULT_CHROMIUM;
  let bundled: string | undefined;
  try {
    bundled = (await import('@playwright/test')).chromium.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled && existsSync(bundled)) return bundled;
  throw new CollectFailure('NOT_CONFIGURED', `no Chromium for the browser journeys: neither ${DEFAULT_CHROMIUM} nor Playwright's own download exists; install Chromium (Debian: apt-get install chromium) or set mattermost.browser.executablePath`);
}

/** Text attachments and the kept files may echo what was typed: mask the run's secrets in place. */
/** The environment variables a Playwright child keeps: system basics, never the parent's secrets. */
const CHILD_ENV = /^(PATH|HOME|USER|LOGNAME|SHELL|TMPDIR|TMP|TEMP|LANG|LC_[A-Z]+|TZ|XDG_[A-Z_]+|DISPLAY|NODE_EXTRA_CA_CERTS|SSL_CERT_(FILE|DIR)|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy|CI)$/;

/** Redacts every text file under a directory (report, cleanup records, text attachments). */
async function redactTree(dir: string, redact: (s: string) => string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => [])) {
    if (entry.isFile() && /\.(json|txt|log|md|html?)$/i.test(entry.name)) await redactFile(join(entry.parentPath ?? dir, entry.name), redact);
  }
}

async function redactFile(path: string, redact: (s: string) => string): Promise<void> {
  try {
    const raw = await readFile(path, 'utf8');
    const clean = redact(raw);
    if (clean !== raw) await writeFile(path, clean);
  } catch {
    // A file that is not there is not a leak.
  }
}

/** Keeps the KEEP_RUNS newest run directories (screenshots of recent failures) and removes older ones. */
async function pruneRuns(runsDir: string, current: string): Promise<void> {
  try {
    const runs = (await readdir(runsDir, { withFileTypes: true })).filter((d) => d.isDirectory() && RUN_DIR.test(d.name) && d.name !== current);
    const dated = await Promise.all(runs.map(async (d) => ({ path: join(runsDir, d.name), mtime: (await stat(join(runsDir, d.name))).mtimeMs })));
    dated.sort((a, b) => b.mtime - a.mtime);
    await Promise.all(dated.slice(KEEP_RUNS - 1).map((d) => rm(d.path, { recursive: true, force: true })));
  } catch {
    // Pruning is housekeeping: it never fails a run.
  }
}

export async function runBrowserJourneys(env: CollectEnv): Promise<BrowserJourneyData> {
  const browser = env.config.mattermost?.browser;
  if (!browser?.enabled) return { enabled: false };
  const smoke = env.config.mattermost?.smoke;
  if (!smoke) throw new CollectFailure('NOT_CONFIGURED', 'the browser journeys need a smoke user: set mattermost.smoke (username, password, team, channel), or mattermost.browser.enabled: false');
  env.redactor.add(smoke.password);
  env.redactor.add(smoke.token);
  const redact = (s: string): string => env.redactor.redact(s);
  const chromium = await resolveChromium(browser.executablePath);
  const url = await frontDoorUrl(env);

  const runId = randomBytes(4).toString('hex');
  // A directory of its own per run: nothing of an earlier run can be read as this run's, and two
  // gates sharing a report directory do not clean up each other's files.
  const runsDir = resolve(env.config.reports.dir, 'browser');
  const dir = join(runsDir, runId);
  const reportPath = join(dir, 'report.json');
  const logPath = join(dir, 'playwright.log');
  const resultsDir = join(dir, 'results');
  await mkdir(dir, { recursive: true });
  await pruneRuns(runsDir, runId);
  // Only what a browser run needs: the parent's environment may hold tokens and DSNs (and a
  // user's own PLAYWRIGHT_* settings, which must not redirect the report this collector reads).
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (CHILD_ENV.test(k)) childEnv[k] = v;
  Object.assign(childEnv, {
    [BROWSER_ENV.baseUrl]: url,
    [BROWSER_ENV.user]: smoke.username,
    // With a password the journeys use the login page; with a token only, they open the web app
    // with its session cookie (the login page journey is then not applicable).
    ...(smoke.password ? { [BROWSER_ENV.password]: smoke.password } : {}),
    ...(smoke.token ? { [BROWSER_ENV.token]: smoke.token } : {}),
    [BROWSER_ENV.team]: smoke.team,
    [BROWSER_ENV.channel]: smoke.channel,
    [BROWSER_ENV.runId]: runId,
    [BROWSER_ENV.chromium]: chromium,
    [BROWSER_ENV.reportDir]: dir,
    [BROWSER_ENV.timeoutMs]: String(parseDuration(browser.timeout)),
    [BROWSER_ENV.retries]: String(browser.retries),
    PLAYWRIGHT_NO_COPY_PROMPT: '1',
    FORCE_COLOR: '0',
  });

  const cli = createRequire(import.meta.url).resolve('@playwright/test/cli');
  const startedAt = env.now();
  const t0 = performance.now();
  let log = '';
  const keep = (chunk: Buffer): void => {
    log += chunk.toString('utf8');
    if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT);
  };
  if (env.signal.aborted) throw new CollectFailure('INTERRUPTED', 'the run was interrupted before the browser journeys started');
  // Its own process group, so an interrupt reaches Playwright's workers and Chromium too.
  const child = spawn(process.execPath, [cli, 'test', '-c', CONFIG_FILE], { cwd: PACKAGE_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const running = (): boolean => child.pid !== undefined && child.exitCode === null && child.signalCode === null;
  let killTimer: NodeJS.Timeout | undefined;
  // SIGINT to the runner alone: Playwright stops the running journey and still runs afterAll (the
  // cleanup) with the browser alive. If it does not end in time, the whole group is killed.
  const onAbort = (): void => {
    if (!running()) return;
    try { process.kill(child.pid!, 'SIGINT'); } catch { /* already gone */ }
    killTimer = setTimeout(() => { if (running()) try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ } }, STOP_GRACE_MS);
  };
  env.signal.addEventListener('abort', onAbort, { once: true });
  let code: number | null;
  let signal: NodeJS.Signals | null;
  try {
    [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done, fail) => {
      child.once('error', (err) => fail(new CollectFailure('FAILED', `cannot start Playwright (${cli}): ${errorMessage(err)}`)));
      child.once('close', (c: number | null, s: NodeJS.Signals | null) => done([c, s]));
    });
  } finally {
    env.signal.removeEventListener('abort', onAbort);
    clearTimeout(killTimer);
  }
  const durationMs = Math.round(performance.now() - t0);
  await writeFile(logPath, redact(log));
  // Everything Playwright wrote is redacted before anything else happens, whatever happens next.
  await redactTree(dir, redact);
  const tail = (): string => redact(stripVTControlCharacters(log).trim().split('\n').slice(-8).join(' | ')).slice(-1200);

  if (env.signal.aborted) throw new CollectFailure('INTERRUPTED', `the browser journeys were stopped (deadline or interrupt) after ${Math.round(durationMs / 1000)}s; raise mattermost.browser.timeout if they need longer (log: ${logPath})`);
  if (!existsSync(reportPath)) {
    throw new CollectFailure('FAILED', `Playwright ended (${signal ?? `exit ${code}`}) without writing its JSON report ${reportPath}: ${tail() || 'no output'}`);
  }
  let report: JSONReport;
  try {
    report = JSON.parse(await readFile(reportPath, 'utf8')) as JSONReport;
  } catch (err) {
    throw new CollectFailure('BAD_RESPONSE', `Playwright's JSON report ${reportPath} cannot be read: ${errorMessage(err)}`);
  }
  const mapped = mapReport(report, redact);
  if (mapped.interrupted || code === 130 || signal) {
    throw new CollectFailure('INTERRUPTED', `the browser journeys were interrupted (${signal ?? `exit ${code}`}): results are incomplete (report: ${reportPath})`);
  }
  if (mapped.journeys.length === 0) {
    throw new CollectFailure('EMPTY_REPORT', `Playwright ran no journey (exit ${code}): ${mapped.globalErrors.join(' | ') || tail() || 'no output'} (report: ${reportPath})`);
  }
  if (code !== 0 && code !== 1) {
    throw new CollectFailure('CRASHED', `Playwright exited with code ${code}: ${mapped.globalErrors.join(' | ') || tail()} (log: ${logPath})`);
  }
  if (mapped.globalErrors.length > 0) {
    // An error outside every test (a worker that died, a hook of the whole file) makes every result suspect.
    throw new CollectFailure('CRASHED', `Playwright reported an error outside the journeys: ${mapped.globalErrors.join(' | ')} (report: ${reportPath})`);
  }

  const records: CleanupRecordFile[] = [];
  const names = await readdir(resultsDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => /^cleanup-.*\.json$/.test(n)).sort()) {
    try {
      records.push(JSON.parse(await readFile(join(resultsDir, name), 'utf8')) as CleanupRecordFile);
    } catch (err) {
      records.push({ errors: [`cleanup record ${name} cannot be read: ${errorMessage(err)}`] });
    }
  }

  const data: BrowserJourneyData = {
    enabled: true, url, runId, startedAt: startedAt.toISOString(), durationMs, chromium,
    reportPath, logPath, stats: mapped.stats, journeys: mapped.journeys, cleanup: foldCleanup(records, redact),
  };
  return env.redactor.redactDeep(data);
}

export const browserJourneyCollector: Collector<'browserJourney'> = {
  key: 'browserJourney',
  source: 'Chromium driven by Playwright at the front door: the smoke user logs in, opens the smoke channel, posts and uploads',
  // Never retried here: Playwright retries the journeys itself (mattermost.browser.retries) and reports flakiness.
  retries: 0,
  // Four journeys, each up to browser.timeout per attempt, plus browser start and cleanup:
  // the default collector budget (60s) would cut a slow but healthy run short.
  budgetMs: (config) => {
    const b = config.mattermost?.browser;
    if (!b?.enabled) return parseDuration(config.timeouts.collector);
    return Math.max(parseDuration(config.timeouts.collector), 4 * parseDuration(b.timeout) * (b.retries + 1) + 60_000);
  },
  collect: runBrowserJourneys,
};

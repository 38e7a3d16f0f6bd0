/**
 * The browser journeys (smoke/*.spec.ts, run by Playwright as a subprocess) and what their
 * collector (collectors/smoke/browser.ts) stores in the snapshot under `browserJourney`. Shared by
 * the specs, the collector and the browser-journey check, so a journey renamed in one place is
 * renamed everywhere. Plain JSON: a saved snapshot replays exactly what the browser saw.
 */

/**
 * The journeys in the order they run. They share one browser session (serial mode): when one
 * fails, Playwright skips the ones after it.
 */
export const BROWSER_JOURNEYS = {
  login: 'login through the login page',
  navigate: 'open the smoke channel',
  post: 'post a message and see it rendered',
  upload: 'upload a file and see it attached',
} as const;
export type BrowserJourneyName = keyof typeof BROWSER_JOURNEYS;
export const BROWSER_JOURNEY_ORDER: readonly BrowserJourneyName[] = ['login', 'navigate', 'post', 'upload'];

/** Every post a journey writes starts with `mmgate-browser <runId> `: cleanup deletes exactly those. */
export const BROWSER_MARKER_PREFIX = 'mmgate-browser';

/** The annotation a spec adds to a journey it skips because it does not apply (with the reason). */
export const NOT_APPLICABLE_ANNOTATION = 'not-applicable';

/** The environment the collector gives Playwright (and a user running `npx playwright test` by hand). */
export const BROWSER_ENV = {
  baseUrl: 'MMGATE_BASE_URL',
  user: 'MMGATE_SMOKE_USER',
  password: 'MMGATE_SMOKE_PASSWORD',
  /** A personal access token: the journeys then open the web app with its session cookie. */
  token: 'MMGATE_SMOKE_TOKEN',
  team: 'MMGATE_SMOKE_TEAM',
  channel: 'MMGATE_SMOKE_CHANNEL',
  runId: 'MMGATE_RUN_ID',
  chromium: 'MMGATE_CHROMIUM',
  reportDir: 'MMGATE_REPORT_DIR',
  timeoutMs: 'MMGATE_BROWSER_TIMEOUT_MS',
  retries: 'MMGATE_BROWSER_RETRIES',
} as const;

/** Playwright's outcome of one test (JSONReportTest.status). */
export type JourneyOutcome = 'expected' | 'unexpected' | 'flaky' | 'skipped';

/** One journey as Playwright reported it. Error texts are redacted and stripped of terminal colours. */
export interface BrowserJourneyResult {
  /** The test title (one of BROWSER_JOURNEYS' values for the built-in specs). */
  readonly title: string;
  /** Which journey of BROWSER_JOURNEYS it is, when it is one. */
  readonly journey?: BrowserJourneyName;
  readonly outcome: JourneyOutcome;
  /**
   * Why a skipped journey does not apply (the spec's `not-applicable` annotation): e.g. the login
   * page journey when the session comes from a token or the page offers SSO only. A skip without
   * it is a journey that did not run.
   */
  readonly notApplicable?: string;
  /** Duration of the last attempt, in milliseconds. */
  readonly durationMs: number;
  /** Attempts made (1 + retries used). */
  readonly attempts: number;
  /** The first error of the first failed attempt (the reason it did not pass, or was retried). */
  readonly error?: string;
  /** Files Playwright attached (screenshots on failure, error context), absolute paths. */
  readonly attachments: readonly { readonly name: string; readonly path: string; readonly contentType: string }[];
}

/** What the journeys' cleanup (afterAll, through the API with the browser's session cookie) did. */
export interface BrowserCleanup {
  /** Cleanup records found (one per attempt of the journeys). 0 means cleanup never reported. */
  readonly attempts: number;
  /** Posts carrying this run's marker that were deleted (their attachments go with them). */
  readonly postsDeleted: number;
  /** Uploaded files that were deleted (with their post, or attached to a cleanup post first). */
  readonly filesDeleted: number;
  /** What could not be deleted, or still carried the marker afterwards. */
  readonly leftovers: readonly { readonly kind: 'post' | 'file'; readonly id: string; readonly error?: string }[];
  /** Cleanup steps that failed (lookups, deletes), redacted. */
  readonly errors: readonly string[];
}

export type BrowserJourneyData =
  | { readonly enabled: false }
  | {
    readonly enabled: true;
    readonly url: string;
    readonly runId: string;
    readonly startedAt: string;
    /** Wall time of the Playwright run, milliseconds. */
    readonly durationMs: number;
    readonly chromium: string;
    /** Playwright's JSON report and its log, for a human to open. */
    readonly reportPath: string;
    readonly logPath: string;
    readonly stats: { readonly expected: number; readonly unexpected: number; readonly flaky: number; readonly skipped: number };
    readonly journeys: readonly BrowserJourneyResult[];
    readonly cleanup: BrowserCleanup;
  };

/**
 * How mmgate starts Chromium: headless as root in CI needs no sandbox, and with no network beyond
 * the server under test its background fetches only fail, so they are turned off.
 */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] as const;

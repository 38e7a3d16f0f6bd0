/**
 * Prevents promoting an upgrade the API is happy with but users are not: a web app that no longer
 * logs in (a broken login page, an SSO redirect loop, a bundle that fails to load), a channel view
 * that does not render, a message box that does not send, an upload that never attaches. A real
 * browser (Chromium via Playwright) runs the smoke user's journeys through the web app at the
 * front door; every journey must pass (the login page journey may not apply: a token's session, or
 * a login page with SSO only, opens the web app without it), and everything it wrote must be
 * cleaned up.
 */
import { defineCheck } from '../../core/check.js';
import { BROWSER_JOURNEY_ORDER, BROWSER_JOURNEYS, type BrowserJourneyName, type BrowserJourneyResult } from '../../core/browser-types.js';
import { installationRef } from '../../core/mattermost.js';
import { outcomeOf, type NotLooked } from '../../core/outcome.js';
import type { Finding } from '../../core/types.js';

const REMEDIATION: Record<BrowserJourneyName, string> = {
  login: 'open the front door\'s /login in a browser as the smoke user; check the server log for the login request, the authentication settings (email/username sign-in, SSO, MFA) and that the web app bundle loads',
  navigate: 'open the smoke channel URL in a browser: check the smoke user is a member of the team and channel, and the browser console and server log for errors loading the channel',
  post: 'post in the smoke channel by hand: check the server log for POST /api/v4/posts, the smoke user\'s create_post permission, and the websocket connection',
  upload: 'attach a file in the smoke channel by hand: check FileSettings (uploads enabled, MaxFileSize), the file store (S3/MinIO or local volume) and the server log for POST /api/v4/files',
};

const screenshots = (j: BrowserJourneyResult): string[] => j.attachments.filter((a) => a.contentType.startsWith('image/')).map((a) => a.path);

export const browserJourneyCheck = defineCheck({
  meta: {
    id: 'browser-journey',
    phase: 'post',
    title: 'A user logs in, opens the smoke channel, posts and uploads through the web app',
    failureTitle: 'A user cannot log in, open the smoke channel, post or upload through the web app',
    description: 'Chromium, driven by Playwright, runs the smoke user\'s journeys through Mattermost\'s web app at the front door: log in through the login page (one step or two; with a token, or a login page that offers SSO only, the web app is opened with the session cookie and the login page journey is not applicable), open the smoke channel by its URL, post a uniquely marked message and see it rendered, upload a generated file and see it attached; then deletes what it wrote through the API. The API can be healthy while the web app users reach is not: a failed journey blocks promotion, one that passed only on a retry warns. Off unless mattermost.browser.enabled is true.',
    requires: ['browserJourney'],
    recommended: 'error',
  },
  evaluate(input, ctx) {
    const b = input.browserJourney;
    if (!b.enabled) {
      return { status: 'not-applicable', reason: 'browser journeys are off: set mattermost.browser.enabled: true (Chromium installed, mattermost.smoke with a password) to log in, post and upload through the web app' };
    }
    const subject = installationRef(ctx.scope);
    const fails: Finding[] = [];
    const errors: NotLooked[] = [];
    const warns: Finding[] = [];
    let firstFailure: string | undefined;
    /** Journeys the specs skipped with a reason (the login page when the session comes from a token or SSO only). */
    const notApplicable: string[] = [];
    const judge = (j: BrowserJourneyResult, remediation: string): void => {
      const shots = screenshots(j);
      const shot = shots.length ? ` (screenshot: ${shots[shots.length - 1]})` : '';
      if (j.outcome === 'unexpected') {
        firstFailure ??= j.title;
        fails.push({
          message: `journey "${j.title}" failed: ${j.error ?? 'no error recorded'}${shot}`,
          subject, expected: 'the journey passes', actual: j.error ?? 'failed',
          remediation, ...(shots.length ? { evidence: shots.map((s) => `screenshot: ${s}`) } : {}),
        });
      } else if (j.outcome === 'skipped') {
        // Not run is not looked at: it blocks as error NOT_TRIED (beside the failure that stopped it, if any).
        if (j.notApplicable) notApplicable.push(`"${j.title}" not applicable: ${j.notApplicable}`);
        else errors.push({
          code: 'NOT_TRIED',
          message: `journey "${j.title}" did not run${firstFailure ? `: "${firstFailure}" failed before it` : ''}`,
          subject, expected: 'the journey runs and passes', actual: 'skipped',
          remediation: firstFailure ? `fix "${firstFailure}" first: the journeys share one session and run in order` : 'a journey skipped without an earlier failure: check the smoke specs (test.skip) and Playwright\'s report',
        });
      } else if (j.outcome === 'flaky') {
        warns.push({
          message: `journey "${j.title}" passed only on retry (${j.attempts} attempts); the first attempt failed: ${j.error ?? 'no error recorded'}${shot}`,
          subject, expected: 'passes on the first attempt', actual: `passed on attempt ${j.attempts}`,
          remediation: `an intermittent failure after an upgrade is worth a look before promoting: ${remediation}`,
          ...(shots.length ? { evidence: shots.map((s) => `screenshot: ${s}`) } : {}),
        });
      }
    };
    for (const name of BROWSER_JOURNEY_ORDER) {
      const j = b.journeys.find((x) => x.journey === name);
      if (j) { judge(j, REMEDIATION[name]); continue; }
      fails.push({
        message: `journey "${BROWSER_JOURNEYS[name]}" is missing from Playwright's report`,
        subject, expected: 'the journey ran', actual: 'not in the report',
        remediation: 'the smoke specs mmgate ran are not the ones it judges: reinstall or rebuild mmgate (dist/smoke holds the compiled specs)',
      });
    }
    // Journeys of other specs (a site's own, added beside the built-in ones) are judged the same way.
    for (const j of b.journeys.filter((x) => x.journey === undefined)) judge(j, 'see the screenshot and Playwright\'s report');

    const where = `the smoke channel of ${b.url}`;
    if (b.cleanup.attempts === 0) {
      fails.push({
        message: 'the journeys\' cleanup did not report: smoke posts may be left in the smoke channel',
        subject, expected: 'a cleanup record per attempt', actual: 'none',
        remediation: `look in ${where} for posts starting with "mmgate-browser ${b.runId}" and delete them; check Playwright's log ${b.logPath}`,
      });
    }
    for (const l of b.cleanup.leftovers) {
      fails.push({
        message: `smoke ${l.kind} ${l.id} was left behind by the browser journeys: the cleanup could not delete it`,
        subject: { kind: l.kind === 'post' ? 'Post' : 'File', namespace: ctx.scope.namespace, name: l.id },
        expected: 'every object the journeys created is deleted', actual: l.error ?? 'still present',
        remediation: `delete it by hand (as an admin: DELETE /api/v4/posts/${l.kind === 'post' ? l.id : '<the post it is attached to>'}), and check the smoke user may delete its own posts`,
      });
    }

    if (b.cleanup.errors.length) {
      warns.push({
        message: `the journeys' cleanup hit ${b.cleanup.errors.length} error(s): ${b.cleanup.errors.slice(0, 3).join('; ')}`,
        subject, expected: 'the cleanup finds and deletes every smoke post', actual: 'some lookups or deletes failed',
        remediation: `look in ${where} for posts starting with "mmgate-browser ${b.runId}" and delete any that are left`,
      });
    }

    const ms = (name: BrowserJourneyName): Record<string, number> => {
      const j = b.journeys.find((x) => x.journey === name);
      return j && (j.outcome === 'expected' || j.outcome === 'flaky') ? { [`${name}Ms`]: j.durationMs } : {};
    };
    const passed = b.journeys.filter((j) => j.outcome === 'expected' || j.outcome === 'flaky').length;
    // Every built-in journey is in the report (or failed above), so none passed, none failed and none
    // left untried means each was not applicable.
    if (passed === 0 && fails.length === 0 && errors.length === 0) {
      fails.push({
        message: 'no browser journey passed: every one was skipped as not applicable',
        subject, expected: 'at least the channel, post and upload journeys pass', actual: notApplicable.join('; '),
        remediation: 'check the smoke specs and the smoke user\'s credentials (mattermost.smoke): a gate that judged nothing must not promote',
      });
    }
    const na = notApplicable.length ? `; ${notApplicable.join('; ')}` : '';
    return outcomeOf({
      fails,
      errors,
      warns,
      summary: fails.length || errors.length
        ? `${b.journeys.length - passed} of ${b.journeys.length} browser journeys did not pass${firstFailure ? `, first "${firstFailure}"` : ''}`
        : `${passed} browser journeys passed${warns.length ? `, ${warns.length} only on retry` : ''} in ${Math.round(b.durationMs / 100) / 10}s${na}`,
      measured: {
        ...ms('login'), ...ms('navigate'), ...ms('post'), ...ms('upload'),
        totalMs: b.durationMs,
        journeys: b.journeys.length, passed, notApplicable: notApplicable.length, flaky: b.journeys.filter((j) => j.outcome === 'flaky').length,
        postsDeleted: b.cleanup.postsDeleted, filesDeleted: b.cleanup.filesDeleted, leftovers: b.cleanup.leftovers.length,
      },
    });
  },
});

export default browserJourneyCheck;

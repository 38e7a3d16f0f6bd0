/**
 * The external tools the tests drive for real (Chromium, kubectl, PostgreSQL, Prometheus's
 * promtool, the Pushgateway, xmllint, the shared reference files). Skips are loud and deliberate:
 * - where tools are required (MMGATE_REQUIRE_TOOLS=1, which .ci/run sets itself; or CI set), a
 *   missing one fails the test: a validation that silently stops running is no validation;
 * - elsewhere the test is skipped and the skip is written to MMGATE_SKIP_LOG, which
 *   scripts/test.mjs lists at the end of the run.
 */
import { appendFileSync, existsSync } from 'node:fs';
import type { TestContext } from 'node:test';

export const toolsRequired = (): boolean => process.env['MMGATE_REQUIRE_TOOLS'] === '1' || Boolean(process.env['CI']);

/** One line per skip for scripts/test.mjs: `what<TAB>why`. */
function recordSkip(what: string, why: string): void {
  const log = process.env['MMGATE_SKIP_LOG'];
  if (log) appendFileSync(log, `${what}\t${why.replace(/\s+/g, ' ')}\n`);
}

const missingMessage = (path: string, source: string) => `${path} is missing (${source})`;

/**
 * For a whole suite (`describe(name, { skip: skipUnless(...) })`): false when `path` exists,
 * otherwise the skip reason, recorded; where tools are required it throws, failing the file.
 */
export function skipUnless(path: string, source: string, what: string): false | string {
  return skipIfMissing(existsSync(path) ? undefined : missingMessage(path, source), what);
}

/**
 * As skipUnless, for a prerequisite that is not one path: `missing` is the sentence saying what is
 * missing and how to get it, undefined when nothing is.
 */
export function skipIfMissing(missing: string | undefined, what: string): false | string {
  if (missing === undefined) return false;
  if (toolsRequired()) throw new Error(`${missing}, and MMGATE_REQUIRE_TOOLS/CI requires it: ${what} must run`);
  const why = `${missing}: ${what} skipped`;
  recordSkip(what, why);
  return why;
}

/**
 * Inside one test: the path when it exists; otherwise the test is marked skipped (recorded) and
 * undefined returned; where tools are required a missing one fails the test.
 */
export function requireTool(t: TestContext, path: string, source: string): string | undefined {
  if (existsSync(path)) return path;
  if (toolsRequired()) throw new Error(`${missingMessage(path, source)}, and MMGATE_REQUIRE_TOOLS/CI requires it: this validation must run`);
  recordSkip(t.fullName ?? t.name, missingMessage(path, source));
  t.skip(`${missingMessage(path, source)}: validation skipped`);
  return undefined;
}

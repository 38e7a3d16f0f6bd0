/**
 * Maps Playwright's documented JSON report (`@playwright/test/reporter` JSONReport) and the
 * journeys' cleanup records to the `browserJourney` snapshot data. Pure, so it is tested against
 * literal reports (pass, fail, flaky, interrupted, empty) without a browser.
 */
import { stripVTControlCharacters } from 'node:util';
import type { JSONReport, JSONReportSuite, JSONReportTestResult } from '@playwright/test/reporter';
import { BROWSER_JOURNEYS, NOT_APPLICABLE_ANNOTATION, type BrowserCleanup, type BrowserJourneyName, type BrowserJourneyResult, type JourneyOutcome } from '../../core/browser-types.js';

export interface MappedReport {
  readonly stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  readonly journeys: BrowserJourneyResult[];
  /** A test was stopped mid-way (SIGINT, deadline): the results are incomplete. */
  readonly interrupted: boolean;
  /** Errors outside any test (a spec that does not load, "No tests found"), cleaned. */
  readonly globalErrors: string[];
}

const MAX_ERROR = 800;

/**
 * One error as a reader needs it: no terminal colours, no code frame or call log (they are in the
 * report file), at most a few hundred characters, secrets masked.
 */
export function cleanError(message: string | undefined, redact: (s: string) => string): string | undefined {
  if (!message) return undefined;
  let m = stripVTControlCharacters(message);
  for (const cut of ['\nCall log:', '\n\n  ', '\n    at ']) {
    const i = m.indexOf(cut);
    if (i > 0) m = m.slice(0, i);
  }
  m = m.split('\n').map((l) => l.trim()).filter(Boolean).join(' · ');
  if (m.length > MAX_ERROR) m = `${m.slice(0, MAX_ERROR - 1)}…`;
  return redact(m);
}

const journeyOf = (title: string): BrowserJourneyName | undefined =>
  (Object.entries(BROWSER_JOURNEYS) as [BrowserJourneyName, string][]).find(([, t]) => t === title)?.[0];

const OUTCOMES: readonly JourneyOutcome[] = ['expected', 'unexpected', 'flaky', 'skipped'];

export function mapReport(report: JSONReport, redact: (s: string) => string = (s) => s): MappedReport {
  const journeys: BrowserJourneyResult[] = [];
  let interrupted = false;
  const walk = (suite: JSONReportSuite): void => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const results: JSONReportTestResult[] = test.results ?? [];
        if (results.some((r) => r.status === 'interrupted')) interrupted = true;
        const ran = results.filter((r) => r.status !== 'skipped');
        const last = results[results.length - 1];
        const failed = results.find((r) => r.error?.message || r.errors?.length);
        const error = cleanError(failed?.error?.message ?? failed?.errors?.[0]?.message, redact);
        // Files only (inline bodies stay in the report); error-context is attached twice by Playwright.
        const attachments: { name: string; path: string; contentType: string }[] = [];
        for (const a of results.flatMap((r) => r.attachments ?? [])) {
          if (!a.path || attachments.some((x) => x.path === a.path)) continue;
          attachments.push({ name: a.name, path: a.path, contentType: a.contentType });
        }
        const journey = journeyOf(spec.title);
        // A skip counts as not applicable only with the spec's explicit annotation and reason.
        const annotations = [...(test.annotations ?? []), ...results.flatMap((r) => r.annotations ?? [])];
        const na = test.status === 'skipped' ? annotations.find((a) => a.type === NOT_APPLICABLE_ANNOTATION && a.description)?.description : undefined;
        journeys.push({
          title: spec.title,
          ...(journey ? { journey } : {}),
          // An unknown status (a newer Playwright) is treated as a failure: fail closed.
          outcome: OUTCOMES.includes(test.status) ? test.status : 'unexpected',
          ...(na ? { notApplicable: redact(na) } : {}),
          durationMs: Math.round(last?.duration ?? 0),
          attempts: ran.length,
          ...(error ? { error } : {}),
          attachments,
        });
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const s of report.suites ?? []) walk(s);
  const st = report.stats ?? { expected: 0, unexpected: 0, flaky: 0, skipped: 0 };
  return {
    stats: { expected: st.expected ?? 0, unexpected: st.unexpected ?? 0, flaky: st.flaky ?? 0, skipped: st.skipped ?? 0 },
    journeys,
    interrupted,
    globalErrors: (report.errors ?? []).map((e) => cleanError(e.message, redact)).filter((e): e is string => e !== undefined),
  };
}

/** One attempt's cleanup record, as smoke/support.ts writes it. */
export interface CleanupRecordFile {
  readonly session?: boolean;
  readonly postsDeleted?: readonly string[];
  readonly filesDeleted?: readonly string[];
  readonly leftovers?: readonly { kind: 'post' | 'file'; id: string; error?: string }[];
  readonly errors?: readonly string[];
}

/**
 * Folds the attempts' cleanup records: every attempt sweeps the whole run's marker, so something
 * one attempt could not delete and a later one did is not a leftover.
 */
export function foldCleanup(records: readonly CleanupRecordFile[], redact: (s: string) => string = (s) => s): BrowserCleanup {
  const posts = new Set<string>();
  const files = new Set<string>();
  for (const r of records) {
    for (const p of r.postsDeleted ?? []) posts.add(p);
    for (const f of r.filesDeleted ?? []) files.add(f);
  }
  const leftovers = new Map<string, { kind: 'post' | 'file'; id: string; error?: string }>();
  for (const r of records) {
    for (const l of r.leftovers ?? []) {
      if ((l.kind === 'post' ? posts : files).has(l.id)) continue;
      leftovers.set(`${l.kind}:${l.id}`, { kind: l.kind, id: l.id, ...(l.error ? { error: redact(l.error) } : {}) });
    }
  }
  return {
    attempts: records.length,
    postsDeleted: posts.size,
    filesDeleted: files.size,
    leftovers: [...leftovers.values()],
    errors: records.flatMap((r) => r.errors ?? []).map(redact),
  };
}

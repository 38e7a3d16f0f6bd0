/**
 * Golden files: what users see for the blocked preflight, in every format, kept in
 * fixtures/reports/. A change to a renderer shows up here as a diff to review; rewrite them with
 * `UPDATE_GOLDEN=1 node --test dist/reporters/golden.test.js` (refused under CI; the rewriting run
 * fails on purpose) and read the diff before keeping it.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { renderConsoleSummary } from './console.js';
import { FIXTURE_HOSTNAME, blockedPreflight } from './fixtures.js';
import { renderJson } from './json.js';
import { runReportSchema } from './json-schema.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { matchGolden } from '../test/golden.js';
import { junitValidator } from './test-helpers.js';
import { blockedBluegreenVerify, bluegreenPreflight } from './rollback-fixtures.js';
import { rollbackLines, rollbackPlan } from '../core/rollback.js';

// dist/reporters/ → the repository root: goldens live with the sources, not in dist.
const DIR = fileURLToPath(new URL('../../fixtures/reports/', import.meta.url));

const outputs: Record<string, () => string> = {
  'preflight-blocked.json': () => renderJson(blockedPreflight()),
  'preflight-blocked.junit.xml': () => renderJunit(blockedPreflight(), { hostname: FIXTURE_HOSTNAME }),
  'preflight-blocked.md': () => renderMarkdown(blockedPreflight()),
  'preflight-blocked.console.txt': () => renderConsoleSummary(blockedPreflight(), { color: false }),
  // A blocked blue/green verify carries the way back in every format; rollback-plan.txt is `mmgate rollback-plan`.
  'verify-bluegreen-blocked.json': () => renderJson(blockedBluegreenVerify()),
  'verify-bluegreen-blocked.junit.xml': () => renderJunit(blockedBluegreenVerify(), { hostname: FIXTURE_HOSTNAME }),
  'verify-bluegreen-blocked.md': () => renderMarkdown(blockedBluegreenVerify()),
  'verify-bluegreen-blocked.console.txt': () => renderConsoleSummary(blockedBluegreenVerify(), { color: false }),
  'rollback-plan.txt': () => `${rollbackLines(rollbackPlan(bluegreenPreflight(), undefined, { release: 'mattermost-operator', namespace: 'mattermost-operator' })!).join('\n')}\n`,
};

describe('golden reports (fixtures/reports)', () => {
  for (const [name, render] of Object.entries(outputs)) {
    it(`${name} matches`, () => matchGolden(DIR + name, render()));
  }

  it('the JSON golden is a valid RunReport (the contract consumers rely on)', async () => {
    for (const name of ['preflight-blocked.json', 'verify-bluegreen-blocked.json']) {
      const parsed = runReportSchema.safeParse(JSON.parse(await readFile(`${DIR}${name}`, 'utf8')));
      assert.ok(parsed.success, parsed.success ? '' : `${name}: ${parsed.error.message}`);
    }
  });

  it('the JUnit golden validates against junit-10.xsd', async (t) => {
    const validate = junitValidator(t);
    if (!validate) return;
    for (const name of ['preflight-blocked.junit.xml', 'verify-bluegreen-blocked.junit.xml']) {
      const r = validate(`${DIR}${name}`);
      assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    }
  });
});

/**
 * Golden files: output compared with a reviewed file in the repository. UPDATE_GOLDEN=1 rewrites
 * the files that changed, but the test that rewrote one still fails (a file just written from
 * `actual` proves nothing): review `git diff`, then rerun without it. Refused under CI, where a
 * rewrite would turn every comparison into a pass.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function matchGolden(file: string, actual: string): void {
  const update = process.env['UPDATE_GOLDEN'] === '1';
  if (update && process.env['CI']) assert.fail('UPDATE_GOLDEN=1 is refused when CI is set: goldens are rewritten on a developer machine and reviewed');
  const golden = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  if (golden === actual) return;
  if (update) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    assert.fail(`${file} rewritten (UPDATE_GOLDEN=1): review the diff, then rerun without UPDATE_GOLDEN`);
  }
  assert.ok(golden !== undefined, `golden file ${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
  assert.equal(actual, golden, `output differs from ${file}: review, then rerun with UPDATE_GOLDEN=1 if the change is meant`);
}

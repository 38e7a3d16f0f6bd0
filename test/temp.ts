/**
 * Temp dirs for tests that make them in helpers, where no `after` hook is at hand: each is removed
 * when the test file's process exits, passed or failed (node --test runs each file in its own
 * process).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

export function tempDirSync(prefix = 'mmgate-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

#!/usr/bin/env node
// The project's one test command (`npm test`): typecheck + build, lint, then every compiled
// *.test.js under Node's built-in test runner. Node 20's --test takes no globs, so the files
// are found here and passed explicitly, sorted for a stable order. It ends with the list of
// tests skipped for a missing tool (test/tools.ts); .ci/run sets MMGATE_REQUIRE_TOOLS=1, which
// turns such a skip into a failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
};

// A stale dist/ could hold tests whose sources were deleted: start from a clean build.
rmSync(join(root, 'dist'), { recursive: true, force: true });
run('npx', ['tsc', '-p', 'tsconfig.json']);
run('npx', ['eslint', '.']);

const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) files.push(relative(root, p));
  }
};
walk(join(root, 'dist'));
files.sort();
const only = process.argv.slice(2);
const selected = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
if (selected.length === 0) {
  console.error('no test files found: refusing to report success');
  process.exit(1);
}
const skipDir = mkdtempSync(join(tmpdir(), 'mmgate-skips-'));
const skipLog = join(skipDir, 'skips.tsv');
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-timeout=1800000', ...selected], {
  cwd: root, stdio: 'inherit', env: { ...process.env, MMGATE_SKIP_LOG: skipLog },
});
const skips = existsSync(skipLog) ? [...new Set(readFileSync(skipLog, 'utf8').split('\n').filter(Boolean))] : [];
rmSync(skipDir, { recursive: true, force: true });
if (skips.length) {
  console.log(`\n${skips.length} test(s) skipped for a missing tool (MMGATE_REQUIRE_TOOLS=1, as in .ci/run, makes this a failure):`);
  for (const line of skips) {
    const [what, why] = line.split('\t');
    console.log(`  - ${what}: ${why}`);
  }
} else {
  console.log('\nno test skipped for a missing tool');
}
if (r.status !== 0) {
  console.error(`\nnode --test failed (exit ${r.status ?? r.signal})`);
  process.exit(r.status || 1);
}

/** Skips for a missing tool are recorded for scripts/test.mjs, and are failures where tools are required. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDirSync } from './temp.js';
import { skipIfMissing, skipUnless } from './tools.js';

const ENV = ['MMGATE_REQUIRE_TOOLS', 'CI', 'MMGATE_SKIP_LOG'] as const;

function withEnv<T>(env: Partial<Record<(typeof ENV)[number], string>>, fn: () => T): T {
  const saved = ENV.map((k) => [k, process.env[k]] as const);
  for (const k of ENV) { if (env[k] === undefined) delete process.env[k]; else process.env[k] = env[k]; }
  try { return fn(); } finally {
    for (const [k, v] of saved) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
  }
}

describe('missing tools', () => {
  const missing = join(tempDirSync('mmgate-tools-'), 'no-such-tool');

  it('locally: skipped, with the reason written to the skip log', () => {
    const log = join(tempDirSync('mmgate-skips-'), 'skips.tsv');
    const why = withEnv({ MMGATE_SKIP_LOG: log }, () => skipUnless(missing, 'Debian package no-such', 'the no-such tests'));
    assert.match(String(why), /no-such-tool is missing \(Debian package no-such\): the no-such tests skipped/);
    assert.match(readFileSync(log, 'utf8'), /^the no-such tests\t.*no-such-tool is missing/);
  });

  it('with MMGATE_REQUIRE_TOOLS=1 (set by .ci/run) or CI: a failure naming the tool', () => {
    for (const env of [{ MMGATE_REQUIRE_TOOLS: '1' }, { CI: 'true' }]) {
      assert.throws(() => withEnv(env, () => skipUnless(missing, 'Debian package no-such', 'the no-such tests')), /no-such-tool is missing .*the no-such tests must run/);
    }
  });

  it('a prerequisite that is not one path (skipIfMissing): the same skip, or failure under CI', () => {
    const log = join(tempDirSync('mmgate-skips-'), 'skips.tsv');
    const missing = 'the control plane is not built: run scripts/build-control-plane.sh';
    assert.equal(withEnv({ MMGATE_SKIP_LOG: log }, () => skipIfMissing(missing, 'the dry runs')), `${missing}: the dry runs skipped`);
    assert.match(readFileSync(log, 'utf8'), /^the dry runs\tthe control plane is not built/);
    assert.throws(() => withEnv({ CI: 'true' }, () => skipIfMissing(missing, 'the dry runs')), /not built: run .*the dry runs must run/);
    assert.equal(withEnv({ CI: 'true' }, () => skipIfMissing(undefined, 'the dry runs')), false);
  });

  it('a tool that is there is no skip', () => {
    assert.equal(withEnv({ MMGATE_REQUIRE_TOOLS: '1' }, () => skipUnless(process.execPath, 'node', 'anything')), false);
  });
});

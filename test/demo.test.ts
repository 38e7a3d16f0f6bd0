/**
 * `mmgate demo` is the README's first command: each of its three stories, run as users run it,
 * shows what the README says it shows — the metrics checks and what the upgrade changed on the
 * rolling demo, a promoted blue/green switch, and a blocked idle colour that ends with the way back.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { mmgate, noStack } from './run-cli.js';
import { tempDirSync } from './temp.js';

const dir = tempDirSync('mmgate-demo-test-');
after(() => rmSync(dir, { recursive: true, force: true }));

describe('mmgate demo', { concurrency: 1 }, () => {
  it('rolling: promotes, judging the servers\' metrics and listing what the upgrade changed', async () => {
    const r = await mmgate(['demo', '--report-dir', 'rolling', '--no-color'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout.slice(-3000) + r.stderr);
    noStack(r);
    for (const id of ['metrics-health', 'api-latency', 'error-rate']) assert.match(r.stdout, new RegExp(`✔ pass +\\w+ +${id} `), `${id} judged and passed`);
    assert.match(r.stdout, /What changed since preflight\n {2}\[changed\] cluster version: 10\.11\.4 → 11\.7\.1/);
    for (const f of ['preflight.json', 'watch.json', 'verify.json']) assert.ok(existsSync(join(dir, 'rolling', f)), f);
  });

  it('blue/green: upgrades and verifies the idle colour, switches, and promotes production', async () => {
    const r = await mmgate(['demo', '--strategy', 'bluegreen', '--report-dir', 'bg', '--no-color'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout.slice(-3000) + r.stderr);
    assert.match(r.stdout, /== done: production is green on 11\.7\.1/);
    for (const f of ['preflight.json', 'idle/verify.json', 'production/verify.json']) assert.ok(existsSync(join(dir, 'bg', f)), f);
  });

  it('a broken idle colour: blocks before the switch, names the checks and ends with the rollback plan', async () => {
    const r = await mmgate(['demo', '--scenario', 'bluegreen-idle-broken', '--report-dir', 'broken', '--no-color'], { cwd: dir });
    assert.equal(r.code, 1, r.stdout.slice(-3000) + r.stderr);
    noStack(r);
    assert.match(r.stdout, /✖ BLOCKED by \d+ checks: [^\n]*\blogin\b/);
    assert.match(r.stdout, /Rollback plan — from the preflight of /);
    assert.match(r.stdout, /production stays on blue \(10\.11\.4\): do not switch/);
    assert.match(r.stdout, /do not switch; production \(blue\) was never touched/);
    assert.ok(existsSync(join(dir, 'broken', 'idle', 'verify.json')), 'the idle colour\'s report');
    assert.ok(!existsSync(join(dir, 'broken', 'production')), 'production was never verified: it was never switched');
  });
});

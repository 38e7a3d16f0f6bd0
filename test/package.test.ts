/**
 * The package users install: `npm pack` ships the product (dist, the lab's scenarios, docs,
 * LICENSE) and no test, and a production install of that tarball into an empty prefix runs
 * `mmgate --help`, `mmgate lab --list` and a whole `mmgate demo`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mmgate-package-'));
after(() => rmSync(work, { recursive: true, force: true }));

function sh(cmd: string, args: string[], cwd: string, timeoutMs = 300_000) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' } });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

describe('the npm package', () => {
  let files: string[] = [];
  let tarball = '';
  before(() => {
    // dist/ is already built by the test command: pack it as it is.
    const r = sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT);
    assert.equal(r.code, 0, r.stderr);
    const [packed] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
    files = packed!.files.map((f) => f.path);
    tarball = join(work, packed!.filename);
  });

  it('ships the product and no test or test fixture', () => {
    for (const f of ['dist/cli/main.js', 'dist/playwright.config.js', 'dist/smoke/mattermost.spec.js', 'fixtures/scenarios/healthy/scenario.yaml', 'fixtures/backups/mattermost.dump', 'lab/kube/testcert/cert.pem', 'docs/checks.md', 'README.md', 'LICENSE']) {
      assert.ok(files.includes(f), `${f} is shipped`);
    }
    // Any `fixtures.` / `-fixtures.` / `fixture.` module is test data, wherever it lives.
    const tests = files.filter((f) => /\.test\.|^dist\/test\/|test-helpers|test-support|fixtures?\.|^(checks|core|collectors|cli|lab|reporters|test)\/.*\.ts$/.test(f));
    assert.deepEqual(tests, []);
  });

  it('ships no private key but the lab\'s public-on-purpose TLS key, which the demo serves with', () => {
    // lab/kube/testcert/key.pem signs the simulated API server's https on 127.0.0.1 (kubectl sends
    // tokens only over TLS), so `mmgate demo` needs it at run time; it guards nothing (see its README).
    const keys = files.filter((f) => /key|\.pem$|\.p12$|\.pfx$/i.test(f) && !/^dist\/.*\.(js|d\.ts|js\.map)$|^docs\//.test(f));
    assert.deepEqual(keys, ['lab/kube/testcert/cert.pem', 'lab/kube/testcert/key.pem']);
  });

  it('installs with --omit=dev into an empty prefix and runs --help, lab --list and the demo', () => {
    const prefix = join(work, 'prefix');
    const install = sh('npm', ['install', '-g', '--prefix', prefix, '--omit=dev', '--no-audit', '--no-fund', tarball], work, 600_000);
    assert.equal(install.code, 0, install.stderr);
    const bin = join(prefix, 'bin', 'mmgate');
    assert.ok(existsSync(bin), 'the mmgate bin is linked');
    const help = sh(bin, ['--help'], work);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /preflight[\s\S]*verify[\s\S]*init/);
    const list = sh(bin, ['lab', '--list'], work);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^healthy\s+Mattermost 10\.11\.4/m);
    const demo = sh(bin, ['demo', '--report-dir', join(work, 'demo-reports')], work, 600_000);
    assert.equal(demo.code, 0, demo.stdout.slice(-3000) + demo.stderr);
    assert.match(demo.stdout, /done: promote/);
    for (const f of ['preflight.json', 'watch.json', 'verify.json']) assert.ok(existsSync(join(work, 'demo-reports', f)), f);
  });
});

/**
 * One CLI grammar, and a CLI that behaves in a pipe: `-c` wherever a config is read, `--version`
 * with what a bug report needs, and a reader that goes away (`| head -1`) ends the command
 * quietly — a listing exits 0, a gate run still writes its reports and exits with its verdict.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startLab, type Lab } from '../lab/index.js';
import { CLI, mmgate as run, noStack, type Run } from './run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'mmgate-grammar-'));
after(() => rmSync(work, { recursive: true, force: true }));
const mmgate = (args: string[]) => run(args, { cwd: work });

/** Runs mmgate with its stdout pipe closed by the reader before anything is written. */
function withClosedStdout(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('exit', (code) => resolve({ code, stdout: '', stderr }));
  });
}

describe('mmgate in a pipe', () => {
  for (const args of [['lab', '--list'], ['checks']]) {
    it(`mmgate ${args.join(' ')} | head -1 prints one line and no stack trace`, () => {
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" ${args.join(' ')} | head -1; echo "mmgate-exit=\${PIPESTATUS[0]}" >&2`], { cwd: work, encoding: 'utf8' });
      assert.equal(r.stdout.split('\n').filter(Boolean).length, 1, r.stdout);
      assert.match(r.stderr, /mmgate-exit=0/);
      assert.doesNotMatch(r.stderr, /EPIPE|Error|\n\s+at /);
    });

    it(`mmgate ${args.join(' ')} whose reader has gone exits 0 quietly`, async () => {
      const r = await withClosedStdout(args);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
    });
  }

  describe('a gate run whose reader has gone', () => {
    let lab: Lab;
    before(async () => { lab = await startLab('node-not-ready', join(work, 'lab')); });
    after(async () => { await lab.close(); });

    it('still writes its reports and exits with its verdict', async () => {
      const reports = join(work, 'piped-reports');
      const r = await withClosedStdout(['preflight', '-c', lab.paths.config, '--report-dir', reports]);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, '');
      const report = JSON.parse(readFileSync(join(reports, 'preflight.json'), 'utf8'));
      assert.deepEqual(report.verdict.blocking, ['node-readiness']);
      for (const f of ['preflight.junit.xml', 'preflight.md', 'preflight.snapshot.json']) assert.ok(existsSync(join(reports, f)), f);
    });
  });
});

describe('one CLI grammar', () => {
  const good = join(work, 'good.yaml');
  const bad = join(work, 'bad.yaml');
  before(() => {
    writeFileSync(good, 'kube: { namespace: chat }\n');
    writeFileSync(bad, 'kube: { namespce: chat }\n');
  });

  it('config validate takes -c/--config like every other command, and a positional file still', async () => {
    for (const args of [['-c', good], ['--config', good], [good]]) {
      const r = await mmgate(['config', 'validate', ...args]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /good\.yaml: valid/);
      assert.match(r.stdout, /namespace: chat/);
    }
    const wrong = await mmgate(['config', 'validate', '-c', bad]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /kube\.namespce: unknown key/);
    noStack(wrong);
  });

  it('config validate refuses two different files', async () => {
    const r = await mmgate(['config', 'validate', good, '-c', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /two config files given/);
  });

  it('--version prints the mmgate, Node and client-node versions', async () => {
    const r = await mmgate(['--version']);
    assert.equal(r.code, 0);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; dependencies: Record<string, string> };
    assert.match(r.stdout, new RegExp(`^mmgate ${pkg.version.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(r.stdout, new RegExp(`^node ${process.version.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(r.stdout, new RegExp(`^@kubernetes/client-node ${pkg.dependencies['@kubernetes/client-node']!.replace(/\./g, '\\.')}$`, 'm'));
  });
});

/**
 * No Docker engine runs here, so the Dockerfile's runtime stage is replayed in a scratch directory:
 * its RUN step, read from the Dockerfile itself, runs with its absolute paths moved under the
 * scratch directory, on the tarball the build stage would pack. The installed copy then answers
 * `mmgate --help` and gives a lab preflight its verdict.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mmgate-docker-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** The runtime stage's COPY destination (where the build's output lands) and its RUN command, continuation lines joined. */
function runtimeStage(dockerfile: string): { copiedTo: string; run: string } {
  const stage = dockerfile.split(/^FROM /m).find((s) => /AS runtime/.test(s.split('\n')[0]!));
  assert.ok(stage, 'the Dockerfile has a runtime stage');
  const copiedTo = /^COPY --from=build \S+ (\S+?)\/?$/m.exec(stage)?.[1];
  const run = /^RUN ((?:.*\\\n)*.*)$/m.exec(stage)?.[1];
  assert.ok(copiedTo && run, 'the runtime stage copies the build output and has a RUN step');
  return { copiedTo, run: run.replace(/\\\n\s*/g, ' ') };
}

describe('the Dockerfile, replayed', () => {
  it('installs the packed package from the lock file without dev dependencies, runs as a CLI and gates the lab', async () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^FROM node:22-slim AS runtime$/m);
    assert.match(dockerfile, /^USER node$/m, 'runs as a non-root user');
    // The build stage's output: the packed tarball and the lock file in /out.
    const out = join(work, 'tmp', 'mmgate');
    mkdirSync(out, { recursive: true });
    const pack = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(pack.status, 0, pack.stderr);
    renameSync(join(out, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename), join(out, 'mmgate.tgz'));
    copyFileSync(join(ROOT, 'package-lock.json'), join(out, 'package-lock.json'));
    mkdirSync(join(work, 'bin'));
    // The same command, in the scratch directory. The machine's npm cache is left alone.
    const app = join(work, 'opt', 'mmgate');
    const { copiedTo, run } = runtimeStage(dockerfile);
    const step = run.replaceAll(copiedTo, out).replaceAll('/usr/local/bin', join(work, 'bin')).replace('npm cache clean --force', 'true');
    const replay = spawnSync('bash', ['-euc', step], { cwd: work, encoding: 'utf8', env: { ...process.env, APP: app, NODE_ENV: 'production' }, timeout: 600_000 });
    assert.equal(replay.status, 0, replay.stderr);
    const installed = spawnSync('ls', [join(app, 'node_modules')], { encoding: 'utf8' }).stdout;
    // typescript stays: @mattermost/client lists it as a dependency of its own.
    assert.doesNotMatch(installed, /^(eslint|ajv|axe-core|typescript-eslint)$/m, 'no dev dependency in the image');
    assert.match(installed, /^@kubernetes$/m);
    const mmgate = join(work, 'bin', 'mmgate');
    const help = spawnSync(mmgate, ['--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /Usage: mmgate/);

    const lab = spawn(mmgate, ['lab', '--scenario', 'node-not-ready', '--out', join(work, 'lab')], { cwd: work });
    try {
      await new Promise<void>((resolve, reject) => {
        lab.stdout.on('data', (d: Buffer) => { if (d.toString().includes('mmgate lab ready')) resolve(); });
        lab.on('exit', (code) => reject(new Error(`lab exited ${code}`)));
      });
      const pre = spawnSync(mmgate, ['preflight', '-c', join(work, 'lab', 'mmgate.yaml'), '--report-dir', join(work, 'reports'), '--format', 'json'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.equal(pre.status, 1, pre.stderr);
      const report = JSON.parse(readFileSync(join(work, 'reports', 'preflight.json'), 'utf8')) as { verdict: { blocking: string[] } };
      assert.deepEqual(report.verdict.blocking, ['node-readiness']);
    } finally {
      lab.kill('SIGTERM');
    }
  });
});

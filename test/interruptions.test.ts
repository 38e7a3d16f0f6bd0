/**
 * SIGTERM and SIGINT in each phase of a run — while collecting, during the smoke journeys, while
 * the reports are written — end `mmgate` with exit 3 within 2 s, a report marked partial, and no
 * smoke data left in Mattermost (asserted through the lab's store, not through mmgate's word).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import type { RunReport } from '../core/types.js';
import { startLab, type Lab } from '../lab/index.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'mmgate-interrupt-'));

const start = (args: string[]): { child: ChildProcess; exited: Promise<{ code: number | null; at: number }> } => {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' }, stdio: 'ignore' });
  return { child, exited: new Promise((r) => child.on('exit', (code) => r({ code, at: performance.now() }))) };
};

async function until(what: string, cond: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('interruptions: exit 3 within 2 s, a partial report, no smoke data left', { concurrency: 1 }, () => {
  let pre: Lab;
  let post: Lab;
  let baseline = '';
  let hanging: Server;
  let pushes = 0;
  before(async () => {
    pre = await startLab('healthy', join(work, 'pre'));
    post = await startLab('upgraded', join(work, 'post'));
    const b = start(['preflight', '-c', post.paths.config, '--report-dir', join(work, 'baseline'), '--format', 'json']);
    await b.exited;
    baseline = join(work, 'baseline', 'preflight.snapshot.json');
    // A Pushgateway that takes the request and never answers: the run is stuck writing reports.
    hanging = createServer(() => { pushes++; });
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  });
  after(async () => {
    hanging.closeAllConnections();
    await Promise.all([pre.close(), post.close(), new Promise((r) => hanging.close(r))]);
    rmSync(work, { recursive: true, force: true });
  });

  const phases: { name: string; lab: () => Lab; run: (dir: string, config: string) => string[]; arm: () => void; ready: () => boolean; file: string }[] = [
    {
      name: 'while collecting', lab: () => pre, file: 'preflight.json',
      run: (dir, config) => ['preflight', '-c', config, '--report-dir', dir, '--format', 'json'],
      arm: () => pre.setKubeFaults([{ path: '^/api/v1/nodes\\?', delayMs: 30_000 }]),
      ready: () => pre.requestCounts().kubernetes > readyFrom + 3,
    },
    {
      name: 'during the smoke journeys', lab: () => post, file: 'verify.json',
      run: (dir, config) => ['verify', '-c', config, '--report-dir', dir, '--format', 'json', '--skip', 'browser-journey', '--baseline', baseline],
      // The download hangs while the post carrying the smoke file exists: both must still be deleted
      // (the journeys run at once, so a hang on the download is the moment the data is there).
      arm: () => post.setFrontDoorFaults([{ method: 'GET', path: '^/api/v4/files/[a-z0-9]+$', delayMs: 30_000 }]),
      ready: () => post.world.smokeLeftovers().posts > 0,
    },
    {
      name: 'while the reports are written', lab: () => pre, file: 'preflight.json',
      run: (dir, config) => ['preflight', '-c', config, '--report-dir', dir, '--format', 'json,prometheus'],
      arm: () => undefined,
      ready: () => pushes > readyFrom,
    },
  ];
  let readyFrom = 0;

  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    for (const [i, ph] of phases.entries()) {
      it(`${sig} ${ph.name}`, async () => {
        const lab = ph.lab();
        const dir = join(work, `${sig}-${i}`);
        const config = join(lab.paths.dir, `interrupt-${sig}-${i}.yaml`);
        const c = parse(readFileSync(lab.paths.config, 'utf8')) as Record<string, unknown>;
        if (ph.name.startsWith('while the reports')) c['reports'] = { pushgateway: `http://127.0.0.1:${(hanging.address() as { port: number }).port}` };
        writeFileSync(config, stringify(c));
        readyFrom = ph.name.startsWith('while the reports') ? pushes : lab.requestCounts().kubernetes;
        ph.arm();
        try {
          const { child, exited } = start(ph.run(dir, config));
          await until(ph.name, ph.ready);
          const sent = performance.now();
          child.kill(sig);
          const { code, at } = await exited;
          assert.equal(code, 3, `exit code after ${sig}`);
          assert.ok(at - sent < 2000, `exited ${Math.round(at - sent)} ms after ${sig}, not within 2 s`);
          const file = join(dir, ph.file);
          assert.ok(existsSync(file), 'a report was written');
          const report = JSON.parse(readFileSync(file, 'utf8')) as RunReport;
          assert.equal(report.partial, true, 'the report is marked partial');
          assert.equal(report.verdict.promote, false);
          assert.deepEqual(lab.world.smokeLeftovers(), { posts: 0, files: 0 }, 'no smoke data left in Mattermost');
        } finally {
          lab.setKubeFaults([]);
          lab.setFrontDoorFaults([]);
        }
      });
    }
  }
});

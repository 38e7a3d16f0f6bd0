/**
 * Figures, not assertions: wall time of `mmgate --help`, and of preflight and verify against the
 * lab (healthy → upgraded), with peak memory and the requests each run made. Run with
 * `npm run bench`. Speed and memory targets are read from this output, never from timed tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab } from '../lab/index.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/**
 * Runs the CLI in a child process under GNU time, which reports the child's own peak RSS (%M, KiB)
 * into a file so mmgate's output stays out of the way.
 */
function timeCli(args: string[], cwd: string): Promise<{ ms: number; maxRssMiB: number; code: number | null }> {
  const rssFile = join(cwd, `rss-${process.hrtime.bigint()}`);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-o', rssFile, '-f', '%M', process.execPath, CLI, ...args], { cwd, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - t0;
      let kib = NaN;
      try { kib = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()); } catch { /* no GNU time output */ }
      resolve({ ms, maxRssMiB: kib / 1024, code });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'mmgate-bench-'));
  try {
    const help: number[] = [];
    for (let i = 0; i < 7; i++) help.push((await timeCli(['--help'], work)).ms);
    console.log(`mmgate --help            median ${median(help).toFixed(0)} ms over ${help.length} runs (min ${Math.min(...help).toFixed(0)} ms), peak RSS ${(await timeCli(['--help'], work)).maxRssMiB.toFixed(0)} MiB`);

    for (const [scenario, phase] of [['healthy', 'preflight'], ['upgraded', 'verify']] as const) {
      const lab = await startLab(scenario, join(work, scenario));
      try {
        const runs: { ms: number; maxRssMiB: number; code: number | null; requests: number; mm: number }[] = [];
        for (let i = 0; i < 3; i++) {
          const reports = join(work, `reports-${scenario}`);
          // verify compares with a preflight baseline: take one first, outside the measured run.
          if (phase === 'verify' && i === 0) await timeCli(['preflight', '-c', lab.paths.config, '--report-dir', reports, '--format', 'json'], work);
          const before = lab.requestCounts();
          const r = await timeCli([phase, '-c', lab.paths.config, '--report-dir', reports, '--format', 'json,junit', ...(phase === 'verify' ? ['--baseline', join(reports, 'preflight.snapshot.json')] : [])], work);
          const after = lab.requestCounts();
          runs.push({ ...r, requests: after.kubernetes - before.kubernetes, mm: after.mattermost - before.mattermost });
        }
        const m = (k: 'ms' | 'maxRssMiB') => median(runs.map((r) => r[k]));
        console.log(`${phase.padEnd(9)} on ${scenario.padEnd(9)} median ${m('ms').toFixed(0)} ms wall, peak RSS ${m('maxRssMiB').toFixed(0)} MiB, ` +
          `${runs[0]!.requests} Kubernetes API requests (pod proxy included) + ${runs[0]!.mm} front-door requests, exit ${runs.map((r) => r.code).join('/')}`);
      } finally {
        await lab.close();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();

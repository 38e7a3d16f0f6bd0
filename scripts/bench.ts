/**
 * Figures, not assertions: wall time of `mmgate --help`, and of preflight and verify against the
 * lab (healthy → upgraded), with peak memory and the requests each run made. Run with
 * `npm run bench`. Speed and memory targets are read from this output, never from timed tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
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
    await benchMetrics(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The metrics phase from each source on the same lab (with its Prometheus): `preflight --only
 * metrics-health`, and the serverMetrics collector's own time from the JSON report. The direct
 * scrape waits metrics.scrapeInterval between its two scrapes (1s in the lab, 30s by default).
 */
async function benchMetrics(work: string): Promise<void> {
  const lab = await startLab('healthy', join(work, 'metrics'), { prometheus: true });
  try {
    for (const source of ['prometheus', 'scrape'] as const) {
      const doc = parse(readFileSync(lab.paths.config, 'utf8')) as Record<string, Record<string, unknown>>;
      doc['metrics'] = { ...doc['metrics'], source };
      const cfg = join(lab.paths.dir, `bench-${source}.yaml`);
      writeFileSync(cfg, stringify(doc));
      const reports = join(work, `reports-metrics-${source}`);
      const walls: number[] = [];
      const collector: number[] = [];
      for (let i = 0; i < 3; i++) {
        walls.push((await timeCli(['preflight', '-c', cfg, '--only', 'metrics-health', '--report-dir', reports, '--format', 'json'], work)).ms);
        const report = JSON.parse(readFileSync(join(reports, 'preflight.json'), 'utf8')) as { collectors: { key: string; durationMs: number }[] };
        collector.push(report.collectors.find((c) => c.key === 'serverMetrics')?.durationMs ?? NaN);
      }
      console.log(`metrics   from ${source.padEnd(10)} median ${median(walls).toFixed(0)} ms wall (preflight --only metrics-health), serverMetrics collector median ${median(collector).toFixed(0)} ms`);
    }
  } finally {
    await lab.close();
  }
}

await main();

/**
 * Figures, not assertions: wall time of `mmgate --help`, and of preflight and verify against the
 * lab (healthy → upgraded), with peak memory and the requests each run made; the watch's probe
 * loop (rate achieved and CPU); verify's wall time with 50 ms added to every request, against the
 * critical path of its journeys; the metrics phase from each source. Run with `npm run bench`;
 * `npm run bench -- --nodes 2000 --pods-per-node 30` times a big cluster instead (bench-scale.ts).
 * Speed and memory targets are read from this output, never from timed tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeTimeoutFor, runProbeLoop } from '../collectors/watch/probe.js';
import { parse, stringify } from 'yaml';
import { startLab, type TracedRequest } from '../lab/index.js';
import { flag, scale, timeCli } from './bench-scale.js';
import { judge } from '../test/judge.js';


const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A ping server in a child process, so the CPU measured is the probe loop's alone. */
async function pingServer(): Promise<{ url: string; stop: () => void }> {
  const code = `const s = require('node:http').createServer((q, r) => r.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"OK"}'));
s.listen(0, '127.0.0.1', () => process.stdout.write(String(s.address().port) + '\\n'));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', () => reject(new Error('ping server exited')));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** The watch's probe loop for `seconds` at `rate`: probes per second achieved and CPU as a share of one core. */
async function probeLoopFigures(url: string, rate: number, seconds: number): Promise<string> {
  let n = 0;
  let failed = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await runProbeLoop({ url, periodMs: 1000 / rate, timeoutMs: probeTimeoutFor(1000 / rate), userAgent: 'mmgate-bench', origin: t0, signal: AbortSignal.timeout(seconds * 1000), onProbe: (p) => { n++; if (!p.ok) failed++; } });
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return `watch probe loop at ${String(rate).padStart(2)}/s   achieved ${(n / (wall / 1000)).toFixed(1)} probes/s over ${(wall / 1000).toFixed(1)} s (${failed} failed), CPU ${(((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(1)} % of one core`;
}

/**
 * The critical path of verify against the lab, in requests, from the journeys' dependencies
 * (collectors/mattermost/smoke.ts): login → users/me → {teams ∥ team} → {channels ∥ channel} →
 * the longest of the three journeys that then run at once — the file journey: upload → attach →
 * {download at the front door ∥ through each pod} → delete → info (gone) — then the cleanup's
 * sweep of the channel → logout. The pod list and every other collector run beside it and are
 * shorter.
 */
const SMOKE_CRITICAL_PATH = [
  ['login'], ['users/me'], ['teams', 'team'], ['channels', 'channel'],
  ['file upload'], ['file attach'], ['download front door', 'download via pods'], ['delete post'], ['file info (gone)'],
  ['sweep channel'], ['logout'],
] as const;

/**
 * The longest run of requests in a trace that each started only after the one before it was
 * answered: the critical path as the run really took it (with latency added, requests that do not
 * depend on each other overlap, so they cannot both be on it).
 */
export function longestChain(trace: readonly TracedRequest[]): TracedRequest[] {
  const rs = [...trace].sort((a, b) => a.start - b.start);
  const best: { len: number; prev: number }[] = [];
  for (let i = 0; i < rs.length; i++) {
    best.push({ len: 1, prev: -1 });
    for (let j = 0; j < i; j++) if (rs[j]!.end <= rs[i]!.start && best[j]!.len + 1 > best[i]!.len) best[i] = { len: best[j]!.len + 1, prev: j };
  }
  let k = best.reduce((m, b, i) => (b.len > (best[m]?.len ?? 0) ? i : m), 0);
  const chain: TracedRequest[] = [];
  for (; k >= 0 && rs[k]; k = best[k]!.prev) chain.unshift(rs[k]!);
  return chain;
}

/**
 * verify's wall time in this process (module loading, the same for every run, left out) with
 * `latencyMs` added to every front-door and Kubernetes API request, runs alternating 0 and 50 ms.
 */
async function latencyFigures(work: string): Promise<void> {
  const before = await startLab('healthy', join(work, 'latency-before'));
  const baseline = join(work, 'latency-baseline.json');
  try {
    writeFileSync(baseline, JSON.stringify((await judge(before.paths.config, 'pre')).snapshot));
  } finally {
    await before.close();
  }
  const lab = await startLab('upgraded', join(work, 'latency'));
  try {
    const walls: Record<0 | 50, number[]> = { 0: [], 50: [] };
    let requests = 0;
    let chain: TracedRequest[] = [];
    for (let i = 0; i < 14; i++) {
      const latency = i % 2 === 0 ? 0 : 50;
      lab.setFrontDoorDelay(latency);
      lab.setKubeFaults(latency ? [{ path: '.*', delayMs: latency }] : []);
      const counts = lab.requestCounts();
      const t0 = performance.now();
      const { report } = await judge(lab.paths.config, 'post', baseline);
      walls[latency].push(performance.now() - t0);
      const after = lab.requestCounts();
      if (latency) chain = longestChain(lab.requestTrace().filter((r) => r.start >= t0));
      requests = after.kubernetes - counts.kubernetes + after.mattermost - counts.mattermost;
      if (!report.verdict.promote) throw new Error(`verify on upgraded did not promote: ${report.verdict.headline}`);
    }
    lab.setFrontDoorDelay(0);
    lab.setKubeFaults([]);
    const plain = median(walls[0]);
    const slow = median(walls[50]);
    const critical = SMOKE_CRITICAL_PATH.length * 50;
    const measured = chain.length * 50;
    console.log(`verify +50 ms/request    median ${slow.toFixed(0)} ms wall vs ${plain.toFixed(0)} ms without (in process, ${walls[0].length} runs each): +${(slow - plain).toFixed(0)} ms for ${requests} requests ` +
      `(all in a row: +${requests * 50} ms); critical path from the journeys' dependencies ${SMOKE_CRITICAL_PATH.length} requests = ${critical} ms; added/critical ${((slow - plain) / critical).toFixed(2)}×, ` +
      `wall/(wall without + critical) ${(slow / (plain + critical)).toFixed(2)}× (goal ≤ 1.3×)`);
    // The same against the chain the last delayed run really waited on, read from the lab's request log.
    console.log(`verify critical path as run: ${chain.length} requests in a row = ${measured} ms (${chain.map((r) => `${r.method} ${r.path.replace(/^\/api\/v4\//, '')}`).join(' → ')}); ` +
      `wall/(wall without + it) ${(slow / (plain + measured)).toFixed(2)}×`);
  } finally {
    await lab.close();
  }
}

/** `npm run bench -- watch latency` runs only those parts (cli, watch, latency, metrics); none named runs all. */
const parts = new Set(process.argv.slice(2).filter((a) => /^[a-z]+$/.test(a)));
const wanted = (part: string): boolean => parts.size === 0 || parts.has(part);

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'mmgate-bench-'));
  const nodes = flag('--nodes');
  try {
    if (nodes !== undefined) return await scale(nodes, flag('--pods-per-node') ?? 30, work);
    if (wanted('cli')) await cliFigures(work);
    if (wanted('watch')) {
      const ping = await pingServer();
      try {
        for (const rate of [10, 20, 50]) console.log(await probeLoopFigures(ping.url, rate, 5));
      } finally {
        ping.stop();
      }
    }
    if (wanted('latency')) await latencyFigures(work);
    if (wanted('metrics')) await benchMetrics(work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function cliFigures(work: string): Promise<void> {
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

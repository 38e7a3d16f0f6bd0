/**
 * Figures, not assertions: wall time of `mmgate --help`, and of preflight and verify against the
 * lab (healthy → upgraded), with peak memory and the requests each run made. Run with
 * `npm run bench`. Speed and memory targets are read from this output, never from timed tests.
 *
 * `npm run bench -- --nodes 2000 --pods-per-node 30` instead starts the lab with that cluster
 * around the healthy scenario and times three readers of it in one run, against one API: mmgate
 * preflight, a minimal paginated read of the same lists (scripts/raw-read.ts), and the runbook's
 * kubectl sequence; it prints wall time, peak RSS and the ratios against the goals (issue 7:
 * preflight ≤ 1.5× the raw read, ≥ 5× faster than kubectl, ≤ 300 MiB).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
  return timeCommand([process.execPath, CLI, ...args], cwd);
}

/** Any command under GNU time: wall time, and the peak RSS of it or its largest child (%M). */
function timeCommand(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; maxRssMiB: number; code: number | null }> {
  const rssFile = join(cwd, `rss-${process.hrtime.bigint()}`);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-o', rssFile, '-f', '%M', ...argv], { cwd, stdio: 'ignore', env });
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

const RAW_READ = fileURLToPath(new URL('./raw-read.js', import.meta.url));

/** The three readers of one big world, one after the other against the same lab. */
async function scale(nodes: number, podsPerNode: number, work: string): Promise<void> {
  const t0 = performance.now();
  const lab = await startLab('healthy', join(work, 'scale'), { world: { nodes, podsPerNode } });
  try {
    console.log(`lab: ${nodes} nodes × ${podsPerNode} pods (+ the healthy scenario) ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const reports = join(work, 'reports-scale');
    const pre = await timeCli(['preflight', '-c', lab.paths.config, '--report-dir', reports, '--format', 'json'], work);
    const snapshotFile = join(reports, 'preflight.snapshot.json');
    const snapshotMiB = existsSync(snapshotFile) ? statSync(snapshotFile).size / 2 ** 20 : NaN;
    const raw = await timeCommand([process.execPath, RAW_READ, lab.paths.kubeconfig], work);
    const k = `kubectl --cache-dir ${join(work, 'kube-cache')}`;
    const kubectl = await timeCommand(['bash', '-c', [
      `${k} get nodes >/dev/null`, `${k} get pods -A >/dev/null`, `${k} top nodes >/dev/null`,
      `${k} describe nodes | grep -A6 Allocatable >/dev/null`,
      `${k} -n ${lab.namespace} get deployment ${lab.installation} -o jsonpath='{.spec.template.spec.containers[0].resources}' >/dev/null`,
    ].join(' && ')], work, { ...process.env, KUBECONFIG: lab.paths.kubeconfig });
    const row = (name: string, r: { ms: number; maxRssMiB: number; code: number | null }) =>
      console.log(`${name.padEnd(28)} ${(r.ms / 1000).toFixed(1).padStart(6)} s wall  ${r.maxRssMiB.toFixed(0).padStart(5)} MiB peak RSS  exit ${r.code}`);
    row('mmgate preflight', pre);
    row('minimal paginated read', raw);
    row('kubectl sequence', kubectl);
    console.log(`preflight snapshot: ${snapshotMiB.toFixed(2)} MiB`);
    const goal = (ok: boolean) => (ok ? 'meets the goal' : 'MISSES the goal');
    console.log(`preflight / raw read: ${(pre.ms / raw.ms).toFixed(2)}× (${goal(pre.ms <= 1.5 * raw.ms)} ≤ 1.5×)`);
    console.log(`kubectl / preflight: ${(kubectl.ms / pre.ms).toFixed(2)}× faster (${goal(kubectl.ms >= 5 * pre.ms)} ≥ 5×)`);
    console.log(`preflight peak RSS: ${pre.maxRssMiB.toFixed(0)} MiB (${goal(pre.maxRssMiB <= 300)} ≤ 300 MiB)`);
  } finally {
    await lab.close();
  }
}

function flag(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${name} needs a whole number`);
  return v;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'mmgate-bench-'));
  const nodes = flag('--nodes');
  if (nodes !== undefined) {
    try {
      await scale(nodes, flag('--pods-per-node') ?? 30, work);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    return;
  }
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

/**
 * Timing helpers of `npm run bench`, and its scale mode: `npm run bench -- --nodes 2000
 * --pods-per-node 30` starts the lab with that cluster around the healthy scenario and times three
 * readers of it in one run, against one API: mmgate preflight, a minimal paginated read of the
 * same lists (scripts/raw-read.ts), and the runbook's kubectl sequence; it prints wall time, peak
 * RSS and the ratios against the goals (issue 7: preflight ≤ 1.5× the raw read, ≥ 5× faster than
 * kubectl, ≤ 300 MiB).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLab } from '../lab/index.js';

const CLI = fileURLToPath(new URL('../cli/main.js', import.meta.url));

/**
 * Runs the CLI in a child process under GNU time, which reports the child's own peak RSS (%M, KiB)
 * into a file so mmgate's output stays out of the way.
 */
export function timeCli(args: string[], cwd: string): Promise<{ ms: number; maxRssMiB: number; code: number | null }> {
  return timeCommand([process.execPath, CLI, ...args], cwd);
}

/** Any command under GNU time: wall time, and the peak RSS of it or its largest child (%M). */
export function timeCommand(argv: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; maxRssMiB: number; code: number | null }> {
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

const RAW_READ = fileURLToPath(new URL('./raw-read.js', import.meta.url));

/** The three readers of one big world, one after the other against the same lab. */
export async function scale(nodes: number, podsPerNode: number, work: string): Promise<void> {
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
    console.log(`preflight verdict: ${verdictOf(join(reports, 'preflight.json'))}`);
    const goal = (ok: boolean) => (ok ? 'meets the goal' : 'MISSES the goal');
    console.log(`preflight / raw read: ${(pre.ms / raw.ms).toFixed(2)}× (${goal(pre.ms <= 1.5 * raw.ms)} ≤ 1.5×)`);
    console.log(`kubectl / preflight: ${(kubectl.ms / pre.ms).toFixed(2)}× faster (${goal(kubectl.ms >= 5 * pre.ms)} ≥ 5×)`);
    // The ceiling of that ratio: no reader of the same lists is faster than the minimal one.
    console.log(`kubectl / raw read: ${(kubectl.ms / raw.ms).toFixed(2)}× (the most any reader of these lists can reach on this machine)`);
    console.log(`preflight peak RSS: ${pre.maxRssMiB.toFixed(0)} MiB (${goal(pre.maxRssMiB <= 300)} ≤ 300 MiB)`);
  } finally {
    await lab.close();
  }
}

/** What the timed preflight decided, and the checks that did not pass (a bench on a loaded machine can miss metrics traffic). */
function verdictOf(reportFile: string): string {
  if (!existsSync(reportFile)) return 'no report written';
  const r = JSON.parse(readFileSync(reportFile, 'utf8')) as { verdict?: { promote?: boolean }; results?: { id: string; status: string }[] };
  const off = (r.results ?? []).filter((x) => !['pass', 'not-applicable', 'skipped'].includes(x.status)).map((x) => `${x.id}=${x.status}`);
  return `${r.verdict?.promote ? 'promote' : 'block'}${off.length ? ` (${off.join(', ')})` : ''}`;
}

export function flag(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${name} needs a whole number`);
  return v;
}


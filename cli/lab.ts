/** `mmgate lab`: serve a scenario until SIGINT/SIGTERM. */
import { relative } from 'node:path';
import { UsageError } from '../core/errors.js';
import { startLab, type KubeBackend } from '../lab/index.js';
import { listScenarios } from '../lab/scenario.js';
import { processInterrupt, signalEndsCommand } from './interrupt.js';

export async function labCommand(opts: { scenario: string; out: string; list?: boolean; kube?: string }): Promise<number> {
  if (opts.list) {
    const rows = listScenarios();
    const width = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) process.stdout.write(`${r.name.padEnd(width)}  ${r.description}\n`);
    return 0;
  }
  // The lab serves until a signal: that is its normal end, also when it comes while the lab starts.
  signalEndsCommand();
  if (opts.kube !== undefined && opts.kube !== 'sim' && opts.kube !== 'real') throw new UsageError(`--kube ${opts.kube}: unknown backend`, 'use --kube sim (default) or --kube real');
  const real = opts.kube === 'real' ? await import('../lab/real/index.js') : undefined;
  const cluster = real ? await real.startRealCluster() : undefined;
  const kube: KubeBackend | undefined = real && cluster ? (s, world, spec) => real.serveOnRealCluster(cluster, s, world, spec) : undefined;
  let lab;
  try {
    lab = await startLab(opts.scenario, opts.out, kube ? { kube } : {});
  } catch (err) {
    await cluster?.close();
    throw err;
  }
  const rel = relative(process.cwd(), lab.paths.config) || lab.paths.config;
  // One line, printed only once everything listens: scripts wait for it.
  process.stdout.write(`mmgate lab ready: scenario ${lab.scenario.name} · kubernetes ${lab.kubeUrl} · mattermost ${lab.mattermostUrl} · config ${rel} (run: mmgate preflight -c ${rel})\n`);
  await new Promise<void>((resolve) => {
    const interrupt = processInterrupt();
    if (!interrupt) {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    } else if (interrupt.aborted) resolve();
    else interrupt.addEventListener('abort', () => resolve(), { once: true });
  });
  await lab.close();
  await cluster?.close();
  return 0;
}

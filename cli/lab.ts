/** `mmgate lab`: serve a scenario until SIGINT/SIGTERM. */
import { relative } from 'node:path';
import { startLab } from '../lab/index.js';
import { listScenarios } from '../lab/scenario.js';

export async function labCommand(opts: { scenario: string; out: string; list?: boolean }): Promise<number> {
  if (opts.list) {
    const rows = listScenarios();
    const width = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) process.stdout.write(`${r.name.padEnd(width)}  ${r.description}\n`);
    return 0;
  }
  const lab = await startLab(opts.scenario, opts.out);
  const rel = relative(process.cwd(), lab.paths.config) || lab.paths.config;
  // One line, printed only once everything listens: scripts wait for it.
  process.stdout.write(`mmgate lab ready: scenario ${lab.scenario.name} · kubernetes ${lab.kubeUrl} · mattermost ${lab.mattermostUrl} · config ${rel} (run: mmgate preflight -c ${rel})\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await lab.close();
  return 0;
}

/** Runs the real gate in-process on a config file: what `mmgate preflight|verify -c FILE` does, minus the reporters. */
import { dirname, join } from 'node:path';
import { prepareRun, type GateFlags } from '../cli/gate.js';
import { parseDuration } from '../core/duration.js';
import { runGate } from '../core/runner.js';
import type { Phase, RunReport, Snapshot } from '../core/types.js';

export async function judge(configPath: string, phase: Phase, baselinePath?: string, flags: Pick<GateFlags, 'side' | 'site'> = {}): Promise<{ report: RunReport; snapshot: Snapshot }> {
  // Files a run writes (browser journey reports, screenshots) go beside the lab's config, into the
  // lab's temp dir that the test removes, not into ./mmgate-report of the checkout.
  const p = await prepareRun({ config: configPath, reportDir: join(dirname(configPath), 'reports'), ...flags }, phase);
  return runGate({
    phase, checks: p.registry.checks, collectors: p.registry.collectors, config: p.config, configDir: p.loaded.dir,
    scope: p.scope, target: p.target, checkOptions: p.checkOptions, redactor: p.loaded.redactor,
    policy: { preset: p.config.extends, checks: p.config.checks, waivers: p.config.waivers, ignore: [], today: new Date().toISOString().slice(0, 10) },
    ...(baselinePath ? { baselinePath } : {}),
    timeouts: { collectorMs: parseDuration(p.config.timeouts.collector), checkMs: parseDuration(p.config.timeouts.check), overallMs: parseDuration(p.config.timeouts.overall) },
  });
}


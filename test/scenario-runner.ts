/**
 * Runs one lab scenario through the real gate and asserts its expect.yaml: verdict, the exact set
 * of blocking checks, no smoke data left behind. Shared by the simulator suite
 * (scenarios.test.ts) and the real-control-plane suite (real-cluster.test.ts), which differ only
 * in how the lab is started.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../core/types.js';
import type { Lab } from '../lab/index.js';
import { buildScenario, preUpgradeScenario } from '../lab/scenario.js';
import { judge } from './judge.js';

export type StartLab = (scenario: string, outDir: string) => Promise<Lab>;

export const explain = (r: RunReport) => r.results.filter((x) => x.status !== 'pass' && x.status !== 'skipped' && x.status !== 'not-applicable')
  .map((x) => `${x.id}=${x.status}${x.blocking ? '(blocking)' : ''}: ${x.error?.message ?? x.findings.map((f) => f.message).join(' | ')}`).join('\n');

/** Returns the reports per phase (empty for a base scenario with no expect.yaml). */
export async function checkScenario(name: string, tmp: string, start: StartLab): Promise<Record<string, RunReport>> {
  const built = await buildScenario(name);
  const phases = Object.entries(built.expect) as [string, { verdict: string; blocking: string[] }][];
  const reports: Record<string, RunReport> = {};
  if (phases.length === 0) return reports; // a base scenario others extend; nothing to assert on its own
  // verify compares with the preflight taken before the upgrade, as on a real upgrade night.
  const baseline = join(tmp, `${name}.preflight.snapshot.json`);
  if (built.expect.verify) {
    const before = await start(preUpgradeScenario(name) ?? name, join(tmp, `${name}-before`));
    try {
      writeFileSync(baseline, JSON.stringify((await judge(before.paths.config, 'pre')).snapshot));
    } finally {
      await before.close();
    }
  }
  const lab = await start(name, join(tmp, name));
  try {
    for (const [phase, expected] of phases) {
      const { report } = phase === 'watch'
        // watch follows a live upgrade: the lab plays it while the gate watches.
        ? (await Promise.all([judge(lab.paths.config, 'during'), lab.upgrade(built.expect.watch!.upgrade, { stepMs: 300 })]))[0]
        : await judge(lab.paths.config, phase === 'preflight' ? 'pre' : 'post', phase === 'verify' ? baseline : undefined);
      reports[phase] = report;
      assert.equal(report.verdict.promote ? 'promote' : 'blocked', expected.verdict, `${name} ${phase}: ${report.verdict.headline}\n${explain(report)}`);
      assert.deepEqual([...report.verdict.blocking].sort(), [...expected.blocking].sort(), `${name} ${phase} blocking set\n${explain(report)}`);
      const smoke = lab.world.smokeLeftovers();
      assert.deepEqual(smoke, { posts: 0, files: 0 }, `${name} ${phase}: smoke data left behind`);
    }
  } finally {
    await lab.close();
  }
  return reports;
}

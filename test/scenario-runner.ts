/**
 * Runs one lab scenario through the real gate on a lab the caller starts (the real-control-plane
 * suite, real-cluster.test.ts) and asserts its expect.yaml: the verdict, the exact set of blocking
 * checks (and how each blocks, when expect.yaml gives `{id: fail | error[:CODE]}`), no smoke data
 * left behind.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../core/types.js';
import type { Lab } from '../lab/index.js';
import type { UpgradeSpec } from '../lab/operator.js';
import { buildScenario, preUpgradeScenario } from '../lab/scenario.js';
import { judge } from './judge.js';

/** Resolves once the front door has served a request (the watch's first probe), or after 20 s. */
async function untilProbed(lab: Lab): Promise<void> {
  const deadline = performance.now() + 20_000;
  while (lab.requestCounts().mattermost === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

export type StartLab = (scenario: string, outDir: string) => Promise<Lab>;

export const explain = (r: RunReport) => r.results.filter((x) => x.status !== 'pass' && x.status !== 'skipped' && x.status !== 'not-applicable')
  .map((x) => `${x.id}=${x.status}${x.blocking ? '(blocking)' : ''}: ${[...(x.error ? [x.error.message] : []), ...x.findings.map((f) => f.message)].join(' | ')}`).join('\n');

/** Returns the reports per phase (empty for a base scenario with no expect.yaml). */
export async function checkScenario(name: string, tmp: string, start: StartLab): Promise<Record<string, RunReport>> {
  const built = await buildScenario(name);
  const phases = Object.entries(built.expect).filter(([k]) => k !== 'base') as [string, { verdict: string; blocking: string[] | Record<string, string> }][];
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
      const upgrade = phase === 'watch' ? (built.expect as { watch?: { upgrade: UpgradeSpec } }).watch?.upgrade : undefined;
      const { report } = upgrade
        // watch follows a live upgrade: the lab plays it once the gate watches (its first probe).
        ? (await Promise.all([judge(lab.paths.config, 'during'), untilProbed(lab).then(() => lab.upgrade(upgrade, { stepMs: 300 }))]))[0]
        : await judge(lab.paths.config, phase === 'preflight' ? 'pre' : 'post', phase === 'verify' ? baseline : undefined);
      reports[phase] = report;
      assert.equal(report.verdict.promote ? 'promote' : 'blocked', expected.verdict, `${name} ${phase}: ${report.verdict.headline}\n${explain(report)}`);
      const want = Array.isArray(expected.blocking) ? Object.fromEntries(expected.blocking.map((id) => [id, undefined])) : expected.blocking;
      assert.deepEqual([...report.verdict.blocking].sort(), Object.keys(want).sort(), `${name} ${phase} blocking set\n${explain(report)}`);
      for (const x of report.results.filter((r) => r.blocking && want[r.id] !== undefined)) {
        // `fail`, `error` (any code) or `error:CODE`.
        const how = want[x.id]!;
        assert.ok(how === x.status || (x.status === 'error' && how.startsWith('error')), `${name} ${phase}: ${x.id} blocked by ${x.status}, expect.yaml says ${how}\n${explain(report)}`);
      }
      const smoke = lab.world.smokeLeftovers();
      assert.deepEqual(smoke, { posts: 0, files: 0 }, `${name} ${phase}: smoke data left behind`);
    }
  } finally {
    await lab.close();
  }
  return reports;
}

/**
 * Every lab scenario with an expect.yaml is served by the real lab and judged by the real gate
 * (config from the file the lab writes, collectors over the network, policy): the verdict and the
 * exact set of blocking checks must be what expect.yaml says.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { RunReport } from '../core/types.js';
import { startLab } from '../lab/index.js';
import { BUILTIN_SCENARIOS, buildScenario, listScenarios, preUpgradeScenario } from '../lab/scenario.js';
import { judge } from './judge.js';

const tmp = mkdtempSync(join(tmpdir(), 'mmgate-scenarios-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const explain = (r: RunReport) => r.results.filter((x) => x.status !== 'pass' && x.status !== 'skipped' && x.status !== 'not-applicable')
  .map((x) => `${x.id}=${x.status}${x.blocking ? '(blocking)' : ''}: ${x.error?.message ?? x.findings.map((f) => f.message).join(' | ')}`).join('\n');

describe('lab scenarios meet their expect.yaml', () => {
  const scenarios = listScenarios();
  it('has scenarios', () => assert.ok(scenarios.length >= 2, `no scenarios under ${BUILTIN_SCENARIOS}`));
  for (const { name } of scenarios) {
    it(name, async () => {
      const built = await buildScenario(name);
      const phases = Object.entries(built.expect) as [string, { verdict: string; blocking: string[]; side?: 'idle' | 'production' | 'canary'; warnings?: string[]; site?: string }][];
      if (phases.length === 0) return; // a base scenario others extend; nothing to assert on its own
      // verify compares with the preflight taken before the upgrade, as on a real upgrade night.
      const baseline = join(tmp, `${name}.preflight.snapshot.json`);
      if (built.expect.verify) {
        const before = await startLab(preUpgradeScenario(name) ?? name, join(tmp, `${name}-before`));
        try {
          writeFileSync(baseline, JSON.stringify((await judge(before.paths.config, 'pre', undefined, built.expect.verify.site ? { site: built.expect.verify.site } : {})).snapshot));
        } finally {
          await before.close();
        }
      }
      const lab = await startLab(name, join(tmp, name));
      try {
        for (const [phase, expected] of phases) {
          const { report } = phase === 'watch'
            // watch follows a live upgrade: the lab plays it while the gate watches.
            ? (await Promise.all([judge(lab.paths.config, 'during'), lab.upgrade(built.expect.watch!.upgrade, { stepMs: 300 })]))[0]
            : await judge(lab.paths.config, phase === 'preflight' ? 'pre' : 'post', phase === 'verify' ? baseline : undefined, { ...(expected.side ? { side: expected.side } : {}), ...(expected.site ? { site: expected.site } : {}) });
          assert.equal(report.verdict.promote ? 'promote' : 'blocked', expected.verdict, `${name} ${phase}: ${report.verdict.headline}\n${explain(report)}`);
          assert.deepEqual([...report.verdict.blocking].sort(), [...expected.blocking].sort(), `${name} ${phase} blocking set\n${explain(report)}`);
          for (const w of expected.warnings ?? []) assert.equal(report.results.find((r) => r.id === w)?.status, 'warn', `${name} ${phase}: ${w} must warn\n${explain(report)}`);
          const smoke = lab.world.smokeLeftovers();
          assert.deepEqual(smoke, { posts: 0, files: 0 }, `${name} ${phase}: smoke data left behind`);
        }
      } finally {
        await lab.close();
      }
    });
  }
});
